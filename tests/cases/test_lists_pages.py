"""The case lists: all cases (full and minimal rows, filters, sorting, pages, name search kept out of
addresses), "My cases", "My actions" and team caseloads, who may see each, and the audit of reads."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry

from openiom.cases.constants import PromptKind, TaskKind
from openiom.cases.models import Case, PlanAction, ReviewPrompt, Task
from openiom.cases.services import add_involvement, add_membership, close_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_case, make_person, partnership, agency, today):
    """Four cases:
    - Adams: tier 1 PPO led by the offender manager, the police involved with PC Patel as key worker,
      an overdue action owned by Priya Shah (housing) and an escalation prompt;
    - Brown: tier 2 HCC led by PC Patel (police), with a DIP membership too;
    - Clark: tier 3 DYO led by the YOT worker (nobody else involved);
    - Dunn: a closed case of the offender manager.
    """
    u = partnership
    adams = make_case(person=make_person(given_name="Alan", family_name="Adams"), tier=1)
    add_involvement(case=adams, agency=agency("police"), key_worker=u["police_officer"], by=u["iom_coordinator"])
    overdue = PlanAction.objects.create(
        case=adams, pathway="accommodation", description="Find a tenancy", owner=u["partner_practitioner"],
        owner_agency=agency("housing"), due_on=today - timedelta(days=3), created_by=u["offender_manager"],
    )  # fmt: skip
    mine = PlanAction.objects.create(
        case=adams, pathway="ete", description="Book a CV workshop", owner=u["offender_manager"],
        owner_agency=agency("probation"), due_on=today + timedelta(days=10), created_by=u["offender_manager"],
    )  # fmt: skip
    ReviewPrompt.objects.create(case=adams, kind=PromptKind.ESCALATION, reason="Arrested", key="offence:1:arrest")
    brown = make_case(
        person=make_person(given_name="Bella", family_name="Brown"), tier=2, lead="police_officer", cohort="HCC",
        statutory=False,
    )  # fmt: skip
    add_membership(case=brown, cohort="DIP", by=u["iom_coordinator"], started_on=date(2026, 7, 1))
    clark = make_case(
        person=make_person(given_name="Carl", family_name="Clark", date_of_birth=date(2009, 1, 20)),
        tier=3, lead="yot_worker", cohort="DYO",
    )  # fmt: skip
    dunn = make_case(person=make_person(given_name="Dora", family_name="Dunn"), tier=2)
    close_case(case=dunn, reason="Order completed", by=u["iom_coordinator"])
    return {"adams": adams, "brown": brown, "clark": clark, "dunn": dunn, "overdue": overdue, "mine": mine}


def _names(html: str) -> list[str]:
    """The family names in the table, in order."""
    return re.findall(r"\b(ADAMS|BROWN|CLARK|DUNN|ZED)\b", html)


PAGES = ["/cases/", "/cases/mine/", "/cases/actions/", "/cases/caseloads/"]
# (persona, expected status for each page): cases_view reaches the lists, cases_manage the caseloads.
MATRIX = {
    "iom_coordinator": (200, 200, 200, 200),
    "police_officer": (200, 200, 200, 200),
    "offender_manager": (200, 200, 200, 200),
    "yot_worker": (200, 200, 200, 200),
    "partner_practitioner": (200, 200, 200, 200),
    "panel_chair": (200, 200, 200, 403),
    "analyst": (403, 403, 403, 403),
    "strategic_member": (403, 403, 403, 403),
    "administrator": (403, 403, 403, 403),
}


@pytest.mark.parametrize(("persona", "page_index"), [(p, i) for p in MATRIX for i in range(len(PAGES))])
def test_who_reaches_each_list(client_for, world, persona, page_index):
    response = client_for(persona).get(PAGES[page_index])
    assert response.status_code == MATRIX[persona][page_index]


def test_signed_out_users_are_sent_to_sign_in(client, world):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_list_links_cases_seen_in_full_and_shows_only_whom_to_call_for_the_rest(client_for, world):
    html = client_for("police_officer").get("/cases/").content.decode()
    adams, brown, clark = world["adams"], world["brown"], world["clark"]
    assert f'href="/cases/{adams.pk}/"' in html  # police involved
    assert f'href="/cases/{brown.pk}/"' in html  # police lead
    assert f'href="/cases/{clark.pk}/"' not in html  # a YOT case the police are not involved in
    clark_row = html[html.index("CLARK") : html.index("</tr>", html.index("CLARK"))]
    assert "Yasmin Hart" in clark_row
    assert "Tier 3" not in clark_row
    assert "Tier 3" not in clark_row
    assert "Your agency is not involved" in clark_row


def test_the_co_ordinator_sees_every_case_in_full(client_for, world):
    html = client_for("iom_coordinator").get("/cases/").content.decode()
    for key in ("adams", "brown", "clark"):
        assert f'href="/cases/{world[key].pk}/"' in html
    assert "contact the lead professional" not in html


def test_open_cases_by_default_most_intensive_tier_first(client_for, world):
    html = client_for("iom_coordinator").get("/cases/").content.decode()
    assert _names(html) == ["ADAMS", "BROWN", "CLARK"]
    assert "3 cases" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=closed", ["DUNN"]),
        ("status=all", ["ADAMS", "BROWN", "DUNN", "CLARK"]),
        ("tier=2", ["BROWN"]),
        ("cohort=DIP", ["BROWN"]),
        ("cohort=DYO", ["CLARK"]),
        ("agency=police", ["ADAMS", "BROWN"]),
        ("agency=yot&tier=3", ["CLARK"]),
        ("agency=housing", []),
    ],
)
def test_filters(client_for, world, query, expected):
    html = client_for("iom_coordinator").get(f"/cases/?{query}").content.decode()
    assert _names(html) == expected


def test_a_filter_value_that_does_not_exist_is_an_error_not_everything(client_for, world):
    response = client_for("iom_coordinator").get("/cases/?tier=9")
    html = response.content.decode()
    assert "There is a problem" in html
    assert _names(html) == []


def test_selected_filters_can_be_removed_one_by_one(client_for, world):
    html = client_for("iom_coordinator").get("/cases/?agency=police&tier=2").content.decode()
    assert "Selected filters" in html
    assert 'href="?agency=police"' in html  # removing the tier keeps the agency
    assert 'href="?tier=2"' in html


@pytest.mark.parametrize(
    ("sort", "expected", "sorted_heading"),
    [
        ("name", ["ADAMS", "BROWN", "CLARK", "ZED"], "Name"),
        # "Olu Mensah" (tier 1, then 3), "PC Dev Patel", "Yasmin Hart"
        ("lead", ["ADAMS", "ZED", "BROWN", "CLARK"], "Lead professional"),
        ("tier", ["ADAMS", "BROWN", "CLARK", "ZED"], "Tier"),
    ],
)
def test_sorting_is_done_on_the_server(client_for, world, make_case, make_person, sort, expected, sorted_heading):
    make_case(person=make_person(given_name="Zoe", family_name="Zed"), tier=3)
    html = client_for("iom_coordinator").get(f"/cases/?sort={sort}").content.decode()
    assert _names(html) == expected
    assert re.search(rf'aria-sort="ascending"><a [^>]*>{sorted_heading}</a>', html)


def test_the_newest_cases_first_when_sorted_by_opening(client_for, world, make_case, make_person):
    make_case(person=make_person(family_name="Newman"), opened_on=date(2026, 11, 1))
    html = client_for("iom_coordinator").get("/cases/?sort=opened").content.decode()
    assert html.index("NEWMAN") < html.index("ADAMS")
    assert re.search(r'aria-sort="descending"><a [^>]*>Opened</a>', html)


def test_pages_of_25(client_for, make_case, make_person, today):
    for n in range(27):
        make_case(person=make_person(family_name=f"Person{n:02d}"))
    client = client_for("iom_coordinator")
    first = client.get("/cases/?sort=name").content.decode()
    second = client.get("/cases/?sort=name&page=2").content.decode()
    assert "27 cases, 1 to 25 shown" in first
    assert "PERSON24" in first
    assert "PERSON25" not in first
    assert "PERSON25" in second
    assert "PERSON26" in second
    assert "PERSON00" not in second
    assert 'href="?sort=name&amp;page=2"' in first


def test_a_name_search_never_puts_the_name_in_the_address(client_for, world):
    client = client_for("police_officer")
    response = client.post("/cases/search/", {"name": "Brown", "tier": "2"})
    assert response.status_code == 302
    location = response["Location"]
    assert "brown" not in location.lower()
    assert "search=" in location
    assert "tier=2" in location
    html = client.get(location).content.decode()
    assert _names(html) == ["BROWN"]
    assert 'value="Brown"' in html  # shown back in the search box
    # Sorting and the other links keep the search by its token, never by the name.
    assert all("Brown" not in href for href in re.findall(r'href="(\?[^"]*)"', html))
    # Another session does not know the token.
    other = client_for("police_officer").get(location).content.decode()
    assert "no longer remembered" in other


def test_the_name_search_matches_given_and_family_names(client_for, world):
    client = client_for("iom_coordinator")
    location = client.post("/cases/search/", {"name": "carl"})["Location"]
    assert _names(client.get(location).content.decode()) == ["CLARK"]


def test_each_case_listed_is_an_audited_read(client_for, world, partnership):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    client_for("police_officer").get("/cases/")
    logged = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")[before:]
    expected = {str(world[k].pk) for k in ("adams", "brown", "clark")}
    assert {e.object_pk for e in logged} == expected
    assert {(e.content_type.model, e.additional_data["purpose"], e.actor_id) for e in logged} == {
        ("case", "case_management", partnership["police_officer"].pk)
    }


# ---- My cases --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("offender_manager", ["ADAMS"]),  # leads Adams; Dunn is closed
        ("police_officer", ["ADAMS", "BROWN"]),  # key worker on Adams, leads Brown
        ("yot_worker", ["CLARK"]),
        ("partner_practitioner", []),  # owns an action on Adams but is not its key worker
        ("iom_coordinator", []),
    ],
)
def test_my_cases_are_the_open_cases_i_lead_or_am_key_worker_on(client_for, world, persona, expected):
    html = client_for(persona).get("/cases/mine/").content.decode()
    assert _names(html) == expected


def test_my_cases_show_the_review_prompts_and_overdue_actions(client_for, world):
    html = client_for("police_officer").get("/cases/mine/").content.decode()
    adams_row = html[html.index("ADAMS") : html.index("</tr>", html.index("ADAMS"))]
    assert "Key worker" in adams_row
    assert "Lead: Olu Mensah" in adams_row
    assert "1 waiting" in adams_row
    assert "1 overdue" in adams_row
    assert "1 tier review waiting and 1 overdue action on your cases" in html
    brown_row = html[html.index("BROWN") : html.index("</tr>", html.index("BROWN"))]
    assert "Lead professional" in brown_row
    assert "overdue" not in brown_row


# ---- My actions ------------------------------------------------------------------------------------------
def test_my_actions_lists_my_actions_with_the_overdue_ones_flagged(client_for, world):
    html = client_for("partner_practitioner").get("/cases/actions/").content.decode()
    owned = html[html.index("Plan actions you own") : html.index("Overdue actions others own")]
    assert "Find a tenancy" in owned
    assert "Overdue" in owned
    assert "Book a CV workshop" not in html


def test_the_lead_professional_sees_overdue_actions_others_own_on_their_cases(client_for, world):
    html = client_for("offender_manager").get("/cases/actions/").content.decode()
    owned = html[html.index("Plan actions you own") : html.index("Overdue actions others own")]
    others = html[html.index("Overdue actions others own") : html.index("Tasks for")]
    assert "Book a CV workshop" in owned
    assert "Overdue</strong>" not in owned
    assert "Find a tenancy" in others
    assert "Owner: Priya Shah" in others
    assert "Overdue: 0 of your actions, 1 action on cases you lead and 0 tasks." in html


def test_my_agency_tasks_are_listed_and_overdue_ones_flagged(client_for, world, agency, today):
    Task.objects.create(
        case=world["clark"], kind=TaskKind.TRANSITION, title="Plan the transition to adult services",
        agency=agency("yot"), due_on=today - timedelta(days=1), key="transition:x:yot",
    )  # fmt: skip
    Task.objects.create(
        case=world["clark"], kind=TaskKind.TRANSITION, title="Accept the transition from the YOT",
        agency=agency("probation"), due_on=today + timedelta(days=20), key="transition:x:probation",
    )  # fmt: skip
    yot = client_for("yot_worker").get("/cases/actions/").content.decode()
    tasks = yot[yot.index("Tasks for") :]
    assert "Plan the transition to adult services" in tasks
    assert "Overdue" in tasks
    assert "Accept the transition" in tasks  # the YOT leads the case, so it sees every task on it
    # Probation is not involved in Clark's case yet, so its task does not reach the offender manager.
    om = client_for("offender_manager").get("/cases/actions/").content.decode()
    assert "Accept the transition" not in om


def test_my_actions_links_to_my_panel_actions(client_for, world):
    html = client_for("offender_manager").get("/cases/actions/").content.decode()
    assert 'href="/panels/my-actions/"' in html


def test_my_actions_reads_are_audited(client_for, world):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    client_for("offender_manager").get("/cases/actions/")
    logged = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")[before:]
    assert {(e.content_type.model, e.object_pk) for e in logged} == {
        ("planaction", str(world["mine"].pk)),
        ("planaction", str(world["overdue"].pk)),
    }


# ---- caseloads -------------------------------------------------------------------------------------------
def _row(html: str, name: str) -> list[str]:
    start = re.search(rf'<th scope="row" class="govuk-table__header"[^>]*>{name}', html).start()  # type: ignore[union-attr]
    row = html[start : html.index("</tr>", start)]
    return re.findall(r"govuk-table__cell--numeric\">(?:<strong[^>]*>)?(\d+)", row)


def test_a_manager_sees_their_agency_caseloads(client_for, world, make_case, make_person):
    make_case(person=make_person(family_name="Extra"), tier=3)
    html = client_for("offender_manager").get("/cases/caseloads/").content.decode()
    # Open cases, tier 1, 2, 3, overdue actions, reviews waiting
    assert _row(html, "Olu Mensah") == ["2", "1", "0", "1", "1", "1"]
    assert "Dev Patel" not in html
    assert "Yasmin Hart" not in html


def test_the_co_ordinator_sees_every_agency_caseloads(client_for, world):
    html = client_for("iom_coordinator").get("/cases/caseloads/").content.decode()
    assert _row(html, "PC Dev Patel") == ["1", "0", "1", "0", "0", "0"]
    assert _row(html, "Olu Mensah") == ["1", "1", "0", "0", "1", "1"]
    assert _row(html, "Yasmin Hart") == ["1", "0", "0", "1", "0", "0"]
    assert _row(html, "Total") == ["3", "1", "1", "1", "1", "1"]
    assert "for every agency" in html


# ---- home page and navigation ----------------------------------------------------------------------------
def test_home_page_counts_my_cases_and_actions(client_for, world):
    html = client_for("offender_manager").get("/").content.decode()
    assert "1 open case you lead or are key worker on" in html
    assert "2 open actions and tasks" in html
    assert "1 overdue" in html


def test_the_cases_section_leads_to_the_case_list(client_for, world):
    response = client_for("partner_practitioner").get("/")
    nav = {item["label"]: item["url"] for item in response.context["nav_sections"]}
    assert nav["Cases"] == "/cases/"


def test_closed_cases_are_not_on_my_cases(client_for, world):
    assert Case.objects.filter(status="closed").count() == 1
    assert "DUNN" not in client_for("offender_manager").get("/cases/mine/").content.decode()
