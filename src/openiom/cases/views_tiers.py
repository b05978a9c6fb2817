"""Administration pages for the pyramid of service levels (administrators only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openiom.accounts.admin_views import _form_errors_from, administer

from .constants import CaseStatus
from .models import Tier
from .tiers import save_tier


class TierForm(forms.ModelForm[Tier]):
    class Meta:
        model = Tier
        fields = ["level", "name", "description", "quiet_days", "min_compliance", "is_active"]
        labels = {"level": "Level (1 is the most intensive)", "is_active": "In use"}
        error_messages = {
            "level": {"required": "Enter the tier's level", "unique": "Another tier has this level"},
            "name": {"required": "Enter the tier's name", "unique": "Another tier has this name"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["rows"] = 3


@administer
def tier_list(request: HttpRequest) -> HttpResponse:
    tiers = Tier.objects.annotate(open_cases=Count("cases", filter=Q(cases__status=CaseStatus.OPEN))).order_by("level")
    return render(
        request, "admin_pages/tier_list.html", {"page_title": "The pyramid of service levels", "tiers": tiers}
    )


@administer
def tier_edit(request: HttpRequest, tier_id: int | None = None) -> HttpResponse:
    tier = get_object_or_404(Tier, pk=tier_id) if tier_id else None
    form = TierForm(request.POST if request.method == "POST" else None, instance=tier)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_tier(tier=Tier.objects.get(pk=tier.pk) if tier else None, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_from(exc, form)
        else:
            messages.success(request, f"{saved.name} has been saved.")
            return redirect("admin_pages:tiers")
    title = f"Change {tier.name}" if tier else "Add a tier"
    return render(request, "admin_pages/edit.html", {"page_title": title, "form": form, "cancel": "admin_pages:tiers"})
