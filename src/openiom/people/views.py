"""Searching for people and reading a person's record. Names never go into URLs: search is a POST."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access

from .forms import PersonSearchForm
from .models import Person
from .selectors import MAX_RESULTS, person_history, search_people

can_view_people = capability_required(Capability.PEOPLE_VIEW)


@can_view_people
def search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    total = 0
    if request.method == "POST" and form.is_valid():
        found = search_people(form.to_search())
        total = found.count()
        results = list(found[:MAX_RESULTS])
    return render(
        request,
        "people/search.html",
        {"page_title": "Find a person", "form": form, "results": results, "total": total, "limit": MAX_RESULTS},
    )


@can_view_people
def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    record_access(user=request.user, obj=person, purpose=Purpose.CASE_MANAGEMENT, remote_addr=client_address(request))
    history = person_history(person)
    context = {
        "page_title": str(person),
        "history": history,
        "person": person,
        "timeline": history.timeline(),
        "age": person.age_on(timezone.localdate()),
    }
    return render(request, "people/detail.html", context)
