from django.urls import path

from . import views

app_name = "sharing"

urlpatterns = [
    path("cases/<int:case_id>/consent/", views.consents, name="consents"),
    path("cases/<int:case_id>/consent/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
]
