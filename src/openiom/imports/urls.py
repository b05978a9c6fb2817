from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.history, name="history"),
    path("upload/", views.upload, name="upload"),
    path("<int:delivery_id>/", views.detail, name="detail"),
]
