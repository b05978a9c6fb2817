"""Two-factor authentication: required for everyone in production, and for anyone who has enrolled."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

EXEMPT_PREFIXES = ("/static/", "/api/", "/account/two-factor/", "/sign-out/", "/health", "/accessibility", "/privacy")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if user_has_device(user, confirmed=True):
                target = "accounts:two-factor-verify"
            elif settings.REQUIRE_TWO_FACTOR:
                target = "accounts:two-factor-setup"
            else:
                return self.get_response(request)
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)
