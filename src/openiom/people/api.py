"""API for people: search (POST, so names stay out of URLs), read a person, list their offences."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import require_api_capability
from openiom.accounts.schemas import TEXT, ErrorOut
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access

from .models import Person
from .selectors import MAX_RESULTS, PersonSearch, search_people, shown_history

router = Router(tags=["people"])


def _iso_date(value: object) -> object:
    """Only ISO dates: pydantic would otherwise read 0 or "0" as a Unix timestamp."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    if value is None:
        return None
    raise ValueError("must be a date in the form YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PersonId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class SearchIn(Schema):
    """At least one criterion; blank criteria are not allowed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    # Optional but never null: an absent field is None, an explicit null is refused.
    name: str = Field(None, min_length=1, max_length=100, pattern=TEXT)  # type: ignore[assignment]
    date_of_birth: IsoDate = Field(None)  # type: ignore[assignment]
    identifier: str = Field(None, min_length=1, max_length=40, pattern=TEXT)  # type: ignore[assignment]

    @model_validator(mode="after")
    def at_least_one(self) -> SearchIn:
        if not (self.name or self.date_of_birth or self.identifier):
            raise ValueError("give a name, a date of birth or an identifier")
        return self


class RecordOut(Schema):
    source: str
    source_person_id: str
    given_name: str
    family_name: str
    date_of_birth: date
    pnc_id: str


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    date_of_birth: date
    gender: str
    ethnicity: str
    pnc_id: str
    records: list[RecordOut]


class PersonSummaryOut(Schema):
    id: int
    given_name: str
    family_name: str
    date_of_birth: date
    pnc_id: str
    sources: list[str]


class SearchOut(Schema):
    total: int
    results: list[PersonSummaryOut]


class OffenceOut(Schema):
    source: str
    event_id: str
    restricted: bool = Field(description="In a special category the caller may not read: the offence is not named")
    offence_code: str = Field(description='The offence code, or "restricted"')
    offence_date: date
    outcome: str
    outcome_date: date
    disposal: str
    sentence_days: int | None
    ward: str


def _readable_person(request: HttpRequest, person_id: int) -> Person:
    """The person, once the caller's right to read people is checked and the read is audited."""
    require_api_capability(request, Capability.PEOPLE_VIEW)
    person = get_object_or_404(Person, pk=person_id)
    record_access(user=request.user, obj=person, purpose=Purpose.API, remote_addr=client_address(request))
    return person


def _person_out(person: Person) -> PersonOut:
    records = [
        RecordOut(
            source=r.source.code,
            source_person_id=r.source_person_id,
            given_name=r.given_name,
            family_name=r.family_name,
            date_of_birth=r.date_of_birth,
            pnc_id=r.pnc_id,
        )
        for r in person.records.select_related("source").order_by("source__code", "source_person_id")
    ]
    return PersonOut(
        id=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        ethnicity=person.ethnicity,
        pnc_id=person.pnc_id,
        records=records,
    )


@router.post(
    "/people/search",
    response={200: SearchOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Search people by name, date of birth or identifier",
)
def search(request: HttpRequest, payload: SearchIn) -> SearchOut:
    require_api_capability(request, Capability.PEOPLE_VIEW)
    criteria = PersonSearch(
        name=payload.name or "", date_of_birth=payload.date_of_birth, identifier=payload.identifier or ""
    )
    found = search_people(criteria)
    results = [
        PersonSummaryOut(
            id=p.pk,
            given_name=p.given_name,
            family_name=p.family_name,
            date_of_birth=p.date_of_birth,
            pnc_id=p.pnc_id,
            sources=sorted({r.source.code for r in p.records.all()}),
        )
        for p in found[:MAX_RESULTS]
    ]
    return SearchOut(total=found.count(), results=results)


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A person and the records each agency holds",
)
def read_person(request: HttpRequest, person_id: PersonId) -> PersonOut:
    return _person_out(_readable_person(request, person_id))


@router.get(
    "/people/{person_id}/offences",
    response={200: list[OffenceOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="A person's offending history, newest first",
)
def person_offences(request: HttpRequest, person_id: PersonId) -> list[OffenceOut]:
    person = _readable_person(request, person_id)
    history = shown_history(request.user, person)
    return [
        OffenceOut(
            source=o.source.code,
            event_id=o.event_id,
            restricted=o.pk in history.restricted_offence_ids,
            offence_code="restricted" if o.pk in history.restricted_offence_ids else o.offence_code,
            offence_date=o.offence_date,
            outcome=o.outcome,
            outcome_date=o.outcome_date,
            disposal=o.disposal,
            sentence_days=o.sentence_days,
            ward=o.ward,
        )
        for o in history.offences
    ]
