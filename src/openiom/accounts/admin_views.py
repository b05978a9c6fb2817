"""Administration pages: agencies, users and roles, in GOV.UK style."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_access

from .constants import Capability
from .forms import AgencyForm, RoleForm, UserForm
from .models import Agency, Role, User
from .permissions import capability_required
from .services import create_user, reset_two_factor, save_agency, save_custom_role, update_user

administer = capability_required(Capability.ADMINISTER)


def _form_errors_from(exc: ValidationError, form: object) -> None:
    """Put a service's validation errors on the form, so the user sees them beside the fields."""
    add_error = form.add_error  # type: ignore[attr-defined]
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                add_error(field if field in form.fields else None, error)  # type: ignore[attr-defined]
    else:
        for message in exc.messages:
            add_error(None, message)


@administer
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "admin_pages/index.html",
        {
            "page_title": "Administration",
            "agency_count": Agency.objects.count(),
            "user_count": User.objects.count(),
            "role_count": Role.objects.count(),
        },
    )


@administer
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.annotate(user_count=Count("users")).order_by("name")
    return render(request, "admin_pages/agency_list.html", {"page_title": "Agencies", "agencies": agencies})


@administer
def agency_edit(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id) if agency_id else None
    form = AgencyForm(request.POST if request.method == "POST" else None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_agency(agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_from(exc, form)
        else:
            messages.success(request, f"{saved.name} has been saved.")
            return redirect("admin_pages:agencies")
    title = f"Change {agency.name}" if agency else "Add an agency"
    return render(
        request, "admin_pages/edit.html", {"page_title": title, "form": form, "cancel": "admin_pages:agencies"}
    )


@administer
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("agency").prefetch_related("roles").order_by("full_name")
    agency_id = request.GET.get("agency", "")
    selected_agency = None
    if agency_id.isdigit():
        selected_agency = Agency.objects.filter(pk=int(agency_id)).first()
        if selected_agency is not None:
            users = users.filter(agency=selected_agency)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    query = f"agency={selected_agency.pk}&" if selected_agency else ""
    return render(
        request,
        "admin_pages/user_list.html",
        {
            "page_title": "Users",
            "page_obj": page,
            "agencies": Agency.objects.order_by("name"),
            "selected_agency": selected_agency,
            "query_without_page": query,
        },
    )


@administer
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("agency").prefetch_related("roles"), pk=user_id)
    record_access(user=request.user, obj=person, purpose=Purpose.ADMINISTRATION, remote_addr=client_address(request))
    from django_otp import user_has_device

    return render(
        request,
        "admin_pages/user_detail.html",
        {"page_title": person.full_name, "person": person, "has_two_factor": user_has_device(person, confirmed=True)},
    )


@administer
def user_edit(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id) if user_id else None
    initial = None
    if person is not None:
        initial = {
            "email": person.email,
            "full_name": person.full_name,
            "job_title": person.job_title,
            "agency": person.agency_id,
            "roles": list(person.roles.all()),
            "is_active": person.is_active,
        }
    form = UserForm(request.POST if request.method == "POST" else None, initial=initial, editing=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if person is None:
                saved = create_user(
                    email=data["email"],
                    full_name=data["full_name"],
                    job_title=data["job_title"],
                    agency=data["agency"],
                    roles=list(data["roles"]),
                    password=data["password"],
                )
            else:
                saved = update_user(
                    user=person,
                    full_name=data["full_name"],
                    job_title=data["job_title"],
                    agency=data["agency"],
                    roles=list(data["roles"]),
                    is_active=data["is_active"],
                )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _form_errors_from(exc, form)
            else:  # password validators raise a plain list
                for message in exc.messages:
                    form.add_error("password" if "password" in form.fields else None, message)
        else:
            messages.success(request, f"{saved.full_name} has been saved.")
            return redirect("admin_pages:user", user_id=saved.pk)
    title = f"Change {person.full_name}" if person else "Add a user"
    return render(request, "admin_pages/edit.html", {"page_title": title, "form": form, "cancel": "admin_pages:users"})


@administer
@require_POST
def user_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    removed = reset_two_factor(user=person)
    messages.success(
        request,
        f"Two-factor authentication has been reset for {person.full_name} ({removed} device(s) removed). "
        "They will set it up again when they next sign in.",
    )
    return redirect("admin_pages:user", user_id=person.pk)


@administer
def role_list(request: HttpRequest) -> HttpResponse:
    roles = Role.objects.annotate(user_count=Count("users")).order_by("-is_system", "name")
    return render(request, "admin_pages/role_list.html", {"page_title": "Roles", "roles": roles})


@administer
def role_edit(request: HttpRequest, role_id: int | None = None) -> HttpResponse:
    role = get_object_or_404(Role, pk=role_id) if role_id else None
    if role is not None and role.is_system:
        messages.info(request, f"{role.name} is a system role: OpenIOM defines it, so it cannot be changed here.")
        return redirect("admin_pages:roles")
    initial = None
    if role is not None:
        initial = {
            "name": role.name,
            "code": role.code,
            "description": role.description,
            "capabilities": role.capabilities,
        }
    form = RoleForm(request.POST if request.method == "POST" else None, initial=initial, editing=role)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_custom_role(
                role=role,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                capabilities=list(data["capabilities"]),
            )
        except ValidationError as exc:
            _form_errors_from(exc, form)
        else:
            messages.success(request, f"The role {saved.name} has been saved.")
            return redirect("admin_pages:roles")
    title = f"Change {role.name}" if role else "Add a role"
    return render(request, "admin_pages/edit.html", {"page_title": title, "form": form, "cancel": "admin_pages:roles"})
