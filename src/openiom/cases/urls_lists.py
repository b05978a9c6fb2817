"""The case lists: all cases, my cases, my actions, team caseloads."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
