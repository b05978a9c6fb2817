from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openiom.accounts.permissions import require_capability

from .sections import SECTIONS_BY_SLUG, section_url, sections_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "page_title": "Home",
            "sections": [(s, section_url(s)) for s in sections_for(user)],
            "roles": list(user.roles.all()),  # type: ignore[union-attr]
        },
    )


@login_required
def section(request: HttpRequest, slug: str) -> HttpResponse:
    found = SECTIONS_BY_SLUG.get(slug)
    if found is None or found.url_name:
        raise Http404("No such section")
    require_capability(request, found.capability)
    return render(request, "web/section.html", {"page_title": found.label, "section": found})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html", {"page_title": "Accessibility statement"})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "web/privacy.html", {"page_title": "Privacy and data protection"})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: checks the database answers. No personal data."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", {"page_title": "Bad request"}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"page_title": "You do not have access to this page"}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database or the user: the error may be theirs.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", {"page_title": "Your session has expired"}, status=403)
