"""Cases opened before case management get their first cohort membership and tier placement."""

from django.db import migrations


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Case = apps.get_model("cases", "Case")
    CohortMembership = apps.get_model("cases", "CohortMembership")
    TierChange = apps.get_model("cases", "TierChange")
    for case in Case.objects.all().iterator():
        if not CohortMembership.objects.filter(case=case).exists():
            CohortMembership.objects.create(
                case=case,
                cohort=case.cohort,
                framework=case.framework,
                started_on=case.opened_on,
                ended_on=case.closed_on,
            )
        if not TierChange.objects.filter(case=case).exists():
            TierChange.objects.create(case=case, to_tier_id=case.tier_id, reason="Placed when the case opened")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_management")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
