#!/usr/bin/env bash
# Installs what is missing, builds Debug with AddressSanitizer and UndefinedBehaviorSanitizer,
# and runs every test (unit, storage, http, browser) with ctest. Extra arguments go to ctest
# (-L http, -R name). The browser tests use Debian's Chromium and the npm packages pinned in
# tests/browser/package-lock.json (puppeteer-core, axe-core, html-validate), installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_packages "${build_packages[@]}" "${test_packages[@]}"
ensure_browser_tests
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DRENCONTRES_SANITIZE=ON >/dev/null
cmake --build build-test -j"$(jobs)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-test --output-on-failure -j"$(jobs)" --timeout 300 "$@"
