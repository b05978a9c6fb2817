"""The OpenIOM REST API: /api/v1/, bearer tokens, OpenAPI at /api/v1/openapi.json.

Each app adds a router here. Endpoints call the same service and selector
functions as the HTML views.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from openiom.accounts.api import router as accounts_router
from openiom.accounts.services import user_for_token
from openiom.cases.api import router as cases_router
from openiom.cohort.api import router as cohort_router
from openiom.directory.api import router as directory_router
from openiom.imports.api import router as imports_router
from openiom.panels.api import router as panels_router
from openiom.people.api import router as people_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


class OpenIOMApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
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
