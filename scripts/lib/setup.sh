# Shared by scripts/*.sh: the Debian packages the project needs, installed when missing.
# Everything comes from Debian 12's archive; nothing is downloaded at build time.

build_packages=(
    build-essential cmake pkg-config git
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
    libsqlite3-dev libspdlog-dev libsodium-dev libhowardhinnant-date-dev
    libtomlplusplus-dev libcli11-dev libvalijson-dev libyaml-cpp-dev tzdata
)
test_packages=(libgtest-dev python3 python3-icalendar sqlite3 curl)
bench_packages=(wrk nginx-light curl)
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

jobs() { nproc 2>/dev/null || echo 2; }
