# Shared by scripts/*.sh: the Debian packages the project needs, installed when missing.
# Everything comes from Debian 12's archive; nothing is downloaded at build time.

build_packages=(
    build-essential cmake pkg-config git
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
    libsqlite3-dev libspdlog-dev libsodium-dev libhowardhinnant-date-dev
    libtomlplusplus-dev libcli11-dev libvalijson-dev libyaml-cpp-dev tzdata
    libkainjow-mustache-dev libqrencode-dev libcurl4-openssl-dev
    libcairo2-dev libpango1.0-dev fonts-dejavu-core libpq-dev libicu-dev
)
test_packages=(libgtest-dev python3 python3-icalendar python3-aiosmtpd python3-feedparser sqlite3 curl
    poppler-utils zbar-tools postgresql-15)
bench_packages=(wrk nginx-light curl python3-aiosmtpd)
fuzz_packages=(clang libclang-rt-14-dev)

ensure_packages() {
    local missing=()
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing Debian packages: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then sudo=(sudo); else
            echo "Run as root (or install: ${missing[*]})" >&2
            return 1
        fi
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# Chromium from Debian and Node.js (Debian's when the machine has none) for tests/browser, and
# the npm packages pinned by the lock files of tests/browser and tests/contract (Redocly CLI), from
# the npm registry.
browser_packages=(chromium fonts-dejavu-core)
ensure_browser_tests() {
    ensure_packages "${browser_packages[@]}"
    command -v node >/dev/null && command -v npm >/dev/null || ensure_packages nodejs npm
    local dir
    for dir in tests/browser tests/contract; do
        local lock=$dir/package-lock.json stamp=$dir/node_modules/.installed
        if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
            touch "$stamp"
        fi
    done
}

jobs() { nproc 2>/dev/null || echo 2; }
