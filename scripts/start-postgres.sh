#!/usr/bin/env bash
# Start a local PostgreSQL on 127.0.0.1:5432 with trust authentication for local tests and CI.
# Does nothing when one is already answering there. Never used for production.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "PostgreSQL is already running on 127.0.0.1:5432"
else
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1 || true)
  if [[ -z "$version" ]]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$version" main >/dev/null
  fi
  hba=$(pg_conftool -s "$version" main show hba_file)
  sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)(scram-sha-256|md5|peer)/\1trust/' "$hba"
  sed -i -E 's/^(host\s+all\s+all\s+::1\/128\s+)(scram-sha-256|md5|peer)/\1trust/' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
fi
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='openiom'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE openiom"
echo "PostgreSQL ready: postgres://postgres@127.0.0.1:5432/openiom"
