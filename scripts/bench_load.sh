#!/usr/bin/env bash
# The load test at force scale (issue 9): the server in production mode on loopback, the task
# worker beside it, locust playing caseworkers, co-ordinators, analysts and an API client.
#
#   scripts/bench_load.sh                 # on openiom_load (build it first: scripts/load/prepare.sh)
#   scripts/bench_load.sh --smoke         # a 90-second self-check on a small database it builds itself
#   USERS=16 SPAWN_RATE=1 RUN_TIME=10m MAX_REQUESTS=30000 OPENIOM_WORKERS=5 scripts/bench_load.sh
#
# Prints a table per page (requests, errors, p50/p95/p99, p95 as a multiple of the trivial page's)
# with PASS/FAIL against the goal: no errors, and every page's p95 within 5 times the trivial
# page's. Exit status 1 when a request failed, 2 when a page was too slow, 0 when the goal is met.
# Results go to var/load/run-DATE/ (locust CSVs, every request's time, server and worker logs).
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${LOAD_DB:-openiom_load}
USERS=${USERS:-16}
SPAWN_RATE=${SPAWN_RATE:-1}
RUN_TIME=${RUN_TIME:-10m}
MAX_REQUESTS=${MAX_REQUESTS:-30000}
WARM_UP=${WARM_UP:-60}   # seconds left out of the percentiles (users signing in, first use of each page)
# A free port on loopback (others on this machine serve on the usual ones), unless PORT is given.
PORT=${PORT:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
export OPENIOM_WORKERS=${OPENIOM_WORKERS:-5}   # gunicorn's default on 2 cores: 2 x cores + 1
if [[ "${1:-}" == "--smoke" ]]; then
  DB=${LOAD_DB:-openiom_load_smoke}
  USERS=${USERS_SMOKE:-9}; SPAWN_RATE=3; RUN_TIME=90s; MAX_REQUESTS=3000; WARM_UP=30
  if ! psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$DB'" 2>/dev/null | grep -q 1 \
     || [[ ! -f "var/load/logins-$DB.json" ]]; then
    scripts/load/prepare.sh 2000 "$DB"
  fi
elif [[ -n "${1:-}" ]]; then
  sed -n '2,14p' "$0"; exit 2
fi

pg_isready -q -h 127.0.0.1 -p 5432 || scripts/start-postgres.sh
LOGINS="var/load/logins-$DB.json"
psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 && [[ -f "$LOGINS" ]] \
  || { echo "No load-test database $DB: run scripts/load/prepare.sh first" >&2; exit 1; }
OUT="var/load/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# The server as a partnership runs it: production mode behind a TLS-terminating proxy.
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export OPENIOM_PRODUCTION=true
OPENIOM_SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(64))")
export OPENIOM_SECRET_KEY
export OPENIOM_ALLOWED_HOSTS=127.0.0.1
export OPENIOM_BEHIND_TLS_PROXY=true        # locust sends X-Forwarded-Proto: https, as the proxy would
export OPENIOM_CACHE=database               # rate-limit counters shared by every worker
export OPENIOM_STATIC_ROOT="$PWD/var/load/static"
export OPENIOM_JOB_OUTPUT_DIR="$PWD/var/load/job-output"
export OPENIOM_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend  # no mail server here
export OPENIOM_LOAD_LOGINS="$LOGINS"
export OPENIOM_LOAD_STEPS="var/load/totp-steps-$DB.json"

SERVER_PID=""; WORKER_PID=""
stop() {
  for pid in $SERVER_PID $WORKER_PID; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $SERVER_PID $WORKER_PID; do
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap stop EXIT INT TERM

echo "== collectstatic and cache table"
.venv/bin/openiom collectstatic --noinput -v0
.venv/bin/openiom createcachetable
.venv/bin/openiom check --deploy --fail-level ERROR >"$OUT/check-deploy.txt" 2>&1 || { cat "$OUT/check-deploy.txt"; exit 1; }

if curl -s -m 5 -o /dev/null "http://127.0.0.1:$PORT/"; then echo "Port $PORT is already in use" >&2; exit 1; fi
echo "== server (gunicorn, $OPENIOM_WORKERS workers) and task worker on 127.0.0.1:$PORT"
.venv/bin/openiom serve --bind "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
.venv/bin/openiom worker >"$OUT/worker.log" 2>&1 &
WORKER_PID=$!
for _ in $(seq 1 120); do   # gunicorn takes 5 to 30 s to start on a busy machine
  curl -fsS -m 60 -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  sleep 1
done
curl -fsS -m 60 -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/health" >/dev/null

# Warm-up, not measured: each gunicorn worker loads the views and compiles the templates on its
# first requests, as it would have long before anyone's working day.
for _ in $(seq 1 3); do
  warming=()
  for path in /sign-in/ /accessibility/ /health /sign-in/ /accessibility/ /health /sign-in/ /accessibility/; do
    curl -s -m 120 -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT$path" &
    warming+=($!)
  done
  wait "${warming[@]}"   # these requests only: a bare `wait` would wait for the server too
done

cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }   # user nice system irq softirq (jiffies)
BUSY0=$(cpu_busy); LOAD0=$(cut -d' ' -f1-3 /proc/loadavg); T0=$(date +%s)
echo "== locust: $USERS users, spawn rate $SPAWN_RATE/s, at most $RUN_TIME and $MAX_REQUESTS requests"
set +e
/usr/bin/time -f "%U %S" -o "$OUT/locust-cpu.txt" .venv/bin/locust -f scripts/load/locustfile.py --headless \
  --host "http://127.0.0.1:$PORT" -u "$USERS" -r "$SPAWN_RATE" -t "$RUN_TIME" --max-requests "$MAX_REQUESTS" \
  --stop-timeout 30 --csv "$OUT/locust" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1
LOCUST_STATUS=$?
set -e
T1=$(date +%s); BUSY1=$(cpu_busy); LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# CPU seconds: the whole machine, and ours (the server's workers, the task worker, our PostgreSQL
# sessions, locust), so a reader can tell whether other work shared the two cores.
HZ=$(getconf CLK_TCK)
proc_cpu() { local s=0; for p in "$@"; do [[ -r /proc/$p/stat ]] && s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo $s; }
SERVER_JIFFIES=$(proc_cpu "$SERVER_PID" $(pgrep -P "$SERVER_PID" || true) "$WORKER_PID")
PG_JIFFIES=$(proc_cpu $(pgrep -f "postgres $DB 127.0.0.1" || true))
LOCUST_CPU=$(awk '{print $1+$2}' "$OUT/locust-cpu.txt" 2>/dev/null || echo 0)
{
  echo "machine: $(nproc) cores; load average before $LOAD0, after $LOAD1; $((T1 - T0)) s of test"
  echo "cpu seconds: machine busy $(echo "($BUSY1 - $BUSY0) / $HZ" | bc)," \
       "server+worker $(echo "$SERVER_JIFFIES / $HZ" | bc) (since start), our PostgreSQL sessions" \
       "$(echo "$PG_JIFFIES / $HZ" | bc) (still open), locust $LOCUST_CPU"
  echo "settings: OPENIOM_WORKERS=$OPENIOM_WORKERS, users $USERS, spawn rate $SPAWN_RATE/s, run time $RUN_TIME," \
       "max requests $MAX_REQUESTS, warm-up ${WARM_UP}s, database $DB, API rate limit ${OPENIOM_API_RATE_LIMIT:-300}/min"
} | tee "$OUT/machine.txt"
if [[ $LOCUST_STATUS -ne 0 && $LOCUST_STATUS -ne 1 ]]; then
  tail -30 "$OUT/locust.log"; echo "locust failed to run (exit $LOCUST_STATUS)" >&2; exit 1
fi
echo
set +e
.venv/bin/python scripts/load/report.py "$OUT/locust_requests.csv" --warm-up "$WARM_UP" | tee "$OUT/report.md"
STATUS=${PIPESTATUS[0]}
set -e
grep -E "Error|Traceback" "$OUT/server.log" "$OUT/worker.log" | head -20 || true
echo "Results in $OUT"
exit "$STATUS"
