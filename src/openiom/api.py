"""The OpenIOM REST API: /api/v1/, bearer tokens, OpenAPI at /api/v1/openapi.json.

Each app adds a router here. Endpoints call the same service and selector
functions as the HTML views.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from openiom.accounts.api import router as accounts_router
from openiom.accounts.constants import TokenScope
from openiom.accounts.models import ApiToken
from openiom.accounts.ratelimit import RateLimitedError, hit
from openiom.accounts.services import token_for_raw
from openiom.cases.api import router as cases_router
from openiom.cohort.api import router as cohort_router
from openiom.directory.api import router as directory_router
from openiom.imports.api import router as imports_router
from openiom.panels.api import router as panels_router
from openiom.people.api import router as people_router

TOO_MANY_REQUESTS = {
    "description": "Too many requests: the token's (or, without a token, the address's) rate limit",
    "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}},
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"message": {"type": "string"}},
                "required": ["message"],
            }
        }
    },
}

# Searches are sent by POST so that names never appear in a URL: they only read.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
INGEST_OPERATIONS = frozenset({("POST", "/api/v1/deliveries")})


def scope_needed(request: HttpRequest) -> TokenScope:
    """The token scope an API request needs: read, write, or ingest (sending a data delivery)."""
    method, path = request.method or "GET", request.path.rstrip("/")
    if (method, path) in INGEST_OPERATIONS:
        return TokenScope.INGEST
    if method in READ_METHODS or (method == "POST" and path.endswith("/search")):
        return TokenScope.READ
    return TokenScope.WRITE


def client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: a usable token of an active user, within its rate limit and scope.

    Order: a request without a valid token counts against its address's limit (then 401, or 429
    once over it); a valid token counts against its own limit (429), then its scope is checked
    (403). What the user's role allows is checked by each endpoint.
    """

    def __call__(self, request: HttpRequest) -> Any:
        result = super().__call__(request)
        if result is None:
            hit(f"anon:{client_ip(request)}", limit=settings.API_ANON_RATE_LIMIT_PER_MINUTE)
        return result

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found: ApiToken | None = token_for_raw(token)
        if found is None:
            return None
        hit(f"token:{found.token_hash[:32]}", limit=settings.API_RATE_LIMIT_PER_MINUTE)
        needed = scope_needed(request)
        if not found.allows(needed):
            raise HttpError(403, f"This token's scope does not allow this (it needs the {needed.value} scope)")
        request.user = found.user
        return found.user


class OpenIOMApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        # Every authenticated operation may answer 429 (rate limit) with Retry-After.
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault("429", TOO_MANY_REQUESTS)
        # Every file of a delivery is optional, so an empty multipart body is valid (and reported
        # as a rejected delivery with the reason); django-ninja marks file bodies as required.
        ingest = schema["paths"].get("/api/v1/deliveries", {}).get("post", {})
        if "requestBody" in ingest:
            ingest["requestBody"]["required"] = False
            for content in ingest["requestBody"].get("content", {}).values():
                content.get("schema", {})["additionalProperties"] = False
        return schema


api = OpenIOMApi(
    title="OpenIOM API",
    version="1",
    description=(
        "Integrated Offender Management. Authenticate with a personal access token: "
        "`Authorization: Bearer <token>` (create one with `openiom token create EMAIL` or on your account page). "
        "Errors are JSON objects with a `message`."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    docs_url=None,
)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"message": "A valid API token is required"}, status=401)


@api.exception_handler(RateLimitedError)
def on_rate_limited(request: HttpRequest, exc: RateLimitedError) -> HttpResponse:
    response = api.create_response(request, {"message": "Too many requests: slow down and try again"}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"message": "The request is not valid", "errors": exc.errors}, status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"message": "Not found"}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"message": str(exc)}, status=exc.status_code)


api.add_router("", accounts_router)
api.add_router("", people_router)
api.add_router("", imports_router)
api.add_router("", cohort_router)
api.add_router("", panels_router)
api.add_router("", cases_router)
api.add_router("", directory_router)
