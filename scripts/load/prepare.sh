#!/usr/bin/env bash
# Build the load-test database from scratch: a force of PEOPLE people (default 100,000) with 10
# years of history, their records linked, a cohort selection run, a force-sized caseload, panel
# meetings and referrals, closed cases of earlier years, targets, and the load test's accounts.
#
#   scripts/load/prepare.sh [PEOPLE] [DATABASE]        # defaults: 100000 openiom_load
#   LINK=1 scripts/load/prepare.sh                     # also link the records (see below)
#
# Record linkage is left out by default: the demo links its 3,000 people, but at 100,000 people the
# linkage job merges about 65,000 pairs one at a time, each audited: about two hours on this machine
# before the run's audit entries were sealed together (59 merges a second since, measured at
# 10,000 people: expect about 20 minutes; docs/benchmarks.md, "Record linkage"). Unlinked, each agency's record is a person of its own
# (165,114 people for 100,000 true people): pages show one agency's record per person.
# Idempotent: the database is dropped and created again each time. The generated delivery is kept
# in var/load/data-PEOPLE and reused (the generator is deterministic for the same arguments).
# PostgreSQL on 127.0.0.1:5432 (scripts/start-postgres.sh). Synthetic data only.
# Writes var/load/logins-DATABASE.json (passwords, TOTP keys and API tokens of the load-test users,
# mode 0600) and var/load/prepare-DATABASE.txt (the time each step took and the row counts).
set -euo pipefail
cd "$(dirname "$0")/../.."
PEOPLE=${1:-100000}
DB=${2:-openiom_load}
[[ "$PEOPLE" =~ ^[0-9]+$ ]] || { echo "PEOPLE must be a number" >&2; exit 2; }
[[ "$DB" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "DATABASE must be a plain PostgreSQL name" >&2; exit 2; }
PG=postgres://postgres@127.0.0.1:5432
export DATABASE_URL="$PG/$DB"
export OPENIOM_PRODUCTION=false
export OPENIOM_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend  # papers and notices go nowhere
export OPENIOM_JOB_OUTPUT_DIR="$PWD/var/load/job-output"
unset OPENIOM_SECRET_KEY
DATA="var/load/data-$PEOPLE"
LOGINS="var/load/logins-$DB.json"
REPORT="var/load/prepare-$DB.txt"
mkdir -p var/load
pg_isready -q -h 127.0.0.1 -p 5432 || scripts/start-postgres.sh
: >"$REPORT"
STARTED=$(date +%s.%N)

step() {  # step NAME COMMAND...: run it, print and record how long it took
  local name=$1; shift
  echo "== $name"
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  printf '%-42s %8.1f s\n' "$name" "$(echo "$t1 - $t0" | bc)" | tee -a "$REPORT"
}
seed() { .venv/bin/python scripts/load/seed_force.py "$1" --people "$PEOPLE" --out "$LOGINS"; }

generate() {
  if [[ -f "$DATA/ground_truth.csv" ]]; then
    echo "reusing $DATA"
  else
    rm -rf "$DATA"
    .venv/bin/openiom generate --people "$PEOPLE" --years 10 --seed 1 --out "$DATA"
  fi
}
recreate() { psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"; }
partnership() { .venv/bin/openiom demo --no-serve --no-data >"var/load/demo-$DB.txt"; head -1 "var/load/demo-$DB.txt"; }
analyse() { psql "$DATABASE_URL" -qc "VACUUM (ANALYZE)"; }

step "generate $PEOPLE people, 10 years" generate
step "drop and create the database" recreate
step "migrate" .venv/bin/openiom migrate -v0
step "the partnership and demo users" partnership
step "import the delivery" .venv/bin/openiom import "$DATA"
if [[ "${LINK:-0}" == 1 ]]; then step "record linkage" seed link; fi
step "cohort selection run" seed select
step "the force's staff" seed staff
step "open cases with their work" seed cases
step "closed cases of earlier years" seed history
step "panel meetings and referrals" seed panels
step "performance targets" seed targets
step "load-test logins" seed logins
step "cache table (rate limits)" .venv/bin/openiom createcachetable
step "vacuum and analyse" analyse
printf '%-42s %8.1f s\n' "total" "$(echo "$(date +%s.%N) - $STARTED" | bc)" | tee -a "$REPORT"

echo "== rows" | tee -a "$REPORT"
psql "$DATABASE_URL" -At -F ' ' <<'SQL' | awk '{printf "%-28s %12d\n", $1, $2}' | tee -a "$REPORT"
SELECT 'people', count(*) FROM people_person
UNION ALL SELECT 'person_records', count(*) FROM people_personrecord
UNION ALL SELECT 'offences', count(*) FROM offending_offence
UNION ALL SELECT 'custody_periods', count(*) FROM offending_custodyperiod
UNION ALL SELECT 'flags', count(*) FROM offending_flag
UNION ALL SELECT 'selection_runs', count(*) FROM cohort_selectionrun
UNION ALL SELECT 'scored_people', count(*) FROM cohort_scoredperson
UNION ALL SELECT 'open_cases', count(*) FROM cases_case WHERE status = 'open'
UNION ALL SELECT 'closed_cases', count(*) FROM cases_case WHERE status = 'closed'
UNION ALL SELECT 'contacts', count(*) FROM cases_contact
UNION ALL SELECT 'plan_actions', count(*) FROM cases_planaction
UNION ALL SELECT 'interventions', count(*) FROM cases_intervention
UNION ALL SELECT 'victims', count(*) FROM cases_victim
UNION ALL SELECT 'meetings', count(*) FROM panels_meeting
UNION ALL SELECT 'agenda_items', count(*) FROM panels_agendaitem
UNION ALL SELECT 'referrals', count(*) FROM panels_referral
UNION ALL SELECT 'targets', count(*) FROM evaluation_target
UNION ALL SELECT 'users', count(*) FROM accounts_user
UNION ALL SELECT 'audit_entries', count(*) FROM auditlog_logentry;
SQL
psql "$DATABASE_URL" -Atc "SELECT 'database size: ' || pg_size_pretty(pg_database_size(current_database()))" | tee -a "$REPORT"
echo "Ready: $DATABASE_URL (logins in $LOGINS; times in $REPORT)"
