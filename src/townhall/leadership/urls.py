from django.urls import path

from . import views

app_name = "leadership"

urlpatterns = [
    path("", views.leaders, name="leaders"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<slug:slug>/", views.decision_detail, name="decision_detail"),
    path("manage/leaders/", views.manage_leaders, name="manage_leaders"),
    path("manage/leaders/new/", views.manage_leader_create, name="manage_leader_create"),
    path("manage/leaders/<uuid:public_id>/", views.manage_leader_edit, name="manage_leader_edit"),
    path(
        "manage/leaders/<uuid:public_id>/remove/",
        views.manage_leader_remove,
        name="manage_leader_remove",
    ),
    path("manage/decisions/", views.manage_decisions, name="manage_decisions"),
    path("manage/decisions/new/", views.manage_decision_create, name="manage_decision_create"),
    path(
        "manage/decisions/<uuid:public_id>/",
        views.manage_decision_edit,
        name="manage_decision_edit",
    ),
    path(
        "manage/decisions/<uuid:public_id>/publish/",
        views.manage_decision_publish,
        name="manage_decision_publish",
    ),
    path("manage/portfolios/", views.manage_portfolios, name="manage_portfolios"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("manage/maturity/", views.manage_maturity, name="manage_maturity"),
    path(
        "manage/maturity/<uuid:public_id>/",
        views.manage_assessment,
        name="manage_assessment",
    ),
    path(
        "manage/maturity/<uuid:public_id>/publish/",
        views.manage_assessment_publish,
        name="manage_assessment_publish",
    ),
    path(
        "manage/maturity/<uuid:public_id>/<slug:question>/",
        views.manage_assessment_answer,
        name="manage_assessment_answer",
    ),
]
