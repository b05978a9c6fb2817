"""Indexes for person search at force scale (PostgreSQL only; SQLite needs none at its sizes).

Name search matches any part of a name, case-insensitively (`icontains`: UPPER(name) LIKE
UPPER('%word%')), which no B-tree index can answer: trigram GIN indexes (pg_trgm, a trusted
extension any database owner may create) can. Identifier search compares UPPER(identifier):
expression indexes on exactly that. Without them both read every record (165,000 records for a
force of 100,000 people: docs/benchmarks.md, the load test).
"""

from django.db import migrations

INDEXES = {
    "people_record_given_trgm": "USING gin (UPPER(given_name::text) gin_trgm_ops)",
    "people_record_family_trgm": "USING gin (UPPER(family_name::text) gin_trgm_ops)",
    "people_record_pnc_upper": "(UPPER(pnc_id::text))",
    "people_record_source_id_upper": "(UPPER(source_person_id::text))",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON people_personrecord {definition}")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_matchcandidate_personmerge_and_more")]
    operations = [migrations.RunPython(create, drop)]
