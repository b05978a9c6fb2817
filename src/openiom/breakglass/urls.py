"""Break-glass pages. Addresses carry ids only."""

from django.urls import path

from . import views

app_name = "breakglass"

urlpatterns = [
    path("", views.report, name="report"),
    path("mine/", views.mine, name="mine"),
    path("<int:grant_id>/", views.grant_detail, name="grant"),
    path("<int:grant_id>/end/", views.end, name="end"),
    path("cases/<int:case_id>/", views.ask, name="ask"),
]
