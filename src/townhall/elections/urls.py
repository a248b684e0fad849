from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("where-to-vote/", views.where_to_vote, name="where_to_vote"),
    path("where-to-vote/address/<str:uprn>/", views.where_to_vote_at, name="where_to_vote_at"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/polling-stations/", views.stations_list, name="stations_list"),
    path("manage/polling-stations/import/", views.stations_import, name="stations_import"),
    path("manage/polling-stations/<str:council_id>/", views.station_edit, name="station_edit"),
    path("manage/polling-districts/", views.districts_list, name="districts_list"),
    path("manage/polling-districts/import/", views.districts_import, name="districts_import"),
    path("manage/<str:identifier>/", views.manage_detail, name="manage_detail"),
    path(
        "manage/ballots/<str:identifier>/candidates/new/",
        views.candidate_add,
        name="candidate_add",
    ),
]
