from django.db import migrations

DEFAULT_TIERS = (
    (1, "Tier 1: intensive", "The most intensive multi-agency management, reviewed at every panel."),
    (2, "Tier 2: enhanced", "Enhanced partnership working with a named lead professional and a plan."),
    (3, "Tier 3: standard", "Standard partnership working; offered support, monitored."),
)


def create_tiers(apps, schema_editor):
    Tier = apps.get_model("cases", "Tier")
    for level, name, description in DEFAULT_TIERS:
        Tier.objects.get_or_create(level=level, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create_tiers, migrations.RunPython.noop)]
