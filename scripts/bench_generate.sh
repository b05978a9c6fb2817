#!/usr/bin/env bash
# Time and peak memory of the synthetic data generator (docs/benchmarks.md).
#   scripts/bench_generate.sh                 # 100,000 people as CSV and Parquet, 1,000,000 as CSV
#   scripts/bench_generate.sh 20000 200000    # other sizes: the first as CSV and Parquet, the second as CSV
# GNU time -v gives the wall clock and the maximum resident set size; wc counts the rows.
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-100000}
LARGE=${2:-1000000}
WORK=$(mktemp -d /tmp/openiom-bench-generate-XXXX)
trap 'rm -rf "$WORK"' EXIT

run() {  # run NAME ARGS...: one generator run, with its time, memory and row counts
  local name=$1
  shift
  local cmd=(.venv/bin/python -m openiom.synthetic.cli "$@" --out "$WORK/$name" --quiet)
  echo "== ${cmd[*]/#$WORK/\$WORK}"
  /usr/bin/time -v "${cmd[@]}" 2>"$WORK/$name.time"
  grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$WORK/$name.time" | sed 's/^\s*/   /'
  if compgen -G "$WORK/$name/*.parquet" >/dev/null; then
    .venv/bin/python - "$WORK/$name" <<'EOF'
import sys
from pathlib import Path
import pyarrow.parquet as pq
for path in sorted(Path(sys.argv[1]).glob("*.parquet")):
    print(f"   {pq.ParquetFile(path).metadata.num_rows:>10,} rows  {path.name}  ({path.stat().st_size / 1e6:.1f} MB)")
EOF
  fi
  for path in "$WORK/$name"/*.csv; do
    printf "   %10s rows  %s  (%s)\n" "$(($(wc -l <"$path") - 1))" "$(basename "$path")" "$(du -h "$path" | cut -f1)"
  done
}

run small-csv --people "$SMALL" --years 10 --seed 1
run small-parquet --people "$SMALL" --years 10 --seed 1 --format parquet
run large-csv --people "$LARGE" --years 10 --seed 1
