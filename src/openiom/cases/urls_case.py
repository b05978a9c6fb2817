"""One case: its page, timeline and the forms that change it."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
