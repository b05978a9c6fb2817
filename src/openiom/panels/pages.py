"""What the panels views share: access by any of several capabilities, audited reads, PDFs, messages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from openiom.accounts.constants import Capability
from openiom.accounts.permissions import capability_required
from openiom.accounts.rules import perm
from openiom.audit.constants import Purpose
from openiom.audit.services import client_address, record_accesses

can_view = capability_required(Capability.PANELS_VIEW)
can_manage = capability_required(Capability.PANELS_MANAGE)
can_chair = capability_required(Capability.PANELS_CHAIR)
can_refer = capability_required(Capability.REFER)


def any_capability_required(*capabilities: Capability) -> Callable[..., Any]:
    """Signed-in users holding at least one of the capabilities (403 otherwise)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(request.user.has_perm(perm(c)) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


can_edit_terms = any_capability_required(Capability.ADMINISTER, Capability.PANELS_MANAGE)


def audit_reads(request: HttpRequest, objects: Iterable[models.Model]) -> None:
    """Each record with personal data shown on a panels page is a read for panel business."""
    record_accesses(user=request.user, objects=objects, purpose=Purpose.PANEL, remote_addr=client_address(request))


def sentence(message: str) -> str:
    """A service's reason as a sentence for the page: capital first letter, full stop at the end."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
