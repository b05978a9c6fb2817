from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("matches/", views.matches, name="matches"),
    path("matches/run/", views.run_linkage_view, name="run-linkage"),
    path("matches/<int:candidate_id>/", views.match_decide, name="match"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge-undo"),
]
