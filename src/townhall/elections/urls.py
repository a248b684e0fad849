from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.index, name="index"),
    path("where-to-vote/", views.where_to_vote, name="where_to_vote"),
    path("where-to-vote/address/<str:uprn>/", views.where_to_vote_at, name="where_to_vote_at"),
    path("results/", views.results_index, name="results"),
    path("results/<str:identifier>/", views.election_results, name="election_results"),
    path(
        "results/<str:identifier>/results.<str:extension>",
        views.results_download,
        name="results_download",
    ),
    path("results/ballots/<str:identifier>/", views.ballot_results, name="ballot_results"),
    path("councillors/", views.councillors, name="councillors"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/results/import/", views.results_import, name="results_import"),
    path("manage/councillors/", views.councillors_manage, name="councillors_manage"),
    path("manage/councillors/new/", views.councillor_add, name="councillor_add"),
    path("manage/councillors/<int:pk>/", views.councillor_edit, name="councillor_edit"),
    path("manage/councillors/<int:pk>/surgeries/", views.surgery_add, name="surgery_add"),
    path("manage/surgeries/<int:pk>/remove/", views.surgery_remove, name="surgery_remove"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/polling-stations/", views.stations_list, name="stations_list"),
    path("manage/polling-stations/import/", views.stations_import, name="stations_import"),
    path("manage/polling-stations/<str:council_id>/", views.station_edit, name="station_edit"),
    path("manage/polling-districts/", views.districts_list, name="districts_list"),
    path("manage/polling-districts/import/", views.districts_import, name="districts_import"),
    path("manage/<str:identifier>/", views.manage_detail, name="manage_detail"),
    path("manage/ballots/<str:identifier>/result/", views.result_enter, name="result_enter"),
    path(
        "manage/ballots/<str:identifier>/candidates/new/",
        views.candidate_add,
        name="candidate_add",
    ),
]
