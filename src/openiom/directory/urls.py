"""The service directory pages."""

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("new/", views.add, name="add"),
    path("import/", views.import_file, name="import"),
    path("import/example.csv", views.example_file, name="example"),
    path("gaps/", views.gaps, name="gaps"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
]
