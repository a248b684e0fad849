from django.urls import path

from . import risk_views, views

app_name = "inclusion"

urlpatterns = [
    path("", views.find_help, name="find_help"),
    path("services/<slug:slug>/", views.service_page, name="service"),
    path("risk/", risk_views.risk_page, name="risk"),
    path(
        "risk/digital-exclusion-risk-index.csv",
        risk_views.risk_download,
        {"extension": "csv"},
        name="risk_csv",
    ),
    path(
        "risk/digital-exclusion-risk-index.json",
        risk_views.risk_download,
        {"extension": "json"},
        name="risk_json",
    ),
    path("manage/", views.manage, name="manage"),
    path("manage/risk/", risk_views.risk_manage, name="risk_manage"),
    path("manage/risk/weights/", risk_views.risk_weights, name="risk_weights"),
    path(
        "manage/risk/boundaries/",
        risk_views.risk_import,
        {"kind": "boundaries"},
        name="risk_boundaries",
    ),
    path(
        "manage/risk/indicators/",
        risk_views.risk_import,
        {"kind": "indicators"},
        name="risk_indicators",
    ),
    path("manage/organisations/new/", views.organization_edit, name="organization_add"),
    path("manage/organisations/<uuid:pk>/", views.organization_edit, name="organization_edit"),
    path(
        "manage/organisations/<uuid:pk>/partners/",
        views.organization_partners,
        name="organization_partners",
    ),
    path("manage/changes/", views.changes, name="changes"),
    path("manage/import/", views.feed_import, name="feed_import"),
    path("manage/changes/<int:pk>/", views.change_review, name="change_review"),
    path("your-entries/", views.partner_entries, name="partner_entries"),
    path("your-entries/<uuid:pk>/", views.partner_service, name="partner_service"),
    path("your-entries/<uuid:pk>/change/", views.partner_change, name="partner_change"),
    path("your-entries/<uuid:pk>/confirm/", views.partner_confirm, name="partner_confirm"),
    path("manage/services/new/", views.service_edit, name="service_add"),
    path("manage/services/<uuid:pk>/", views.service_edit, name="service_edit"),
    path("manage/services/<uuid:pk>/places/", views.place_add, name="place_add"),
    path("manage/places/new/", views.location_edit, name="location_add"),
    path("manage/places/<uuid:pk>/", views.location_edit, name="location_edit"),
    path("manage/services-at-places/<uuid:pk>/", views.place, name="place"),
    path(
        "manage/services-at-places/<uuid:pk>/schedules/<uuid:schedule_pk>/remove/",
        views.schedule_remove,
        name="schedule_remove",
    ),
]
