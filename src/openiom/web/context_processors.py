from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .sections import section_url, sections_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The primary navigation: Home and the sections the signed-in user can reach."""
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "demo_mode": not settings.PRODUCTION,
        "partnership_name": getattr(settings, "PARTNERSHIP_NAME", ""),
    }
    if user is None or not user.is_authenticated:
        return context
    path = request.path
    items = [{"label": "Home", "url": reverse("web:home"), "current": path == reverse("web:home")}]
    for section in sections_for(user):
        url = section_url(section)
        items.append({"label": section.label, "url": url, "current": path.startswith(url)})
    context["nav_sections"] = items
    return context
