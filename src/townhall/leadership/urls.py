from django.urls import path

from . import views

app_name = "leadership"

urlpatterns = [
    path("", views.index, name="index"),
    path("who-leads-digital/", views.leaders, name="leaders"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<slug:slug>/", views.decision_detail, name="decision_detail"),
    path("board/", views.board_meetings, name="board_meetings"),
    path("board/actions/", views.board_actions, name="board_actions"),
    path("board/<slug:slug>/", views.board_meeting, name="board_meeting"),
    path("board/<slug:slug>/items/<int:item_id>/paper/", views.board_paper, name="board_paper"),
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
    path("manage/board/", views.manage_board, name="manage_board"),
    path("manage/board/new/", views.manage_meeting_create, name="manage_meeting_create"),
    path("manage/board/<uuid:public_id>/", views.manage_meeting_edit, name="manage_meeting_edit"),
    path(
        "manage/board/<uuid:public_id>/items/new/",
        views.manage_item_create,
        name="manage_item_create",
    ),
    path(
        "manage/board/<uuid:public_id>/items/<int:item_id>/",
        views.manage_item_edit,
        name="manage_item_edit",
    ),
    path(
        "manage/board/<uuid:public_id>/actions/new/",
        views.manage_action_create,
        name="manage_action_create",
    ),
    path(
        "manage/board/actions/<uuid:action_id>/",
        views.manage_action_edit,
        name="manage_action_edit",
    ),
    path(
        "manage/board/actions/<uuid:action_id>/done/",
        views.manage_action_done,
        name="manage_action_done",
    ),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard/compare/", views.scorecard_compare, name="scorecard_compare"),
    path("strategy/", views.strategy, name="strategy"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/<slug:slug>/", views.project_detail, name="project_detail"),
    path("my-portfolio/", views.my_portfolio, name="my_portfolio"),
    path("councillor/", views.councillor_home, name="councillor_home"),
    path("manage/councillors/", views.manage_councillors, name="manage_councillors"),
    path(
        "manage/councillors/<int:councillor_id>/",
        views.manage_councillor_account,
        name="manage_councillor_account",
    ),
    path("manage/roadmap/", views.manage_roadmap, name="manage_roadmap"),
    path("manage/roadmap/objectives/new/", views.manage_objective, name="manage_objective_create"),
    path(
        "manage/roadmap/objectives/<uuid:public_id>/",
        views.manage_objective,
        name="manage_objective",
    ),
    path("manage/roadmap/programmes/new/", views.manage_programme, name="manage_programme_create"),
    path(
        "manage/roadmap/programmes/<uuid:public_id>/",
        views.manage_programme,
        name="manage_programme",
    ),
    path("manage/roadmap/projects/new/", views.manage_project_create, name="manage_project_create"),
    path("manage/roadmap/projects/<uuid:public_id>/", views.manage_project, name="manage_project"),
    path(
        "manage/roadmap/projects/<uuid:public_id>/status/",
        views.manage_project_rag,
        name="manage_project_rag",
    ),
    path(
        "manage/roadmap/projects/<uuid:public_id>/benefits/new/",
        views.manage_benefit_create,
        name="manage_benefit_create",
    ),
    path(
        "manage/roadmap/benefits/<uuid:benefit_id>/",
        views.manage_benefit_actual,
        name="manage_benefit_actual",
    ),
    path(
        "manage/roadmap/projects/<uuid:public_id>/services/",
        views.manage_service_add,
        name="manage_service_add",
    ),
    path(
        "manage/roadmap/projects/<uuid:public_id>/services/<int:change_id>/remove/",
        views.manage_service_remove,
        name="manage_service_remove",
    ),
    path(
        "manage/portfolios/<slug:slug>/",
        views.manage_portfolio_member,
        name="manage_portfolio_member",
    ),
    path("manage/maturity/", views.manage_maturity, name="manage_maturity"),
    path("manage/maturity/scorecards/", views.manage_scorecards, name="manage_scorecards"),
    path(
        "manage/maturity/scorecards/<str:gss_code>/remove/",
        views.manage_scorecard_remove,
        name="manage_scorecard_remove",
    ),
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
