from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from .models import Agency, User
from .schemas import AgencyOut, ErrorOut, MeOut

router = Router(tags=["partnership"])


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="Who the token belongs to")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        agency=AgencyOut.from_orm(user.agency),
        roles=[{"code": r.code, "name": r.name} for r in user.roles.all()],  # type: ignore[misc]
        capabilities=sorted(user.capabilities()),
    )


@router.get("/agencies", response={200: list[AgencyOut], 401: ErrorOut}, summary="The partnership's agencies")
def agencies(request: HttpRequest) -> list[Agency]:
    return list(Agency.objects.order_by("name"))
