"""Seed the sharing matrix with the defaults documented in docs/sharing.md (a frozen copy of
`openiom.sharing.defaults.DEFAULT_RULES` as it was when this migration was written)."""

from django.db import migrations

# (category, agency type, can read, can write, needs consent)
DEFAULTS = (
    ("health", "health", True, True, False),
    ("health", "mental_health", True, True, False),
    ("health", "probation", True, True, True),
    ("health", "youth_offending", True, True, True),
    ("substance_misuse_treatment", "substance_misuse", True, True, False),
    ("substance_misuse_treatment", "probation", True, True, False),
    ("substance_misuse_treatment", "youth_offending", True, True, False),
    ("substance_misuse_treatment", "health", True, False, False),
    ("domestic_abuse", "police", True, True, False),
    ("domestic_abuse", "probation", True, True, False),
    ("domestic_abuse", "youth_offending", True, True, False),
    ("domestic_abuse", "victim_services", True, True, False),
    ("domestic_abuse", "community_safety", True, True, False),
    ("domestic_abuse", "children_services", True, False, False),
    ("sexual_offending", "police", True, True, False),
    ("sexual_offending", "probation", True, True, False),
    ("sexual_offending", "youth_offending", True, True, False),
    ("sexual_offending", "prison", True, False, False),
    ("mappa", "police", True, True, False),
    ("mappa", "probation", True, True, False),
    ("mappa", "prison", True, True, False),
    ("mappa", "youth_offending", True, False, False),
    ("victim_details", "police", True, True, False),
    ("victim_details", "probation", True, True, False),
    ("victim_details", "youth_offending", True, True, False),
    ("victim_details", "victim_services", True, True, False),
)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    SharingRule = apps.get_model("sharing", "SharingRule")
    for category, agency_type, can_read, can_write, needs_consent in DEFAULTS:
        SharingRule.objects.get_or_create(
            category=category,
            agency_type=agency_type,
            defaults={"can_read": can_read, "can_write": can_write, "needs_consent": needs_consent},
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    SharingRule = apps.get_model("sharing", "SharingRule")
    for category, agency_type, *_ in DEFAULTS:
        SharingRule.objects.filter(category=category, agency_type=agency_type, updated_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
