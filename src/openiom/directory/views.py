"""The service directory pages. Each view parses input, calls one service or selector, renders."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.cases.constants import LIVE_INTERVENTION_STATUSES
from openiom.cases.locking import StaleEditError

from .charts import gaps_chart
from .forms import DeactivateForm, ImportForm, SearchForm, ServiceForm, VersionForm
from .gaps import gaps_from_database
from .importer import COLUMNS, import_services
from .models import Service
from .seed import DEMO_FILE
from .selectors import areas, free_places, search_services, with_places
from .services import (
    ServiceData,
    ServiceError,
    create_service,
    deactivate_service,
    reactivate_service,
    service_changes,
    update_service,
)

can_view = capability_required(Capability.SERVICES_VIEW)
can_manage = capability_required(Capability.SERVICES_MANAGE)


def _selected_filters(request: HttpRequest, form: SearchForm) -> list[dict[str, str]]:
    """The MoJ filter's "selected filters" tags, each linking to the page without it."""
    if not form.is_bound:
        return []
    form.is_valid()
    out = []
    for name in ("q", "pathway", "area", "age", "gender", "cohort", "available", "inactive"):
        value = form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        field = form.fields[name]
        if isinstance(field, forms.ChoiceField):
            text = dict(field.choices).get(value, value)  # type: ignore[arg-type]
        elif value is True:
            text = "Yes"
        else:
            text = str(value)
        rest = {k: v for k, v in request.GET.items() if k not in (name, "page") and v}
        out.append({"heading": str(field.label), "text": str(text), "url": "?" + urlencode(rest)})
    return out


@can_view
def service_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, areas=areas())
    found = search_services(form.search())
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    for service in page:
        service.free = free_places(service)  # type: ignore[attr-defined]
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "directory/list.html",
        {
            "page_title": "Services",
            "form": form,
            "page_obj": page,
            "selected": _selected_filters(request, form),
            "query_without_page": f"{urlencode(query)}&" if query else "",
        },
    )


@can_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(with_places(Service.objects.select_related("updated_by")), pk=pk)
    live = (
        service.interventions.filter(status__in=LIVE_INTERVENTION_STATUSES)
        .values_list("pathway", flat=True)
        .order_by("pathway")
    )
    return render(
        request,
        "directory/detail.html",
        {
            "page_title": service.name,
            "service": service,
            "free": free_places(service),
            "live_total": len(live),
            "deactivate_form": DeactivateForm(initial={"version": service.version}),
            "version_form": VersionForm(initial={"version": service.version}),
        },
    )


@can_manage
def add(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST) if request.method == "POST" else ServiceForm()
    if request.method == "POST" and form.is_valid():
        try:
            service = create_service(form.data_for_service(), by=request.user)
        except ServiceError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"{service.name} has been added to the directory")
            return redirect("directory:detail", pk=service.pk)
    return render(request, "directory/edit.html", {"page_title": "Add a service", "form": form, "service": None})


def _shown(form: ServiceForm, name: str, value: object) -> str:
    """A field's value in words, as the form would show it."""
    choices = dict(getattr(form.fields[name], "choices", []))
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value) or "None"
    if value in (None, ""):
        return str(choices.get("", "Blank"))
    return str(choices.get(value, value))


@can_manage
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    stale: Service | None = None
    if request.method != "POST":
        form = ServiceForm(initial=ServiceForm.initial_for(ServiceData.of(service), service.version))
    else:
        form = ServiceForm(request.POST)
        if form.is_valid():
            try:
                update_service(service, form.data_for_service(), by=request.user, version=form.cleaned_data["version"])
            except ServiceError as exc:
                form.add_service_errors(exc)
            except StaleEditError as exc:
                form.add_error(None, str(exc))
                stale = service
            else:
                messages.success(request, f"Your changes to {service.name} have been saved")
                return redirect("directory:detail", pk=service.pk)
    changed: list[tuple[str, str, str]] = []
    if stale is not None:
        # Keep what they typed, show what differs; the next save starts from the version saved now.
        yours = form.data_for_service()
        changed = [
            (
                str(form.fields[name].label).removesuffix(" (optional)"),
                _shown(form, name, getattr(stale, name)),
                _shown(form, name, getattr(yours, name)),
            )
            for name in service_changes(stale, yours)
        ]
        data = request.POST.copy()
        data["version"] = str(stale.version)
        form.data = data
    return render(
        request,
        "directory/edit.html",
        {"page_title": f"Change {service.name}", "form": form, "service": service, "stale": stale, "changed": changed},
    )


@can_manage
@require_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    form = DeactivateForm(request.POST)
    form.is_valid()
    try:
        deactivate_service(
            service, by=request.user, version=form.cleaned_data.get("version"), reason=form.cleaned_data["reason"]
        )
    except (ServiceError, StaleEditError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{service.name} no longer takes referrals")
    return redirect("directory:detail", pk=service.pk)


@can_manage
@require_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    form = VersionForm(request.POST)
    form.is_valid()
    try:
        reactivate_service(service, by=request.user, version=form.cleaned_data.get("version"))
    except (ServiceError, StaleEditError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{service.name} takes referrals again")
    return redirect("directory:detail", pk=service.pk)


@can_manage
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_services(form.cleaned_data["file"].read(), by=request.user)
        if result.ok:
            messages.success(request, result.summary())
            return redirect("directory:list")
    title = "Error: Import services" if result and result.problems else "Import services"
    context: dict[str, Any] = {"page_title": title, "form": form, "result": result, "columns": COLUMNS}
    return render(request, "directory/import.html", context)


@can_manage
def example_file(request: HttpRequest) -> FileResponse:
    return FileResponse(DEMO_FILE.open("rb"), as_attachment=True, filename="services.csv", content_type="text/csv")


@can_view
def gaps(request: HttpRequest) -> HttpResponse:
    from openiom.cases.selectors import cases_not_assessed

    rows = gaps_from_database()
    return render(
        request,
        "directory/gaps.html",
        {
            "page_title": "Service gaps",
            "rows": rows,
            "chart": gaps_chart(rows),
            "unmet": [r for r in rows if r.has_unmet_need],
            "duplicated": [r for r in rows if r.has_duplication],
            "not_assessed": cases_not_assessed(),
        },
    )
