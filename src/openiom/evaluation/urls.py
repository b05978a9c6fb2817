from django.urls import path

from . import views, views_targets

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("dyo/", views.dyo, name="dyo"),
    path("impact/", views.impact, name="impact"),
    path("profile/", views.profile, name="profile"),
    path("pack/", views.pack, name="pack"),
    path("definitions/", views.definitions, name="definitions"),
    path("targets/", views_targets.targets, name="targets"),
    path("targets/add/", views_targets.add, name="target_add"),
    path("targets/<int:pk>/", views_targets.change, name="target_change"),
    path("targets/<int:pk>/stop/", views_targets.deactivate, name="target_deactivate"),
]
