"""Optimistic locking through the forms: two people open the same version; the second save is refused,
nothing of it is saved, the form keeps what they typed and shows what is saved now, and saving
again (now on top of the first change) goes through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from openiom.cases.models import Contact, PlanAction, Victim
from tests.cases.case_world import CaseWorld, date_fields, text, world_fixture  # noqa: F401

STALE = "Someone else changed this"


def _second_offender_manager(world: CaseWorld) -> Client:
    from openiom.accounts.models import Role, User

    colleague = User.objects.create(
        email="second.om@openiom.test", full_name="Second Officer", agency=world.agency("probation")
    )
    colleague.roles.set([Role.objects.get(code="offender_manager")])
    client = Client()
    client.force_login(colleague)
    return client


def _version_in(page: str) -> int:
    import re

    match = re.search(r'name="version" value="(\d+)"', page)
    assert match, "the form carries no version"
    return int(match.group(1))


def test_two_edits_of_the_case_details_from_the_same_version(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    first, second = client_for("offender_manager"), client_for("police_officer")
    opened = _version_in(text(first.get(world.url("details/"))))
    assert opened == _version_in(text(second.get(world.url("details/"))))

    saved = first.post(world.url("details/"), {"statutory": "yes", "rosh_level": "very_high", "version": opened})
    assert saved.status_code == 302

    refused = second.post(world.url("details/"), {"statutory": "no", "rosh_level": "low", "version": opened})
    page = text(refused)
    assert refused.status_code == 200
    assert "There is a problem" in page
    assert f"{STALE} case after you opened it, so your change has not been saved." in page
    assert "What is saved now" in page
    assert "Very high" in page  # the first person's change, to compare
    assert 'value="no" checked' in page  # the second person's typed values are kept
    assert '<option value="low" selected>' in page
    case = world.fresh()
    assert (case.statutory, case.rosh_level) == (True, "very_high")  # nothing of the second edit saved

    assert _version_in(page) == case.version  # the form now carries the saved version...
    again = second.post(world.url("details/"), {"statutory": "no", "rosh_level": "low", "version": case.version})
    assert again.status_code == 302  # ...so saving again, knowingly, goes through
    assert world.fresh().rosh_level == "low"


def test_a_tier_move_on_a_stale_case_is_refused(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    version = world.case.version
    client_for("offender_manager").post(world.url("lead/"), {"lead": world.users["police_officer"].pk,
                                                             "reason": "Police lead", "version": version})  # fmt: skip
    page = text(
        client_for("police_officer").post(
            world.url("tier/"), {"tier": world.tiers[1].pk, "reason": "Arrested", "version": version}
        )
    )
    assert STALE in page
    assert "Arrested" in page
    assert world.fresh().tier == world.tiers[2]


def _action_edit(world: CaseWorld, description: str, version: int) -> dict[str, Any]:
    return {
        "description": description,
        "owner": world.users["offender_manager"].pk,
        "version": version,
        **date_fields("due_on", date(2026, 12, 15)),
    }


def test_two_edits_of_an_action(client_for: Callable[[str], Client], world: CaseWorld) -> None:
    address = world.url("actions/", world.action.pk) + "edit/"
    version = world.action.version
    assert client_for("offender_manager").post(address, _action_edit(world, "First", version)).status_code == 302
    page = text(client_for("police_officer").post(address, _action_edit(world, "Second", version)))
    assert f"{STALE} action after you opened it" in page
    assert "Second" in page  # typed
    assert '<dd class="govuk-summary-list__value">First</dd>' in page  # saved now
    assert PlanAction.objects.get(pk=world.action.pk).description == "First"


@pytest.mark.parametrize(
    ("what", "address", "first", "second", "check"),
    [
        (
            "contact",
            "contacts/{contact}/outcome/",
            {"outcome": "excused"},
            {"outcome": "attended"},
            lambda w: Contact.objects.get(pk=w.contact.pk).outcome == "excused",
        ),
        (
            "victim",
            "victims/{victim}/edit/",
            {"label": "Victim A", "relationship": "Sister", "repeat": "on"},
            {"label": "Victim A", "relationship": "Cousin", "repeat": "on"},
            lambda w: Victim.objects.get(pk=w.victim.pk).relationship == "Sister",
        ),
        (
            "action",
            "actions/{action}/status/",
            {"status": "in_progress"},
            {"status": "done"},
            lambda w: PlanAction.objects.get(pk=w.action.pk).status == "in_progress",
        ),
    ],
    ids=["contact outcome", "victim", "action status"],
)
def test_the_second_of_two_edits_from_one_version_is_refused(
    client_for: Callable[[str], Client],
    world: CaseWorld,
    what: str,
    address: str,
    first: dict[str, str],
    second: dict[str, str],
    check: Callable[[CaseWorld], bool],
) -> None:
    url = world.url(
        address.format(contact=world.contact.pk, victim=world.victim.pk, task=world.task.pk, action=world.action.pk)
    )
    # Contacts and victims are changed only by the agency that recorded them (probation here): the
    # second editor is another probation offender manager.
    one, two = client_for("offender_manager"), _second_offender_manager(world)
    version = _version_in(text(one.get(url)))
    assert one.post(url, {**first, "version": version}).status_code == 302
    refused = two.post(url, {**second, "version": version})
    assert refused.status_code == 200
    assert f"{STALE} {what}" in text(refused)
    assert "What is saved now" in text(refused)
    assert check(world)


def test_a_task_finished_by_someone_else_meanwhile_is_not_finished_again(
    client_for: Callable[[str], Client], world: CaseWorld
) -> None:
    url = world.url("tasks/", world.task.pk) + "finish/"
    one, two = client_for("offender_manager"), client_for("iom_coordinator")
    version = _version_in(text(one.get(url)))
    assert one.post(url, {"status": "done", "version": version}).status_code == 302
    page = text(two.post(url, {"status": "cancelled", "note": "Not needed", "version": version}))
    assert "The task is already finished." in page
    assert "Not needed" in page
    assert world.task.__class__.objects.get(pk=world.task.pk).status == "done"
