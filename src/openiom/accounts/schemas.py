from __future__ import annotations

from typing import Any

from ninja import Schema


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
