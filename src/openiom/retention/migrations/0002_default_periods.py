from django.db import migrations


def seed(apps, schema_editor):
    from openiom.retention.constants import DEFAULT_PERIODS

    RetentionRule = apps.get_model("retention", "RetentionRule")
    for record_type, (months, basis) in DEFAULT_PERIODS.items():
        RetentionRule.objects.get_or_create(record_type=record_type, defaults={"months": months, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
