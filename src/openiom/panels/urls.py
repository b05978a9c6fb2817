from django.urls import path

from . import views, views_meeting, views_minutes, views_referrals

app_name = "panels"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("terms/", views.terms_list, name="terms"),
    path("<int:panel_id>/terms/", views.terms_edit, name="terms-edit"),
    path("<int:panel_id>/members/", views.members, name="members"),
    path("members/<int:member_id>/remove/", views.member_remove, name="member-remove"),
    path("<int:panel_id>/schedule/series/", views.schedule_series_view, name="schedule-series"),
    path("<int:panel_id>/schedule/meeting/", views.schedule_meeting_view, name="schedule-meeting"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path("actions/<int:action_id>/done/", views.action_done, name="action-done"),
    # A meeting
    path("meetings/<int:meeting_id>/", views_meeting.meeting_view, name="meeting"),
    path("meetings/<int:meeting_id>/agenda/build/", views_meeting.build_agenda_view, name="build-agenda"),
    path("meetings/<int:meeting_id>/papers.pdf", views_meeting.papers_pdf, name="papers-pdf"),
    path("meetings/<int:meeting_id>/papers/circulate/", views_meeting.circulate_papers_view, name="circulate-papers"),
    path("meetings/<int:meeting_id>/attendance/", views_meeting.attendance, name="attendance"),
    path("attendance/<int:attendance_id>/remove/", views_meeting.attendance_remove, name="attendance-remove"),
    path("items/<int:item_id>/decision/", views_meeting.decision, name="decision"),
    path("meetings/<int:meeting_id>/actions/", views_meeting.actions, name="actions"),
    path("meetings/<int:meeting_id>/minutes/", views_minutes.minutes, name="minutes"),
    path("meetings/<int:meeting_id>/minutes/draft/", views_minutes.minutes_draft, name="minutes-draft"),
    path("meetings/<int:meeting_id>/minutes/approve/", views_minutes.minutes_approve, name="minutes-approve"),
    path("meetings/<int:meeting_id>/minutes.pdf", views_minutes.minutes_download, name="minutes-pdf"),
    path("meetings/<int:meeting_id>/minutes/circulate/", views_minutes.minutes_circulate, name="minutes-circulate"),
    # Referrals
    path("referrals/", views_referrals.referral_list, name="referrals"),
    path("referrals/new/", views_referrals.refer_view, name="refer"),
    path("referrals/<int:referral_id>/", views_referrals.referral_view, name="referral"),
    path(
        "referrals/<int:referral_id>/acknowledgement.pdf",
        views_referrals.acknowledgement_download,
        name="acknowledgement-pdf",
    ),
    path(
        "referrals/<int:referral_id>/acknowledgement/send/",
        views_referrals.acknowledgement_send,
        name="acknowledgement-send",
    ),
]
