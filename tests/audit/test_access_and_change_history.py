from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.apps import apps

from openiom.accounts.models import Agency, User
from openiom.audit.registry import audited_models, personal_data_models
from openiom.audit.services import NotPersonalDataError, record_access


def test_reading_a_personal_record_writes_an_access_log_entry(client_for, partnership) -> None:
    admin = partnership["administrator"]
    target = partnership["yot_worker"]
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()

    response = client_for("administrator").get(f"/administration/users/{target.pk}/")

    assert response.status_code == 200
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == before + 1
    entry = entries.latest("pk")
    assert entry.actor == admin
    assert entry.object_pk == str(target.pk)
    assert entry.content_type.model == "user"
    assert entry.additional_data == {"purpose": "administration"}
    assert entry.remote_addr == "127.0.0.1"


def test_editing_a_personal_record_writes_field_level_change_history(client_for, partnership) -> None:
    target = partnership["yot_worker"]
    response = client_for("administrator").post(
        f"/administration/users/{target.pk}/change/",
        {
            "full_name": "Yasmin Hart-Jones",
            "job_title": "Senior YOT case manager",
            "agency": target.agency_id,
            "roles": [r.pk for r in target.roles.all()],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE, content_type__model="user", object_pk=str(target.pk)
    ).latest("pk")
    assert entry.actor == partnership["administrator"]
    assert entry.changes_dict["full_name"] == ["Yasmin Hart", "Yasmin Hart-Jones"]
    assert entry.changes_dict["job_title"] == ["YOT case manager", "Senior YOT case manager"]
    assert "password" not in entry.changes_dict


def test_record_access_refuses_models_that_are_not_personal_data(partnership) -> None:
    with pytest.raises(NotPersonalDataError):
        record_access(user=partnership["administrator"], obj=Agency.objects.first())


def test_every_model_with_personal_fields_is_registered_for_audit() -> None:
    # A model that names a person, or points at one, must be registered as personal data.
    personal_markers = {"full_name", "given_name", "family_name", "date_of_birth", "email"}
    for model in apps.get_models():
        if not model.__module__.startswith("openiom."):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if names & personal_markers:
            assert model in personal_data_models(), f"{model.__name__} holds personal data but is not audited"
    assert User in personal_data_models()
    assert personal_data_models() <= audited_models()
