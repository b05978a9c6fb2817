"""The case lists: all cases, my cases, my actions, team caseloads."""

from django.urls import URLPattern, path

from . import views_lists

urlpatterns: list[URLPattern] = [
    path("", views_lists.case_list, name="list"),
    path("search/", views_lists.search, name="search"),
    path("mine/", views_lists.my_cases, name="mine"),
    path("actions/", views_lists.my_actions, name="actions"),
    path("caseloads/", views_lists.caseloads, name="caseloads"),
]
