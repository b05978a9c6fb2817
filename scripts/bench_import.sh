#!/usr/bin/env bash
# Generation and import throughput at a given size, on SQLite or PostgreSQL.
#   scripts/bench_import.sh 100000            # SQLite in a temporary file
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/openiom_bench scripts/bench_import.sh 100000
# Prints wall time and peak memory of each step (GNU time), and the import report.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:?number of people}
WORK=$(mktemp -d /tmp/openiom-bench-XXXX)
trap 'rm -rf "$WORK"' EXIT
export OPENIOM_SQLITE_PATH="$WORK/bench.sqlite3"
if [[ -n "${DATABASE_URL:-}" ]]; then
  db=$(python3 -c "import sys,urllib.parse as u; print(u.urlparse(sys.argv[1]).path.lstrip('/'))" "$DATABASE_URL")
  psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
fi
T="/usr/bin/time -f %e_s_%M_KB"
echo "== generate $N people"; $T .venv/bin/openiom generate --people "$N" --years 10 --seed 1 --out "$WORK/data"
wc -l "$WORK"/data/*.csv
.venv/bin/openiom migrate -v0
.venv/bin/openiom demo --no-serve --no-data >/dev/null
echo "== import (first time)"; $T .venv/bin/openiom import "$WORK/data"
echo "== import again (nothing changes)"; $T .venv/bin/openiom import "$WORK/data"
