"""The panels pages make as many queries for a busy month as for a quiet one.

A month starts with the IOM Panel's meeting on 12 January 2027 (four members present), two
referrals on its agenda, one of them decided, two guests and two action points; then ten more
referrals, decisions (with every organisation's vote), guests, action points, another meeting
ahead and one held last month are added (`panel_builder.py`). The pages are read by the panel
chair, the co-ordinator and the police officer who referred people and owns actions.
"""

from __future__ import annotations

import pytest

from openiom.panels.models import ReferralEvent

from .conftest import grows_flat
from .panel_builder import PanelBuilder

FEW, MORE = 2, 10


@pytest.fixture
def month(builder) -> PanelBuilder:
    month = PanelBuilder(builder)
    month.grow(FEW)
    return month


# (address under the meeting, persona, a text shown once per thing added, how many with the busy month)
MEETING_PAGES = [
    ("", "panel_chair", "Referred by ", FEW + MORE),  # the agenda
    ("", "police_officer", "Referred by ", FEW + MORE),
    ("attendance/", "iom_coordinator", "Loadtest guest", FEW + MORE),
    ("actions/", "panel_chair", "Loadtest panel action", FEW + MORE),
    ("minutes/", "panel_chair", "Loadtest minute", MORE),  # the minutes' text, redrafted
]


@pytest.mark.parametrize(("tab", "persona", "marker", "at_least"), MEETING_PAGES)
def test_meeting_pages_do_not_grow(month, client_for, tab, persona, marker, at_least) -> None:
    url = f"/panels/meetings/{month.meeting.pk}/{tab}"
    small, large = grows_flat(client_for(persona), url, lambda: month.grow(MORE), page=f"{url} as {persona}")
    assert small.text.count(marker) < large.text.count(marker)
    assert large.text.count(marker) >= at_least


def test_decision_page_does_not_grow(month, client_for) -> None:
    """Deciding one item lists the organisations present that vote: more guests do not add queries."""
    item = month.meeting.items.filter(decision__isnull=True, referral__isnull=False).first()
    url = f"/panels/items/{item.pk}/decision/"
    small, large = grows_flat(client_for("panel_chair"), url, lambda: month.grow(MORE), page=f"{url} as panel_chair")
    assert "Probation" in large.text
    assert "Loadtest guest" not in large.text  # guests do not vote
    assert small.text.count("LOADTEST") == large.text.count("LOADTEST")  # the one person referred


# Open referrals: twelve made, five decided for good (two selected, two rejected; the first selection in
# the quiet month); every referral: all twelve. At most 25 are listed a page.
@pytest.mark.parametrize(("query", "shown"), [("", 7), ("?show=all", FEW + MORE)])
def test_referral_list_does_not_grow(month, client_for, query, shown) -> None:
    url = f"/panels/referrals/{query}"
    small, large = grows_flat(client_for("panel_chair"), url, lambda: month.grow(MORE), page=f"{url} as panel_chair")
    assert small.text.count("LOADTEST,") < large.text.count("LOADTEST,")
    assert large.text.count("LOADTEST,") == shown


@pytest.mark.parametrize("persona", ["panel_chair", "police_officer"])
def test_referral_page_does_not_grow(month, client_for, persona) -> None:
    """A referral's page shows its status history: twenty more events, the same queries."""
    referral = month.meeting.items.filter(referral__isnull=False).first().referral
    officer = month.users["police_officer"]

    def more() -> None:
        month.grow(MORE)
        for n in range(2 * MORE):
            ReferralEvent.objects.create(
                referral=referral, status=referral.status, by=officer, note=f"Loadtest note {n}"
            )

    url = f"/panels/referrals/{referral.pk}/"
    small, large = grows_flat(client_for(persona), url, more, page=f"{url} as {persona}")
    assert small.text.count("Loadtest note") == 0
    assert large.text.count("Loadtest note") == 2 * MORE


def test_panels_index_does_not_grow(month, client_for) -> None:
    """The panels page: the panels, the meetings ahead with their item counts, and recent meetings."""
    small, large = grows_flat(client_for("panel_chair"), "/panels/", lambda: month.grow(MORE), page="/panels/")
    assert small.text.count("IOM Panel") < large.text.count("IOM Panel")


def test_my_panel_actions_do_not_grow(month, client_for) -> None:
    url = "/panels/my-actions/"
    small, large = grows_flat(client_for("police_officer"), url, lambda: month.grow(MORE), page=url)
    assert small.text.count("Loadtest panel action") < large.text.count("Loadtest panel action")
    assert large.text.count("Loadtest panel action") >= (FEW + MORE) // 2


def test_panel_calendar_does_not_grow(month, client_for) -> None:
    """The iCalendar file of every meeting from today on."""
    url = "/panels/calendar.ics"
    small, large = grows_flat(client_for("police_officer"), url, lambda: month.grow(MORE), page=url)
    assert large.text.count("BEGIN:VEVENT") == small.text.count("BEGIN:VEVENT") + 1


def test_a_long_agenda_is_shown_fifty_items_a_page(month, client_for) -> None:
    """A force's panel may have hundreds of cases due for review: the page shows 50 at a time (and
    audits only those); the papers pack holds them all."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from openiom.panels.constants import AgendaKind
    from openiom.panels.models import AgendaItem

    meeting = month.meeting
    start = meeting.items.count()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=start + 1 + i, kind=AgendaKind.ACTIONS, title=f"Long agenda item {i}")
        for i in range(60)
    )
    total = start + 60
    item_reads = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, content_type=ContentType.objects.get_for_model(AgendaItem)
    )
    before = item_reads.count()
    chair = client_for("panel_chair")
    first = chair.get(f"/panels/meetings/{meeting.pk}/").content.decode()
    assert f"Items 1 to 50 of {total}" in first
    assert first.count('<td class="govuk-table__cell govuk-table__cell--numeric">') == 50
    assert "?page=2" in first
    assert item_reads.count() - before == 50
    last = chair.get(f"/panels/meetings/{meeting.pk}/?page=2").content.decode()
    assert f"Items 51 to {total} of {total}" in last
    assert "Long agenda item 59" in last
    assert "Long agenda item 59" not in first
