from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("actions/", views.actions, name="actions"),
    path("periods/<int:rule_id>/", views.change_period, name="period"),
    path("<slug:record_type>/<int:object_id>/", views.review, name="review"),
]
