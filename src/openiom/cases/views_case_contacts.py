"""Forms for contacts (book an appointment or record one, then its outcome), enforcement and the
tasks the system raises (transition at 18, through the gate)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from . import contacts, reminders
from .constants import ContactOutcome, TaskStatus
from .forms import ContactForm, EnforcementForm, OutcomeForm, TaskForm
from .models import Case, Contact, Task
from .views_case import load_case, posted, render_form, submit


def _contacts(case: Case) -> str:
    return reverse("cases:contacts", args=[case.pk])


@login_required
def add_contact(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    form = ContactForm(posted(request), initial={"outcome": ContactOutcome.SCHEDULED})
    contact = submit(
        request,
        form,
        lambda d: contacts.add_contact(
            case=case,
            kind=d["kind"],
            scheduled_at=form.scheduled_at(),
            by=request.user,
            outcome=d["outcome"],
            notes=d["notes"],
        ),
    )
    if contact is not None:
        when = f"{timezone.localtime(contact.scheduled_at):%-d %B %Y at %H:%M}"
        if contact.outcome == ContactOutcome.SCHEDULED:
            messages.success(request, f"{contact.get_kind_display()} booked for {when}.")
        else:
            messages.success(
                request, f"{contact.get_kind_display()} on {when} recorded: {contact.get_outcome_display().lower()}."
            )
        return redirect("cases:contacts", case_id=case.pk)
    return render_form(
        request, case, form, title="Book an appointment or record a contact", tab="contacts",
        submit_label="Save the contact", back=_contacts(case),
    )  # fmt: skip


@login_required
def record_outcome(request: HttpRequest, case_id: int, contact_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    contact = get_object_or_404(Contact.objects.select_related("agency", "by"), pk=contact_id, case=case)
    form = OutcomeForm(posted(request), initial={"version": contact.version})
    done = submit(
        request,
        form,
        lambda d: contacts.record_outcome(
            contact=contact, outcome=d["outcome"], by=request.user, version=d["version"], notes=d["notes"]
        ),
        lambda: Contact.objects.get(pk=contact.pk),
    )
    if done is not None:
        messages.success(request, f"{done.get_kind_display()} recorded as {done.get_outcome_display().lower()}.")
        return redirect("cases:contacts", case_id=case.pk)
    rows = [
        ("Contact", contact.get_kind_display()),
        ("When", f"{timezone.localtime(contact.scheduled_at):%-d %B %Y %H:%M}"),
        ("Booked by", f"{contact.by.full_name}, {contact.agency.name}"),
        ("Outcome now", contact.get_outcome_display()),
    ]
    return render_form(
        request, case, form, title="Record the outcome of a contact", tab="contacts", submit_label="Save the outcome",
        back=_contacts(case), object_rows=rows, reads=(contact,),
    )  # fmt: skip


@login_required
def record_enforcement(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    form = EnforcementForm(posted(request), case=case)
    enforcement = submit(
        request,
        form,
        lambda d: contacts.record_enforcement(
            case=case,
            kind=d["kind"],
            by=request.user,
            details=d["details"],
            taken_on=d["taken_on"],
            contact=d["contact"],
        ),
    )
    if enforcement is not None:
        messages.success(request, f"{enforcement.get_kind_display()} recorded.")
        return redirect("cases:contacts", case_id=case.pk)
    return render_form(
        request, case, form, title="Record enforcement", tab="contacts", submit_label="Record the enforcement",
        back=_contacts(case), intro_template="cases/case/_enforcement_rules.html",
    )  # fmt: skip


@login_required
def finish_task(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    case = load_case(request, case_id, work=True)
    task = get_object_or_404(Task.objects.select_related("agency"), pk=task_id, case=case)
    form = TaskForm(posted(request), initial={"version": task.version, "status": TaskStatus.DONE})
    done = submit(
        request,
        form,
        lambda d: reminders.finish_task(
            task=task, status=d["status"], by=request.user, version=d["version"], note=d["note"]
        ),
        lambda: Task.objects.get(pk=task.pk),
    )
    if done is not None:
        messages.success(request, f"Task {done.get_status_display().lower()}: {done.title}.")
        return redirect("cases:case", case_id=case.pk)
    rows = [
        ("Task", task.title),
        ("For", task.agency.name),
        ("Due by", f"{task.due_on:%-d %B %Y}"),
        ("Status now", task.get_status_display()),
    ]
    return render_form(
        request, case, form, title="Finish a task", tab="overview", submit_label="Save",
        back=reverse("cases:case", args=[case.pk]), object_rows=rows, reads=(task,),
    )  # fmt: skip
