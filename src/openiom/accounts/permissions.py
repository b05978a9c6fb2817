"""How views declare the capability they need."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .constants import Capability
from .rules import perm


def require_capability(request: HttpRequest, capability: Capability) -> None:
    if not request.user.has_perm(perm(capability)):
        raise PermissionDenied


def require_api_capability(request: HttpRequest, capability: Capability) -> None:
    """For API views: a 403 JSON error (not an HTML page) when the token's user lacks the capability."""
    from ninja.errors import HttpError

    if not request.user.has_perm(perm(capability)):
        raise HttpError(403, "Your role does not allow this")


def capability_required(capability: Capability) -> Callable[..., Any]:
    """Decorator for function views: signed-in users with the capability only (403 otherwise)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        from django.contrib.auth.decorators import login_required

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_capability(request, capability)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator
