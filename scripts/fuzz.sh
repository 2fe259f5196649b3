#!/usr/bin/env bash
# Fuzzes each target (tests/fuzz/) with clang's libFuzzer under AddressSanitizer and
# UndefinedBehaviorSanitizer, for the given seconds per target (default 60), starting from the
# checked-in corpus. New interesting inputs go to build-fuzz/corpus/<target>/ (copy the good ones
# into tests/fuzz/corpus/ to keep them); a crash leaves its input in build-fuzz/crashes/.
# Usage: scripts/fuzz.sh [seconds] [target...]   targets: request json writers forms
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(request json writers forms)

ensure_packages "${build_packages[@]}" "${fuzz_packages[@]}"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRENCONTRES_FUZZ=ON -DRENCONTRES_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j"$(jobs)" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p build-fuzz/crashes
status=0
for t in "${targets[@]}"; do
    mkdir -p "build-fuzz/corpus/$t"
    echo "== fuzz_$t for ${seconds}s"
    dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
    if ! "build-fuzz/tests/fuzz/fuzz_$t" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="build-fuzz/crashes/$t-" -print_final_stats=1 \
        "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" 2>"build-fuzz/fuzz_$t.log"; then
        echo "fuzz_$t FAILED: see build-fuzz/fuzz_$t.log and build-fuzz/crashes/" >&2
        tail -40 "build-fuzz/fuzz_$t.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::new_units_added|stat::peak_rss_mb" \
            "build-fuzz/fuzz_$t.log" || true
    fi
done
exit $status
