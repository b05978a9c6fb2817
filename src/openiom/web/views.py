from __future__ import annotations

import logging
import sys

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from openiom.accounts.permissions import require_capability

from .sections import SECTIONS_BY_SLUG, section_url, sections_for

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30  # what the 503 page and the health check suggest while the database is away


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
    """For load balancers: checks the database answers (503 while it does not). No personal data."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database is not answering")
        response = JsonResponse({"status": "unavailable", "database": "not answering"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok"})


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", {"page_title": "Bad request"}, status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", {"page_title": "You do not have access to this page"}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database or the user: the error may be theirs.
    # Django calls this while handling the exception, so sys.exc_info() tells what went wrong.
    from django.db import InterfaceError, OperationalError
    from django.template import loader

    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):  # the database went away
        response = HttpResponse(loader.get_template("errors/503.html").render({}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", {"page_title": "Your session has expired"}, status=403)
