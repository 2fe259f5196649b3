#!/usr/bin/env bash
# Installs what is missing, builds Release, prepares var/rencontres.db with the demo data and
# serves on 127.0.0.1:8080. Extra arguments go to `rencontres serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

ensure_packages "${build_packages[@]}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRENCONTRES_TESTS=OFF >/dev/null
cmake --build build -j"$(jobs)"

db=${RENCONTRES_DATABASE_PATH:-var/rencontres.db}
./build/rencontres migrate --db "$db"
./build/rencontres demo load --db "$db"

cat <<'TRY'

Rencontres is starting on http://127.0.0.1:8080

The public site, in a browser:
  http://127.0.0.1:8080/                                              upcoming meetings
  http://127.0.0.1:8080/evenements/la-revolution-numerique-en-debat   the demo meeting (2018)
  http://127.0.0.1:8080/palmares/2018                                 the label's 2018 palmarès

The JSON API — try:
  curl -s localhost:8080/readyz
  curl -s 'localhost:8080/v1/territories?q=gueret'
  curl -s localhost:8080/v1/events/la-revolution-numerique-en-debat/agenda
  curl -s localhost:8080/v1/events/la-revolution-numerique-en-debat/agenda.ics
  curl -s localhost:8080/v1/palmares/2018
  curl -s localhost:8080/openapi.json | head -c 300; echo
  printf 'choose a long password\n' | ./build/rencontres admin create --db var/rencontres.db --email you@example.org
  curl -s -X POST localhost:8080/v1/auth/token -H 'Content-Type: application/json' \
       -d '{"email":"you@example.org","password":"choose a long password"}'

TRY
exec ./build/rencontres serve --db "$db" "$@"
