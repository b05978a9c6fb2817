"""Person search and the person page, the service directory and the audit trail: as many queries with
much more data.

People get records from several agencies with offences, flags and custody; the directory gets
more services with referrals; the audit trail gets many more entries about one person.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from openiom.audit.services import record_access
from openiom.directory.models import Service
from openiom.offending.models import CustodyPeriod, Flag
from openiom.people.models import PersonRecord

from .case_builder import FAMILY
from .conftest import grows_flat

FEW, MANY = 2, 8


# ---- people ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["police_officer", "offender_manager"])
def test_person_search_does_not_grow(builder, client_for, persona) -> None:
    """A name search lists every match (up to 50) with each agency that knows them."""
    for _ in range(FEW):
        builder.person()

    def more() -> None:
        for _ in range(MANY - FEW):
            person = builder.person()
            PersonRecord.objects.create(
                source=builder.agency("probation"), source_person_id=f"N-{person.pk}", person=person,
                given_name=person.given_name, family_name=FAMILY, date_of_birth=person.date_of_birth,
                gender="M", ethnicity="W",
            )  # fmt: skip

    small, large = grows_flat(
        client_for(persona), "/people/", more, page=f"/people/ (search) as {persona}", method="post",
        data={"name": FAMILY},
    )  # fmt: skip
    rows = re.compile(r'href="/people/\d+/"')
    assert len(rows.findall(small.text)) == FEW
    assert len(rows.findall(large.text)) == MANY


@pytest.mark.parametrize("persona", ["police_officer", "offender_manager", "yot_worker"])
def test_person_page_does_not_grow(builder, client_for, persona) -> None:
    """A person known to three agencies, with twenty more offences, flags and custody periods."""
    case = builder.loaded_case()
    person = case.person

    def more() -> None:
        for code in ("probation", "housing"):
            PersonRecord.objects.create(
                source=builder.agency(code), source_person_id=f"{code}-{person.pk}", person=person,
                given_name=person.given_name, family_name=FAMILY, date_of_birth=person.date_of_birth,
                gender="M", ethnicity="W",
            )  # fmt: skip
        for record in PersonRecord.objects.filter(person=person):
            builder.offences(record, 7)
            for n in range(3):
                Flag.objects.create(source=record.source, record=record, flag="drugs", start_date=date(2024, 1, 1 + n))
                CustodyPeriod.objects.create(
                    source=record.source, record=record, reception_date=date(2023, 1 + n, 1),
                    release_date=date(2023, 2 + n, 1),
                )  # fmt: skip

    url = f"/people/{person.pk}/"
    small, large = grows_flat(client_for(persona), url, more, page=f"/people/<id>/ as {persona}")
    assert small.text.count("Received into custody") < large.text.count("Received into custody")
    assert large.text.count("Received into custody") == 1 + 9


# ---- the service directory ------------------------------------------------------------------------
def _services(builder, k: int, start: int = 0) -> list[Service]:
    return [builder.service(1000 + start + n) for n in range(k)]


def test_service_list_does_not_grow(builder, client_for) -> None:
    """Services with their free places (50 a page): two, then eight, most with live referrals."""
    from openiom.directory.models import Service as S

    S.objects.filter(name__startswith="Loadtest").delete()
    _services(builder, FEW)

    def more() -> None:
        services = _services(builder, MANY - FEW, start=FEW)
        S.objects.filter(pk__in=[s.pk for s in services]).update(capacity=10)
        for _ in range(3):
            builder.loaded_case()  # each refers to a service of its own

    small, large = grows_flat(client_for("offender_manager"), "/services/?q=Loadtest", more, page="/services/")
    assert small.text.count("Loadtest service") < large.text.count("Loadtest service")
    assert large.text.count("Loadtest service") >= MANY


def test_service_page_does_not_grow(builder, client_for) -> None:
    """One service with many live referrals from many cases."""
    from openiom.cases import plans
    from openiom.cases.constants import Pathway

    (service,) = _services(builder, 1)
    cases = [builder.loaded_case() for _ in range(FEW)]
    for case in cases:
        plans.refer_to_service(case=case, service=service, pathway=Pathway.FINANCE, by=case.lead_professional)

    def more() -> None:
        for _ in range(MANY - FEW):
            case = builder.loaded_case()
            plans.refer_to_service(case=case, service=service, pathway=Pathway.FINANCE, by=case.lead_professional)

    url = f"/services/{service.pk}/"
    small, large = grows_flat(client_for("offender_manager"), url, more, page="/services/<id>/")
    live = re.compile(r"(\d+) live referral")
    assert live.search(small.text).group(1) == str(FEW)
    assert live.search(large.text).group(1) == str(MANY)


def test_gaps_do_not_grow(builder, client_for) -> None:
    """The cohort's needs against the places: two cases, then eight, each with its assessments."""
    for _ in range(FEW):
        builder.loaded_case()
    small, large = grows_flat(
        client_for("iom_coordinator"), "/services/gaps/", lambda: [builder.loaded_case() for _ in range(MANY - FEW)],
        page="/services/gaps/",
    )  # fmt: skip
    assert small.text != large.text
    assert str(MANY) in large.text


# ---- the audit trail ------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "?person={person}", "?purpose=case_management"])
def test_audit_trail_does_not_grow(builder, client_for, partnership, query) -> None:
    """The administrator's audit trail (25 entries a page), with and without filters."""
    person = builder.person()
    readers = [partnership[p] for p in ("police_officer", "offender_manager", "iom_coordinator")]

    def reads(k: int) -> None:
        for n in range(k):
            record_access(user=readers[n % 3], obj=person, purpose="case_management", remote_addr="10.0.0.1")

    reads(FEW)
    url = "/administration/audit/" + query.format(person=person.pk)
    # The records named by the changes shown are fetched once per model on the page (the agency, the
    # record...): filtered by the person, the first page with few entries shows the person's creation
    # and records, with many it shows only the newest reads, so the busier page may need fewer queries.
    small, large = grows_flat(
        client_for("administrator"), url, lambda: reads(60), page=f"/administration/audit/{query}",
        fewer_allowed=bool(query),
    )  # fmt: skip
    shown = re.compile(r"<tr class=\"govuk-table__row\">")
    assert len(shown.findall(large.text)) >= 25
    if query.startswith("?person"):
        assert len(shown.findall(small.text)) < len(shown.findall(large.text))


def test_audit_trail_of_changes_does_not_grow(builder, client_for) -> None:
    """Changes name the records their foreign keys point to (the case, the agency, who recorded it):
    three contacts created, then thirty-three (a full page of 25), each naming three records."""
    from django.contrib.contenttypes.models import ContentType

    from openiom.cases.models import Contact

    case = builder.loaded_case()
    Contact.objects.exclude(case=case).delete()
    url = f"/administration/audit/?record_type={ContentType.objects.get_for_model(Contact).pk}&action=0"
    small, large = grows_flat(client_for("administrator"), url, lambda: builder.grow(case, 10), page=url)
    shown = re.compile(r"<tr class=\"govuk-table__row\">")
    assert len(shown.findall(small.text)) == 1 + 3  # the heading row and the entries
    assert len(shown.findall(large.text)) == 1 + 25
    assert str(case) in large.text  # the case each contact belongs to, named
