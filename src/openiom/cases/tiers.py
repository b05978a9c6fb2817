"""The pyramid of service levels as administrators configure it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Case, Tier


@transaction.atomic
def save_tier(
    *,
    tier: Tier | None,
    level: int,
    name: str,
    description: str,
    is_active: bool,
    quiet_days: int,
    min_compliance: int,
) -> Tier:
    """Add or change a tier. A tier with open cases stays active; the pyramid keeps at least one active tier."""
    tier = tier or Tier()
    if min_compliance > 100:
        raise ValidationError({"min_compliance": "Good compliance is a percentage: 100 or less"})
    if quiet_days < 1:
        raise ValidationError({"quiet_days": "The quiet period must be at least 1 day"})
    if tier.pk and tier.is_active and not is_active:
        open_cases = Case.objects.open().filter(tier=tier).count()
        if open_cases:
            raise ValidationError(
                {
                    "is_active": f"{open_cases} open case{'s are' if open_cases != 1 else ' is'} at this tier: "
                    "move them to another tier first"
                }
            )
        if not Tier.objects.filter(is_active=True).exclude(pk=tier.pk).exists():
            raise ValidationError({"is_active": "The pyramid needs at least one tier in use"})
    tier.level, tier.name, tier.description, tier.is_active = level, name.strip(), description.strip(), is_active
    tier.quiet_days, tier.min_compliance = quiet_days, min_compliance
    tier.full_clean()
    tier.save()
    return tier
