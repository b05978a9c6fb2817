from django.urls import path

from openiom.cases import views_tiers
from openiom.sharing import admin_views as sharing_views

from . import admin_views as views

app_name = "admin_pages"

urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/add/", views.agency_edit, name="agency-add"),
    path("agencies/<int:agency_id>/", views.agency_edit, name="agency-edit"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_edit, name="user-add"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("users/<int:user_id>/change/", views.user_edit, name="user-edit"),
    path("users/<int:user_id>/reset-two-factor/", views.user_reset_two_factor, name="user-reset-two-factor"),
    path("roles/", views.role_list, name="roles"),
    path("roles/add/", views.role_edit, name="role-add"),
    path("roles/<int:role_id>/", views.role_edit, name="role-edit"),
    path("tiers/", views_tiers.tier_list, name="tiers"),
    path("tiers/add/", views_tiers.tier_edit, name="tier-add"),
    path("tiers/<int:tier_id>/", views_tiers.tier_edit, name="tier-edit"),
    path("sharing/", sharing_views.matrix, name="sharing"),
    path("sharing/<slug:category>/", sharing_views.category_rules, name="sharing-category"),
]
