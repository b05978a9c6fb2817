"""Log every use of a break-glass grant: any page or API request about a case (its URL has a
`case_id`) by a user who holds an active grant for that case, once the view has answered."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from django.http import HttpRequest, HttpResponse

from openiom.audit.services import client_address

from .services import record_use


class BreakGlassUseMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        case_id = match.kwargs.get("case_id") if match is not None else None
        user = getattr(request, "user", None)  # the API sets it from the token during the view
        if match is not None and match.app_name == "breakglass":
            return response  # asking for access is not a use of it
        if case_id is not None and user is not None and user.is_authenticated and response.status_code < 400:
            with suppress(ValueError):  # not a case id (the API answers 422 for those anyway)
                record_use(user=user, case_id=int(case_id), remote_addr=client_address(request))
        return response
