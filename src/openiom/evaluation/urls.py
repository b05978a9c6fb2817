from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("dyo/", views.dyo, name="dyo"),
    path("impact/", views.impact, name="impact"),
    path("profile/", views.profile, name="profile"),
    path("pack/", views.pack, name="pack"),
]
