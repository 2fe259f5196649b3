#!/usr/bin/env bash
# Benchmarks on this machine, with wrk on loopback.
# Usage: scripts/bench.sh [agenda|pages|registrations|mail|limit|growth|console|badges|postgres|soak|live|all] [seconds]
#   agenda:        GET /v1/events/{id}/agenda of a generated event (40 sessions, 25 speakers)
#                  against nginx serving the same bytes as a static file, same wrk flags, same run.
#   pages:         GET /evenements/{slug}, the demo meeting's public page (HTML, cached until the
#                  event, its programme or its seats change), against nginx serving the same bytes.
#   registrations: POST /v1/events/{id}/registrations with distinct emails (scripts/bench-register.lua)
#                  at 32 connections, with synchronous=FULL (durable, the default) then NORMAL,
#                  each on a fresh database; prints the commit batch sizes from /metrics.
#   mail:          registrations with the file sink, then with email over SMTP to a local
#                  aiosmtpd (tests/tools/smtp_server.py), same run.
#   limit:         the agenda against nginx, then durable registrations against the raw loop
#                  (build/registration_loop: the same registration transactions without HTTP, one
#                  commit and fsync each), in the same run.
#   growth:        registrations at 32 connections in consecutive runs on one event of 50,000 seats
#                  until it holds at least 100,000 registrations (then on 1,000 published events,
#                  the same way); per run: registrations/s, p99 and the server's CPU time per
#                  registration; the last run against the first, and the WAL's size at the end.
#                  Each run alternates, in slices, with the same registrations on a copy of the
#                  database before the first registration (see growth_runs), which shows how far
#                  the machine itself drifted; the last run against the first is also given
#                  corrected for that drift.
#   console:       the console's registrations table and door list of an event holding 10,000
#                  registrations (5,000 confirmed, 5,000 waiting), signed in as an organizer: the
#                  first page, a search, the waiting list, a later page, the door list searched.
#   badges:        the name badges of an event of 5,000 confirmed registrations, as PDF (A4 sheets
#                  of eight, then A6; three documents of at most 2,000), each fetched three times:
#                  time, size, the server's memory; then the agenda and an event search, alone and
#                  while three clients ask for badge sheets without pause (rate, p99, 200s/429s).
#   postgres:      the same server on PostgreSQL (a throwaway postgresql-15 server on a Unix
#                  socket, as the tests start it): agenda reads and durable registrations (on 20
#                  events, each to one at random) with SQLite, then PostgreSQL with one instance, then two instances behind nginx
#                  (round robin, as deploy/ runs them), all on this machine; then one and two
#                  instances with PostgreSQL a network hop away (build/delay_proxy holds every
#                  byte BENCH_PG_DELAY_MS, default 0.2, each way; pgbench -S -c1 through it is
#                  printed); then the growth run (20 events) on PostgreSQL. Each registrations run
#                  follows 2 s of registrations not counted (statements prepared, caches warm).
#                  Figures are ratios to SQLite on the same machine; each registrations run also
#                  gives the share of the machine's CPU left idle (none: the CPU is the bound).
#   soak:          (default 600 seconds) 256 connections, 90% reads of the agenda and the event,
#                  10% registrations and cancellations (scripts/bench-soak.lua); throughput, p50,
#                  p99, p99.9, errors, and the server's resident memory sampled every 2 s.
#   live:          (default 30 seconds) BENCH_LISTENERS (default 10,000) listeners on one session's
#                  stream of Server-Sent Events (build/live_load, one client process: listeners on
#                  one thread, questions and votes on another), while 50
#                  questions and 2,000 votes a second are posted (each vote from a device of its
#                  own); how soon each question reaches each listener (p50, p99, share within 1 s),
#                  the votes' p50 and p99 from when each was due, and the server's peak resident
#                  memory.
# Prints requests/s and p99 for each and the ratios. Figures go to docs/performance.md (and the README's summary) by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

mode=${1:-agenda}
default_seconds=10
[ "$mode" = soak ] && default_seconds=600
[ "$mode" = live ] && default_seconds=30
seconds=${2:-$default_seconds}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_WRK_THREADS:-2}
# Comparisons alternate their two sides in this many slices of $slice seconds (see growth_runs).
slices=5
slice=$((seconds / slices > 0 ? seconds / slices : 1))

ensure_packages "${build_packages[@]}" "${bench_packages[@]}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DRENCONTRES_TESTS=OFF >/dev/null
cmake --build build -j"$(jobs)" >/dev/null

work=$(mktemp -d /tmp/rencontres-bench.XXXXXX)
chmod 755 "$work" # nginx workers read the static copy as an unprivileged user
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ ! -d "$work/pg/data" ] || tests/support/test-postgres.sh stop "$work/pg"
    rm -rf "$work"
}
trap cleanup EXIT

app_port=18080
nginx_port=18081
db="$work/bench.db"
api="http://127.0.0.1:$app_port"
# One key file for every instance (sealed links and form tokens open on each), outbox logs apart.
export RENCONTRES_SECURITY_KEY_FILE="$work/rencontres.key"
export RENCONTRES_OUTBOX_SINK_PATH="$work/outbox.log"
# The load comes from one address: the per-client limit of anonymous registrations is off.
export RENCONTRES_REGISTRATIONS_MAX_PER_CLIENT=0

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -X POST "$api$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$2"; }

server_pid=
second_pid=
# Starts the server on a fresh database ($1: synchronous mode) with the demo and an admin: the
# SQLite file $db, or with $pg set, a new database on that PostgreSQL server.
start_server() {
    [ -z "$server_pid" ] || { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }
    [ -z "$second_pid" ] || { kill "$second_pid"; wait "$second_pid" 2>/dev/null || true; second_pid=; }
    if [ -n "${pg:-}" ]; then
        psql -h "$pg" -U postgres -q -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench'
        # With $pg_port: over TCP through the delay proxy on that port (a database a hop away).
        if [ -n "${pg_port:-}" ]; then
            db="postgresql://postgres@127.0.0.1:$pg_port/bench"
        else
            db="postgresql://postgres@/bench?host=$pg"
        fi
    else
        db="$work/bench.db"
        rm -f "$db" "$db-wal" "$db-shm"
    fi
    ./build/rencontres migrate --db "$db" >/dev/null
    ./build/rencontres demo load --db "$db" >/dev/null
    printf 'benchmark password\n' | ./build/rencontres admin create --db "$db" --email bench@example.org >/dev/null
    env RENCONTRES_DATABASE_SYNCHRONOUS=$1 ${server_env:-} ./build/rencontres serve --db "$db" --listen "127.0.0.1:$app_port" \
        >"$work/server.log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    for _ in $(seq 100); do curl -sf "$api/readyz" >/dev/null && break; sleep 0.1; done
    kill -0 "$server_pid" 2>/dev/null || { echo "the server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
    token=$(curl -sf -X POST "$api/v1/auth/token" -H 'Content-Type: application/json' \
        -d '{"email":"bench@example.org","password":"benchmark password"}' | json '["token"]')
}

generate_event() {
    local event
    event=$(post /v1/events '{"title":"Forum des territoires innovants (banc d essai)",
        "summary":"Deux jours de tables rondes, ateliers et retours d experience sur le numerique territorial.",
        "description":"Programme genere pour mesurer le service de l agenda.",
        "starts_at":"2026-03-28T08:00:00+01:00","ends_at":"2026-03-29T20:00:00+02:00",
        "venue":{"name":"Palais des congres","address":"1 place de la Republique","postal_code":"87000","city":"Limoges"},
        "capacity":400}' | json '["id"]')
    local speakers=()
    for i in $(seq 1 25); do
        speakers+=("$(post /v1/speakers "{\"full_name\":\"Intervenant·e numéro $i\",\"title\":\"Cheffe de projet numérique\",\"organization\":\"Communauté d'agglomération $i\"}" | json '["id"]')")
    done
    local rooms=("Grande salle" "Salle atelier" "Auditorium" "Salle des commissions")
    local abstract="Retour d expérience détaillé : gouvernance du projet, place des usagers, mutualisation entre communes, financement, évaluation et perspectives pour le territoire. Les intervenants présentent les outils, les partenariats noués avec les acteurs locaux et les résultats obtenus après deux ans. Questions de la salle et synthèse des échanges par les animateurs du réseau."
    for i in $(seq 0 39); do
        local day=$(( i / 20 )) slot=$(( i % 20 ))
        local room=${rooms[$(( slot % 4 ))]}
        local hour=$(( 8 + slot / 4 * 2 ))
        local date offset
        if [ "$day" -eq 0 ]; then date=2026-03-28; offset=+01:00; else date=2026-03-29; offset=+02:00; fi
        local s1=${speakers[$(( (i * 2) % 25 ))]} s2=${speakers[$(( (i * 2 + 1) % 25 ))]}
        post "/v1/events/$event/sessions" "{\"title\":\"Session $((i + 1)) : le numérique au service des habitants et des entreprises du territoire\",
            \"kind\":\"talk\",\"abstract\":\"$abstract\",
            \"starts_at\":\"${date}T$(printf %02d $hour):00:00$offset\",\"ends_at\":\"${date}T$(printf %02d $((hour + 1))):30:00$offset\",
            \"room\":\"$room\",\"track\":\"Parcours $(( slot % 4 + 1 ))\",\"speaker_ids\":[\"$s1\",\"$s2\"]}" >/dev/null
    done
    post "/v1/events/$event/publish" "{}" >/dev/null
    echo "$event"
}

# "Requests/sec" and the 99% line of wrk --latency, in milliseconds. Extra arguments go to wrk.
run_wrk() {
    local out
    out=$(wrk -t"$threads" -c"${wrk_connections:-$connections}" -d"${seconds}s" --latency "$@")
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
    local errors
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
    [ -z "$errors" ] || echo "  wrk reported: $errors" >&2
    echo "$rps $p99"
}

# Lines of "requests/s p99 [CPU ticks]" from slices of equal length: the mean rate, the highest
# p99 and the ticks in all.
mean_and_highest() {
    awk '{ r += $1; if ($2 > p) p = $2; t += $3 } END { printf "%.2f %s %d\n", r / NR, p, t }'
}

# The two sides of a comparison, the commands $1 and $2 (each prints "requests/s p99" and may
# add CPU ticks, for a run of $slice seconds; $i is the slice's number), in $slices alternating
# slices, so that both see the same moments of this machine's drift (see growth_runs). Sets
# a_rps, a_p99, a_ticks and b_rps, b_p99, b_ticks: each side's mean rate, highest p99 and ticks.
# Without $2, runs the one side.
alternate_slices() {
    local a=() b=() i
    for i in $(seq 1 "$slices"); do
        a+=("$($1)")
        [ -z "${2:-}" ] || b+=("$($2)")
    done
    read -r a_rps a_p99 a_ticks < <(printf '%s\n' "${a[@]}" | mean_and_highest)
    [ -z "${2:-}" ] || read -r b_rps b_p99 b_ticks < <(printf '%s\n' "${b[@]}" | mean_and_highest)
}

# nginx on $nginx_port with two workers, the configuration $work/$1.conf, whose http block holds
# $2; ready once it serves the path $3.
run_nginx() {
    cat >"$work/$1.conf" <<NGINX
worker_processes 2;
pid $work/$1.pid;
error_log $work/$1-error.log;
events { worker_connections 4096; }
http {
    access_log off;
$2
}
NGINX
    nginx -c "$work/$1.conf" -g 'daemon off;' &
    pids+=($!)
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/$3" >/dev/null && break; sleep 0.1; done
}

# nginx serving $work/www as a production static server would (sendfile, tcp_nopush, the open
# file cache, no access log, two workers), ready once it serves the file $1.
start_nginx() {
    run_nginx nginx "    sendfile on;
    tcp_nopush on;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    keepalive_requests 1000000;
    types { application/json json; text/html html; }
    server { listen 127.0.0.1:$nginx_port; root $work/www; }" "$1"
    nginx_master=${pids[-1]}
}

# The CPU ticks so far (user + system) of nginx's workers.
nginx_ticks() {
    local total=0 pid
    for pid in $(pgrep -P "$nginx_master"); do total=$((total + $(server_ticks "$pid"))); done
    echo "$total"
}

# The sides of compare_with_nginx (which sets path and file): "requests/s p99 CPU-ticks".
app_slice() {
    local before
    before=$(server_ticks)
    echo "$(seconds=$slice run_wrk "$api$path") $(($(server_ticks) - before))"
}
nginx_slice() {
    local before
    before=$(nginx_ticks)
    echo "$(seconds=$slice run_wrk "http://127.0.0.1:$nginx_port/$file") $(($(nginx_ticks) - before))"
}

# Serves the bytes of $1 (a path on the server) from nginx too, as the file $4, and runs wrk on
# both, same flags, the server with its access log on. $2 names what is measured; $3 is the
# target ratio of requests/s. Prints each side's rate, p99 and CPU time per request.
compare_with_nginx() {
    local path=$1 what=$2 target=$3 file=$4
    mkdir -p "$work/www"
    curl -sf "$api$path" -o "$work/www/$file"
    chmod -R a+rX "$work/www"
    size=$(stat -c %s "$work/www/$file")
    start_nginx "$file"
    echo "$what: $path, $size bytes; wrk -t$threads -c$connections --latency, $slices alternating slices of ${slice}s each"
    alternate_slices app_slice nginx_slice
    app_rps=$a_rps app_p99=$a_p99 nginx_rps=$b_rps nginx_p99=$b_p99
    local hz seconds_in_all=$((slice * slices))
    hz=$(getconf CLK_TCK)
    per_request() { awk -v t="$1" -v r="$2" -v s="$seconds_in_all" -v hz="$hz" 'BEGIN { printf "%.1f", t * 1e6 / hz / (r * s) }'; }
    echo "  rencontres: $app_rps requests/s, p99 $app_p99 ms, $(per_request "$a_ticks" "$app_rps") µs of CPU a request"
    echo "  nginx:      $nginx_rps requests/s, p99 $nginx_p99 ms, $(per_request "$b_ticks" "$nginx_rps") µs of CPU a request"
    awk -v a="$app_rps" -v n="$nginx_rps" -v ap="$app_p99" -v np="$nginx_p99" -v t="$target" \
        'BEGIN { printf "  ratio: %.2fx nginx requests/s (target >= %s), p99 %.2fx nginx (target <= 1)\n", a / n, t, ap / np }'
}

bench_agenda() {
    start_server full
    compare_with_nginx "/v1/events/$(generate_event)/agenda" agenda 0.7 agenda.json
}

# The demo meeting's public page (HTML).
bench_pages() {
    start_server full
    compare_with_nginx /evenements/la-revolution-numerique-en-debat pages 0.7 page.html
}

# Prints the id of a new published event titled $1 with $2 seats, on 11 June 2031 in Limoges.
published_event() {
    local event
    event=$(post /v1/events "{\"title\":\"$1\",\"starts_at\":\"2031-06-11T09:00:00+02:00\",
        \"ends_at\":\"2031-06-11T17:00:00+02:00\",\"venue\":{\"city\":\"Limoges\"},\"capacity\":$2}" |
        sed -E 's/^\{"id":"([0-9]+)".*/\1/')
    post "/v1/events/$event/publish" '{}' >/dev/null
    echo "$event"
}

# One registration run: a fresh database in the given synchronous mode, an event with more seats
# than a run fills (every real event has a capacity, so the seat check is measured), wrk with
# distinct emails. Sets run_rps and run_p99 (not in a subshell, so that
# the server it starts is stopped on exit).
registrations_run() {
    start_server "$1"
    published_event "Inscriptions (banc d essai)" 1000000 >"$work/run-event"
    read -r run_rps run_p99 < <(wrk_connections=32 run_wrk -s scripts/bench-register.lua "$api" -- \
        "$work/run-event" "$1")
    run_batches=$(commit_batches)
}

# How the server's writes were grouped into commits so far, from /metrics.
commit_batches() {
    curl -sf "$api/metrics" | awk '
        /^rencontres_db_commit_batch_size_sum/ {w=$2} /^rencontres_db_commit_batch_size_count/ {c=$2}
        END { if (c > 0) printf "%d writes in %d commits, %.1f per commit", w, c, w / c }'
}

# Registers people on event $1 with wrk, rounds of $2 seconds with names prefixed $3, until the
# stats' expression $4 (Python, over the stats object s) reaches $5; prints it.
fill_event() {
    local event=$1 round_seconds=$2 prefix=$3 expression=$4 wanted=$5 reached=0 round=0
    echo "$event" >"$work/$prefix-event"
    while [ "$reached" -lt "$wanted" ]; do
        round=$((round + 1))
        wrk -t2 -c16 -d"${round_seconds}"s -s scripts/bench-register.lua "$api" -- \
            "$work/$prefix-event" "$prefix$round" >/dev/null
        reached=$(curl -sf "$api/v1/events/$event/stats" -H "Authorization: Bearer $token" |
            python3 -c "import json,sys; s=json.load(sys.stdin); print($expression)")
    done
    echo "$reached"
}

bench_console() {
    start_server full
    local event total
    event=$(published_event "Forum (banc d essai de la console)" 5000)
    # 10,000 registrations: wrk until the event holds them.
    total=$(fill_event "$event" 2 c 's["confirmed"]+s["waitlisted"]+s["cancelled"]' 10000)
    # Signed in through the form, as a browser would.
    local csrf session
    csrf=$(curl -sf "$api/connexion" | sed -nE 's/.*name="csrf" value="([^"]+)".*/\1/p' | head -1)
    session=$(curl -s -o /dev/null -D - -X POST "$api/connexion" \
        --data-urlencode "csrf=$csrf" --data-urlencode "email=bench@example.org" \
        --data-urlencode "password=benchmark password" |
        sed -nE 's/^Set-Cookie: rencontres_session=([^;]+);.*/\1/p')
    [ -n "$session" ] || { echo "console: could not sign in" >&2; exit 1; }
    local later
    later=$(curl -sf "$api/v1/events/$event/registrations?limit=100&after=0" -H "Authorization: Bearer $token" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][-1]["id"])')
    echo "console: $total registrations in one event (5,000 seats); wrk -t$threads -c16 -d${seconds}s, signed in"
    local target
    for target in "/inscriptions" "/inscriptions?q=participant+c1+1-4" "/inscriptions?statut=waitlisted" \
        "/inscriptions?apres=$later" "/accueil?q=c2"; do
        read -r rps p99 < <(wrk_connections=16 run_wrk -H "Cookie: rencontres_session=$session" \
            "$api/gestion/evenements/$event$target")
        printf '  %-40s %8s requests/s, p99 %s ms\n' "$target" "$rps" "$p99"
    done
}

# 5,000 confirmed registrations: each document (2,000 badges) timed, then two other routes
# measured alone and while three clients keep asking for the event's three badge documents (one
# is drawn at a time per event: the others get 429 and wait its Retry-After), to show that drawing
# never takes their threads; on two cores it does take one core's worth of CPU.
bench_badges() {
    start_server full
    local event confirmed
    event=$(published_event "Forum (banc d essai des badges)" 5000)
    confirmed=$(fill_event "$event" 1 b 's["confirmed"]' 5000)
    local before
    before=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
    echo "badges: $confirmed confirmed registrations (2,000 a document); each PDF fetched 3 times with curl"
    local layout page i
    for layout in a4-8 a6; do
        for page in 1 2 3; do
            for i in 1 2 3; do
                curl -sf -o "$work/badges-$layout-$page.pdf" \
                    -w "  $layout page $page: %{time_total} s, %{size_download} bytes\n" \
                    "$api/v1/events/$event/badges.pdf?layout=$layout&page=$page" -H "Authorization: Bearer $token"
            done
        done
    done
    awk -v before="$before" '/VmHWM/ { printf "  server memory: %.1f MiB resident before, peak %.1f MiB\n", before / 1024, $2 / 1024 }' \
        "/proc/$server_pid/status"
    local target quiet_rps quiet_p99 busy_rps busy_p99
    echo " other routes alone, then while three clients ask for badge sheets, each again as soon as answered (after Retry-After on a 429) (wrk -t$threads -c16 -d${seconds}s)"
    for target in "/v1/events/$event/agenda" "/v1/events?q=forum"; do
        read -r quiet_rps quiet_p99 < <(wrk_connections=16 run_wrk "$api$target")
        rm -f "$work/badge-codes" "$work/badges-stop"
        local loops=()
        for i in 1 2 3; do
            # Each client waits as a 429's Retry-After (5 s) says, as a browser's user would.
            (while [ ! -e "$work/badges-stop" ]; do
                code=$(curl -s -o /dev/null -w '%{http_code}' "$api/v1/events/$event/badges.pdf?page=$i" \
                    -H "Authorization: Bearer $token")
                echo "$code" >>"$work/badge-codes"
                [ "$code" != 429 ] || sleep 5
            done) &
            loops+=($!)
        done
        read -r busy_rps busy_p99 < <(wrk_connections=16 run_wrk "$api$target")
        touch "$work/badges-stop"
        wait "${loops[@]}"
        printf '  %-28s alone %9s requests/s (p99 %s ms); during badges %9s requests/s (p99 %s ms); badge answers: %s\n' \
            "$target" "$quiet_rps" "$quiet_p99" "$busy_rps" "$busy_p99" \
            "$(sort "$work/badge-codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
    done
}

bench_registrations() {
    echo "registrations: wrk -t$threads -c32 -d${seconds}s --latency -s scripts/bench-register.lua"
    registrations_run full
    local full_rps=$run_rps full_p99=$run_p99 full_batches=$run_batches
    registrations_run normal
    local normal_rps=$run_rps normal_p99=$run_p99 normal_batches=$run_batches
    echo "  synchronous=FULL:   $full_rps registrations/s, p99 $full_p99 ms ($full_batches) (targets: >= 5000/s, p99 < 20 ms)"
    echo "  synchronous=NORMAL: $normal_rps registrations/s, p99 $normal_p99 ms ($normal_batches)"
    awk -v f="$full_rps" -v n="$normal_rps" 'BEGIN { printf "  ratio: FULL %.2fx NORMAL (target >= 0.8)\n", f / n }'
}

# Registrations with email going out over SMTP to a local server (tests/tools/smtp_server.py,
# Debian's aiosmtpd) against the file sink, same run: sending must not slow registering.
bench_mail() {
    echo "mail: registrations with the file sink, then with SMTP to a local aiosmtpd"
    registrations_run full
    local file_rps=$run_rps file_p99=$run_p99
    /usr/bin/python3 tests/tools/smtp_server.py "$work/mail" >"$work/smtp.out" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do grep -q listening "$work/smtp.out" 2>/dev/null && break; sleep 0.1; done
    local smtp_port
    smtp_port=$(grep -o '[0-9]*$' "$work/smtp.out")
    server_env="RENCONTRES_SMTP_URL=smtp://127.0.0.1:$smtp_port RENCONTRES_SMTP_TLS=none" \
        registrations_run full
    local smtp_rps=$run_rps smtp_p99=$run_p99
    sleep 2
    local sent
    sent=$(find "$work/mail" -name '*.eml' | wc -l)
    echo "  file sink: $file_rps registrations/s, p99 $file_p99 ms"
    echo "  SMTP sink: $smtp_rps registrations/s, p99 $smtp_p99 ms ($sent messages received by the SMTP server by then)"
    awk -v s="$smtp_rps" -v f="$file_rps" 'BEGIN { printf "  ratio: SMTP %.2fx the file sink\n", s / f }'
}

# The sides of bench_limit: registrations over HTTP, and the raw loop, which starts on a
# database of its own each time, as the server's run started on one.
register_slice_limit() {
    seconds=$slice wrk_connections=32 run_wrk -s scripts/bench-register.lua "$api" -- \
        "$work/run-event" "limit-$i"
}
loop_slice() { ./build/registration_loop "$work/loop-$i.db" "$slice" full; }

bench_limit() {
    bench_agenda
    echo "registrations against the raw loop: $slices alternating slices of ${slice}s each, synchronous=FULL"
    start_server full
    published_event "Inscriptions (banc d essai)" 1000000 >"$work/run-event"
    alternate_slices register_slice_limit loop_slice
    local app_rps=$a_rps app_p99=$a_p99 raw_rps=$b_rps raw_p99=$b_p99 app_batches
    app_batches=$(commit_batches)
    echo "  rencontres (HTTP, group commit): $app_rps registrations/s, p99 $app_p99 ms ($app_batches)"
    echo "  raw loop (no HTTP, a commit each): $raw_rps registrations/s, p99 $raw_p99 ms"
    awk -v a="$app_rps" -v r="$raw_rps" \
        'BEGIN { printf "  ratio: %.2fx the raw loop (target >= 4)\n", a / r }'
}

# The CPU time so far (user + system) of the process $1 (the server by default), in clock ticks.
server_ticks() { awk '{print $14 + $15}' "/proc/${1:-$server_pid}/stat"; }

# This machine's own speed drifts: the same 10- or 30-second wrk run of the agenda, repeated,
# gave between 0.73x and 1.0x of its best on the same server and database. Consecutive runs on a
# growing database compare two moments of that drift as much as two sizes of the database. So,
# on SQLite, each growth run is paired with a reference: the same registrations on a copy of the
# database as it was before the first registration (restored before each run, served by a second
# process on port 18083), measured in slices that alternate with the growth run's, so that both
# see the same moments of the machine. The reference's runs show the drift; the growth run against
# its reference shows the cost of the database's size alone.
ref_port=18083
ref_pid=

# Copies the database as it is now (before any registration) for the reference.
snapshot_reference() {
    rm -f "$work/reference.db"
    ./build/rencontres backup --db "$db" --to "$work/reference.db" >/dev/null
}

# Starts (or restarts) the reference server on a fresh copy of the snapshot.
start_reference() {
    if [ -n "$ref_pid" ]; then kill "$ref_pid"; wait "$ref_pid" 2>/dev/null || true; fi
    rm -f "$work/ref.db" "$work/ref.db-wal" "$work/ref.db-shm" "$work/outbox-ref.log"
    cp "$work/reference.db" "$work/ref.db"
    RENCONTRES_OUTBOX_SINK_PATH="$work/outbox-ref.log" RENCONTRES_DATABASE_SYNCHRONOUS=full \
        ./build/rencontres serve --db "$work/ref.db" --listen "127.0.0.1:$ref_port" \
        >"$work/server-ref.log" 2>&1 &
    ref_pid=$!
    pids+=("$ref_pid")
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ref_port/readyz" >/dev/null && break; sleep 0.1; done
    kill -0 "$ref_pid" 2>/dev/null || { echo "the reference server did not start:" >&2; cat "$work/server-ref.log" >&2; exit 1; }
}

stop_reference() {
    [ -n "$ref_pid" ] || return 0
    kill "$ref_pid" 2>/dev/null || true
    wait "$ref_pid" 2>/dev/null || true
    ref_pid=
}

# A slice of growth_runs (which sets events_file and run) on the server at $1 of process $2:
# prints "requests/s p99 CPU-ticks".
growth_slice() {
    local before measured
    before=$(server_ticks "$2")
    measured=$(seconds=$slice wrk_connections=32 run_wrk -s scripts/bench-register.lua "$1" -- \
        "$events_file" "r$run-$i")
    echo "$measured $(($(server_ticks "$2") - before))"
}
grown_slice() { growth_slice "$api" "$server_pid"; }
reference_slice() { growth_slice "http://127.0.0.1:$ref_port" "$ref_pid"; }

# Consecutive registration runs on the events listed in $1 until the database holds $2
# registrations (and at least 6 runs); prints a line per run and the last run against the first.
# With $3 = paired, each run alternates with its reference (above) in $slices slices.
growth_runs() {
    local events_file=$1 target=$2 paired=${3:-} run=0 total=0 hz first_rps= first_ref= rps ref
    local slices=$slices slice=$slice reference=reference_slice
    if [ "$paired" != paired ]; then slices=1 slice=$seconds reference=; fi
    hz=$(getconf CLK_TCK)
    while [ "$run" -lt 6 ] || [ "$total" -lt "$target" ]; do
        run=$((run + 1))
        [ -z "$reference" ] || start_reference
        alternate_slices grown_slice "$reference"
        total=$(curl -sf "$api/metrics" | awk '/^rencontres_registrations\{/ {n += $2} END {print n}')
        rps=$a_rps ref=${b_rps:-}
        awk -v r="$run" -v rps="$rps" -v p="$a_p99" -v t="$total" -v d="$a_ticks" -v hz="$hz" \
            -v s="$((slice * slices))" -v n="$slices" \
            'BEGIN { printf "  run %d: %s registrations/s, p99 %s ms%s, %.0f us of server CPU per registration, %d registrations in the database\n", r, rps, p, (n > 1 ? " (highest of the slices)" : ""), d / hz * 1e6 / (rps * s), t }'
        [ -n "$first_rps" ] || first_rps=$rps
        if [ -n "$reference" ]; then
            awk -v ref="$ref" -v rps="$rps" -v d="$b_ticks" -v hz="$hz" -v s="$((slice * slices))" \
                'BEGIN { printf "         reference (the database before the first registration), same moments: %s registrations/s, %.0f us per registration; run against reference %.2fx\n", ref, d / hz * 1e6 / (ref * s), rps / ref }'
            [ -n "$first_ref" ] || first_ref=$ref
        fi
    done
    awk -v f="$first_rps" -v l="$rps" \
        'BEGIN { printf "  last run %.2fx the first\n", l / f }'
    if [ -n "$reference" ]; then
        stop_reference
        awk -v f="$first_rps" -v l="$rps" -v fr="$first_ref" -v lr="$ref" \
            'BEGIN { printf "  the reference moved %.2fx between the same runs (the machine); corrected for that, the last run is %.2fx the first (target >= 0.85)\n", lr / fr, (l / lr) / (f / fr) }'
    fi
}

bench_growth() {
    start_server full
    echo "growth: wrk -t$threads -c32 per run, $slices slices of ${slice}s alternating with the reference's, synchronous=FULL"
    published_event "Inscriptions (croissance)" 50000 >"$work/one-event"
    snapshot_reference
    echo " one event of 50,000 seats (the rest waitlisted):"
    growth_runs "$work/one-event" 100000 paired
    echo "  write-ahead log at the end: $(stat -c %s "$db-wal") bytes"

    start_server full
    echo " 1,000 published events of 500 seats, each registration to one at random:"
    : >"$work/many-events"
    for i in $(seq 1 1000); do
        published_event "Rencontre $i" 500 >>"$work/many-events"
    done
    snapshot_reference
    growth_runs "$work/many-events" 100000 paired
    echo "  write-ahead log at the end: $(stat -c %s "$db-wal") bytes"
}

# Resident memory of the server every 2 s, in KiB, until killed.
sample_rss() {
    while kill -0 "$server_pid" 2>/dev/null; do
        awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true
        sleep 2
    done
}

bench_soak() {
    start_server full
    event=$(generate_event)
    local open_event
    open_event=$(post /v1/events '{"title":"Inscriptions (endurance)","starts_at":"2031-06-11T09:00:00+02:00",
        "ends_at":"2031-06-11T17:00:00+02:00","venue":{"city":"Limoges"},"capacity":500}' | json '["id"]')
    post "/v1/events/$open_event/publish" '{}' >/dev/null
    echo "soak: ${seconds}s, wrk -t$threads -c256 --latency -s scripts/bench-soak.lua (90% reads, 10% writes)"
    sample_rss >"$work/rss.log" &
    local sampler=$!
    local out
    out=$(wrk -t"$threads" -c256 -d"${seconds}s" --latency -s scripts/bench-soak.lua "$api" -- "$event" "$open_event")
    kill "$sampler" 2>/dev/null || true
    local rps p50 p99 p999 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    read -r p50 p99 p999 errors < <(awk '$1 == "SOAK" {print $2, $3, $4, $5}' <<<"$out")
    echo "  throughput: $rps requests/s; latency p50 $p50 ms, p99 $p99 ms, p99.9 $p999 ms"
    echo "  errors (non-2xx and socket errors): $errors (target 0)"
    awk '{ rss[NR] = $1 } END {
        n = NR; w = int(n / 5); if (w < 1) w = 1
        for (i = 1; i <= n; i++) if (rss[i] > peak) peak = rss[i]
        for (i = 1; i <= w; i++) if (rss[i] > warm) warm = rss[i]
        for (i = n - w + 1; i <= n; i++) if (rss[i] > last) last = rss[i]
        printf "  resident memory: peak %.1f MiB (target < 128); first fifth %.1f MiB, last fifth %.1f MiB (%d samples)\n",
            peak / 1024, warm / 1024, last / 1024, n }' "$work/rss.log"
}

# The machine's CPU ticks so far, "idle all" (every core, /proc/stat), and the share of them idle
# since such a reading: whether a run was bound by the CPU (nothing idle) or by waiting.
machine_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print $5 + $6, t }' /proc/stat; }
idle_since() {
    local idle0 all0 idle1 all1
    read -r idle0 all0 <<<"$1"
    read -r idle1 all1 < <(machine_ticks)
    awk -v i=$((idle1 - idle0)) -v a=$((all1 - all0)) 'BEGIN { printf "%.0f", a ? 100 * i / a : 0 }'
}

# A second instance on the database of the first, on port 18082, and nginx balancing the two on
# $nginx_port (the shape of deploy/nginx.conf); $api then points at nginx.
start_second_instance() {
    RENCONTRES_OUTBOX_SINK_PATH="$work/outbox-2.log" ./build/rencontres serve --db "$db" \
        --listen 127.0.0.1:18082 >"$work/server-2.log" 2>&1 &
    second_pid=$!
    pids+=("$second_pid")
    for _ in $(seq 100); do curl -sf http://127.0.0.1:18082/readyz >/dev/null && break; sleep 0.1; done
    run_nginx balancer "    upstream rencontres { server 127.0.0.1:$app_port; server 127.0.0.1:18082; keepalive 64; }
    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://rencontres;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }" readyz
}

# Agenda reads and durable registrations on the current store; sets agenda_rps, agenda_p99,
# reg_rps, reg_p99 and reg_idle (the share of the machine's CPU left idle while registering). With
# $1 = two, through nginx in front of two instances.
postgres_round() {
    start_server full
    local event
    event=$(generate_event)
    # Twenty events, each registration to one at random: registrations for different events run
    # at once on PostgreSQL, those for one event take their turn.
    : >"$work/run-event"
    for i in $(seq 1 20); do
        published_event "Inscriptions (banc d essai) $i" 1000000 >>"$work/run-event"
    done
    local target=$api
    if [ "${1:-}" = two ]; then
        start_second_instance
        target="http://127.0.0.1:$nginx_port"
    fi
    read -r agenda_rps agenda_p99 < <(run_wrk "$target/v1/events/$event/agenda")
    # Two seconds of registrations first, not counted: each writer connection prepares its
    # statements on its first registrations, and the figure is of the server at work, not of its
    # first second.
    seconds=2 wrk_connections=32 run_wrk -s scripts/bench-register.lua "$target" -- \
        "$work/run-event" "warm-$1" >/dev/null
    local before
    before=$(machine_ticks)
    read -r reg_rps reg_p99 < <(wrk_connections=32 run_wrk -s scripts/bench-register.lua "$target" -- \
        "$work/run-event" "$1")
    reg_idle=$(idle_since "$before")
    if [ "${1:-}" = two ]; then
        kill "${pids[-1]}" 2>/dev/null || true # the balancer
    fi
}

bench_postgres() {
    ensure_packages postgresql-15
    local pg_dir="$work/pg"
    tests/support/test-postgres.sh start "$pg_dir"
    echo "postgres: wrk -t$threads -c$connections (agenda), -c32 (registrations), ${seconds}s each, durable commits"
    pg= postgres_round sqlite
    local s_agenda=$agenda_rps s_agenda_p99=$agenda_p99 s_reg=$reg_rps s_reg_p99=$reg_p99 s_idle=$reg_idle
    pg=$pg_dir postgres_round one
    local p_agenda=$agenda_rps p_agenda_p99=$agenda_p99 p_reg=$reg_rps p_reg_p99=$reg_p99 p_idle=$reg_idle
    pg=$pg_dir postgres_round two
    local t_agenda=$agenda_rps t_agenda_p99=$agenda_p99 t_reg=$reg_rps t_reg_p99=$reg_p99 t_idle=$reg_idle
    # The same database a network hop away: every byte between the instances and PostgreSQL goes
    # through build/delay_proxy (bench/delay_proxy.cpp), held BENCH_PG_DELAY_MS each way;
    # pgbench -S -c1 through it
    # says what a round trip then costs.
    local proxy_port=18093 delay=${BENCH_PG_DELAY_MS:-0.2}
    ./build/delay_proxy "$proxy_port" "$pg_dir/.s.PGSQL.5432" "$delay" >"$work/proxy.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do grep -q listening "$work/proxy.log" 2>/dev/null && break; sleep 0.1; done
    psql -h "$pg_dir" -U postgres -q -c 'DROP DATABASE IF EXISTS pgb' -c 'CREATE DATABASE pgb'
    pgbench -h "$pg_dir" -U postgres -i -s 1 -q pgb >/dev/null 2>&1
    local hop
    hop=$(pgbench -h 127.0.0.1 -p "$proxy_port" -U postgres -S -c1 -T5 pgb 2>/dev/null |
        awk '/latency average/ { print $4 }')
    pg=$pg_dir pg_port=$proxy_port postgres_round one
    local d_agenda=$agenda_rps d_agenda_p99=$agenda_p99 d_reg=$reg_rps d_reg_p99=$reg_p99 d_idle=$reg_idle
    pg=$pg_dir pg_port=$proxy_port postgres_round two
    local e_agenda=$agenda_rps e_agenda_p99=$agenda_p99 e_reg=$reg_rps e_reg_p99=$reg_p99 e_idle=$reg_idle
    printf '  %-44s agenda %9s requests/s (p99 %s ms), registrations %8s/s (p99 %s ms, CPU %s %% idle)\n' \
        "SQLite, one instance:" "$s_agenda" "$s_agenda_p99" "$s_reg" "$s_reg_p99" "$s_idle" \
        "PostgreSQL, one instance:" "$p_agenda" "$p_agenda_p99" "$p_reg" "$p_reg_p99" "$p_idle" \
        "PostgreSQL, two instances + nginx:" "$t_agenda" "$t_agenda_p99" "$t_reg" "$t_reg_p99" "$t_idle" \
        "PostgreSQL ${hop} ms away, one instance:" "$d_agenda" "$d_agenda_p99" "$d_reg" "$d_reg_p99" "$d_idle" \
        "PostgreSQL ${hop} ms away, two instances:" "$e_agenda" "$e_agenda_p99" "$e_reg" "$e_reg_p99" "$e_idle"
    echo "  (the delay proxy holds ${delay} ms each way; pgbench -S -c1 through it: ${hop} ms a transaction)"
    awk -v sa="$s_agenda" -v sr="$s_reg" -v pa="$p_agenda" -v pr="$p_reg" -v ta="$t_agenda" -v tr="$t_reg" \
        -v dr="$d_reg" -v er="$e_reg" \
        'BEGIN { printf "  against SQLite: one instance %.2fx agenda, %.2fx registrations; two instances %.2fx agenda, %.2fx registrations\n", pa / sa, pr / sr, ta / sa, tr / sr;
                 printf "  a hop away: one instance %.3fx SQLite registrations; two instances %.2fx one\n", dr / sr, er / dr }'
    pg=$pg_dir start_server full
    echo " growth on PostgreSQL, 20 events of 5,000 seats: wrk -t$threads -c32 -d${seconds}s per run"
    : >"$work/twenty-events"
    for i in $(seq 1 20); do
        published_event "Inscriptions (croissance) $i" 5000 >>"$work/twenty-events"
    done
    growth_runs "$work/twenty-events" 100000
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    tests/support/test-postgres.sh stop "$pg_dir"
}

bench_live() {
    local listeners=${BENCH_LISTENERS:-10000}
    # One address posts everything: the per-client limits of the room are off; room for the
    # listeners' connections and file descriptors.
    ulimit -n "$(ulimit -Hn)"
    server_env="RENCONTRES_FLOOR_QUESTIONS_PER_CLIENT=0 RENCONTRES_FLOOR_VOTES_PER_CLIENT=0 RENCONTRES_SERVER_MAX_CONNECTIONS=$((listeners + 1000))" \
        start_server full
    local event session
    event=$(post /v1/events '{"title":"Congres national (salle)","starts_at":"2031-06-11T09:00:00+02:00",
        "ends_at":"2031-06-11T17:00:00+02:00","venue":{"city":"Limoges"},"capacity":10000}' | json '["id"]')
    session=$(post "/v1/events/$event/sessions" '{"title":"Pleniere","kind":"keynote","questions":"open",
        "starts_at":"2031-06-11T09:00:00+02:00","ends_at":"2031-06-11T12:00:00+02:00"}' | json '["id"]')
    post "/v1/events/$event/publish" '{}' >/dev/null
    echo "live: $listeners listeners on one session for ${seconds}s; 50 questions/s and 2,000 votes/s (build/live_load)"
    sample_rss >"$work/rss.log" &
    local sampler=$!
    ./build/live_load "$app_port" "$session" "$listeners" "$seconds" 50 2000
    kill "$sampler" 2>/dev/null || true
    awk '{ if ($1 > peak) peak = $1 } END { printf "  server resident memory: peak %.1f MiB (target <= 256)\n", peak / 1024 }' "$work/rss.log"
}

case "$mode" in
live) bench_live ;;
postgres) bench_postgres ;;
agenda) bench_agenda ;;
registrations) bench_registrations ;;
limit) bench_limit ;;
pages) bench_pages ;;
mail) bench_mail ;;
growth) bench_growth ;;
console) bench_console ;;
badges) bench_badges ;;
soak) bench_soak ;;
all) bench_agenda; bench_pages; bench_registrations; bench_limit ;;
*) echo "unknown mode '$mode' (agenda, pages, registrations, mail, limit, growth, console, badges, postgres, soak, live, all)" >&2; exit 2 ;;
esac
