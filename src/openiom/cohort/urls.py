from django.urls import path

from . import views

app_name = "cohort"

urlpatterns = [
    path("", views.runs, name="runs"),
    path("runs/new/", views.new_run, name="new-run"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/exclusions/", views.exclusions, name="exclusions"),
    path("runs/<int:run_id>/fairness/", views.fairness, name="fairness"),
    path("runs/<int:run_id>/settings/", views.run_settings, name="settings"),
    path("runs/<int:run_id>/export/", views.export, name="export"),
    path("runs/<int:run_id>/refer/", views.refer, name="refer"),
    path("runs/<int:run_id>/people/<int:person_key>/", views.explanation, name="explanation"),
    path("compare/", views.compare, name="compare"),
]
