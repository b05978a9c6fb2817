"""Retention for selection runs, rejected or withdrawn referrals and decided possible matches."""

from django.db import migrations, models

# Frozen here (not read from constants) so the migration seeds the same whatever the code says later.
PERIODS = {
    "selection_run": (72, "Six years after the run, so a past selection can still be explained."),
    "unselected_referral": (24, "Two years after the panel's decision or the withdrawal: no case was opened."),
    "match_candidate": (
        12,
        "One year after the decision. A 'different people' decision is anonymised, not deleted: "
        "it keeps the linkage run from joining the records again.",
    ),
}

CHOICES = [
    ("closed_case", "Closed IOM cases (with every case record)"),
    ("person_record", "Agency records of a person (with their offences, custody and flags)"),
    ("person", "People with no agency records and no case left"),
    ("rejected_delivery", "Rejected or interrupted deliveries"),
    ("selection_run", "Finished selection runs (with everyone they scored)"),
    ("unselected_referral", "Panel referrals rejected or withdrawn (never a case)"),
    ("match_candidate", "Decided possible matches between agency records"),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for record_type, (months, basis) in PERIODS.items():
        RetentionRule.objects.get_or_create(record_type=record_type, defaults={"months": months, "basis": basis})


def unseed(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.filter(record_type__in=PERIODS).delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0002_default_periods")]

    operations = [
        migrations.AlterField(
            model_name="retentionrule",
            name="record_type",
            field=models.CharField(choices=CHOICES, max_length=20, unique=True),
        ),
        migrations.AlterField(
            model_name="retentionaction",
            name="record_type",
            field=models.CharField(choices=CHOICES, max_length=20),
        ),
        migrations.RunPython(seed, unseed),
    ]
