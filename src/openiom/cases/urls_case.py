"""One case: its page, timeline and the forms that change it. Addresses carry ids only."""

from django.urls import URLPattern, path

from . import views_case, views_case_contacts, views_case_edit, views_case_plan, views_case_victims

urlpatterns: list[URLPattern] = [
    # the pages
    path("<int:case_id>/", views_case.case_view, name="case"),
    path("<int:case_id>/timeline/", views_case.timeline_view, name="timeline"),
    path("<int:case_id>/needs/", views_case.needs_view, name="needs"),
    path("<int:case_id>/contacts/", views_case.contacts_view, name="contacts"),
    path("<int:case_id>/victims/", views_case.victims_view, name="victims"),
    # the case itself
    path("<int:case_id>/tier/", views_case_edit.change_tier, name="change-tier"),
    path("<int:case_id>/reviews/<int:prompt_id>/", views_case_edit.review_prompt, name="review-prompt"),
    path("<int:case_id>/details/", views_case_edit.edit_details, name="edit-details"),
    path("<int:case_id>/lead/", views_case_edit.change_lead, name="change-lead"),
    path("<int:case_id>/agencies/add/", views_case_edit.add_involvement, name="add-involvement"),
    path("<int:case_id>/agencies/<int:involvement_id>/end/", views_case_edit.end_involvement, name="end-involvement"),
    path("<int:case_id>/cohorts/add/", views_case_edit.add_membership, name="add-membership"),
    path("<int:case_id>/cohorts/<int:membership_id>/end/", views_case_edit.end_membership, name="end-membership"),
    # needs and the plan
    path("<int:case_id>/assessments/new/", views_case_plan.record_assessment, name="record-assessment"),
    path("<int:case_id>/actions/add/", views_case_plan.add_action, name="add-action"),
    path("<int:case_id>/actions/<int:action_id>/edit/", views_case_plan.edit_action, name="edit-action"),
    path("<int:case_id>/actions/<int:action_id>/status/", views_case_plan.action_status, name="action-status"),
    path("<int:case_id>/interventions/refer/", views_case_plan.refer_to_service, name="refer-to-service"),
    path(
        "<int:case_id>/interventions/<int:intervention_id>/status/",
        views_case_plan.move_intervention,
        name="move-intervention",
    ),
    path(
        "<int:case_id>/interventions/<int:intervention_id>/sessions/",
        views_case_plan.record_sessions,
        name="record-sessions",
    ),
    # contacts, enforcement, tasks
    path("<int:case_id>/contacts/add/", views_case_contacts.add_contact, name="add-contact"),
    path("<int:case_id>/contacts/<int:contact_id>/outcome/", views_case_contacts.record_outcome, name="record-outcome"),
    path("<int:case_id>/enforcement/add/", views_case_contacts.record_enforcement, name="record-enforcement"),
    path("<int:case_id>/tasks/<int:task_id>/finish/", views_case_contacts.finish_task, name="finish-task"),
    # victims
    path("<int:case_id>/victims/add/", views_case_victims.add_victim, name="add-victim"),
    path("<int:case_id>/victims/<int:victim_id>/edit/", views_case_victims.edit_victim, name="edit-victim"),
    path("<int:case_id>/victims/<int:victim_id>/victim-support/", views_case_victims.refer_victim, name="refer-victim"),
]
