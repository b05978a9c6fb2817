from __future__ import annotations

from typing import Any

from ninja import Schema

# Free text in API requests: never a NUL character (PostgreSQL text cannot hold one, so it
# would fail on write or search); TEXT also needs something other than spaces.
TEXT = r"^[^\u0000]*[^\u0000\s][^\u0000]*$"
OPTIONAL_TEXT = r"^[^\u0000]*$"


class ErrorOut(Schema):
    message: str
    errors: list[dict[str, Any]] | None = None


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    agency_type: str
    is_active: bool


class RoleOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    agency: AgencyOut
    roles: list[RoleOut]
    capabilities: list[str]
