"""Administration of the sharing matrix (administrators only): the whole matrix, and one category's rules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openiom.accounts.admin_views import administer
from openiom.accounts.constants import AgencyType

from .constants import CONSENT_CATEGORIES, Category
from .forms import CategoryRulesForm
from .models import SharingRule
from .services import SharingError, category_fingerprint, set_category_rules


@administer
def matrix(request: HttpRequest) -> HttpResponse:
    rules = {(r.agency_type, r.category): r for r in SharingRule.objects.select_related("updated_by")}
    rows = [
        (label, [(category, rules.get((value, category))) for category in Category.values])
        for value, label in AgencyType.choices
    ]
    return render(
        request,
        "sharing/admin_matrix.html",
        {"page_title": "Sharing rules", "categories": Category.choices, "rows": rows},
    )


@administer
def category_rules(request: HttpRequest, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404
    chosen = Category(category)
    current = {r.agency_type: r for r in SharingRule.objects.filter(category=chosen)}
    initial: dict[str, object] = {"fingerprint": category_fingerprint(chosen)}
    for value in AgencyType.values:
        rule = current.get(value)
        if rule is not None:
            initial |= {f"{value}__read": rule.can_read, f"{value}__write": rule.can_write}
            initial[f"{value}__consent"] = rule.needs_consent
    form = CategoryRulesForm(request.POST if request.method == "POST" else None, category=chosen, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = set_category_rules(
                category=chosen, rules=form.rules(), by=request.user, fingerprint=form.cleaned_data["fingerprint"]
            )
        except SharingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{chosen.label}: {len(changed)} rule{'s' if len(changed) != 1 else ''} changed.")
            return redirect("admin_pages:sharing")
    return render(
        request,
        "sharing/admin_category.html",
        {
            "page_title": f"Sharing rules: {chosen.label}",
            "category": chosen,
            "form": form,
            "consent_allowed": chosen in CONSENT_CATEGORIES,
        },
    )
