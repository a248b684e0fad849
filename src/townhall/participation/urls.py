from django.urls import path

from . import analysis_views, budget_views, pre_election_views, proposal_views, staff_views, views
from .feeds import OpenConsultationsFeed

app_name = "participation"

urlpatterns = [
    path("", views.consultation_list, name="consultation_list"),
    path("feed.atom", OpenConsultationsFeed(), name="feed"),
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("budgets/new/", budget_views.budget_create, name="budget_create"),
    path("budgets/<slug:slug>/", budget_views.budget_detail, name="budget_detail"),
    path("budgets/<slug:slug>/verify/", budget_views.budget_verify, name="budget_verify"),
    path("budgets/<slug:slug>/ballot/", budget_views.budget_ballot, name="budget_ballot"),
    path("budgets/<slug:slug>/propose/", budget_views.project_new, name="project_new"),
    path("budgets/<slug:slug>/manage/", budget_views.budget_manage, name="budget_manage"),
    path("budgets/<slug:slug>/manage/voters/", budget_views.budget_voters, name="budget_voters"),
    path("budgets/<slug:slug>/manage/codes/", budget_views.budget_codes, name="budget_codes"),
    path(
        "budgets/<slug:slug>/manage/<slug:act>/",
        budget_views.budget_manage_act,
        name="budget_manage_act",
    ),
    path("proposals/", proposal_views.process_list, name="process_list"),
    path("proposals/new/", proposal_views.process_new, name="process_new"),
    path("moderation/", proposal_views.moderation_queue, name="moderation_queue"),
    path("moderation/appeals/<int:pk>/", proposal_views.appeal_decide, name="appeal_decide"),
    path("moderation/follow/", proposal_views.moderation_follow, name="moderation_follow"),
    path(
        "moderation/<slug:kind>/<int:pk>/",
        proposal_views.moderation_decide,
        name="moderation_decide",
    ),
    path("proposals/<slug:slug>/", proposal_views.process_detail, name="process_detail"),
    path("proposals/<slug:slug>/new/", proposal_views.proposal_new, name="proposal_new"),
    path("proposals/<slug:slug>/<int:pk>/", proposal_views.proposal_detail, name="proposal_detail"),
    path(
        "proposals/<slug:slug>/<int:pk>/respond/",
        proposal_views.proposal_response,
        name="proposal_response",
    ),
    path(
        "proposals/<slug:slug>/<int:pk>/<slug:act>/",
        proposal_views.proposal_act,
        name="proposal_act",
    ),
    path("manage/", staff_views.manage_list, name="manage_list"),
    path("manage/new/", staff_views.manage_create, name="manage_create"),
    path(
        "manage/pre-election-periods/",
        pre_election_views.period_list,
        name="pre_election_list",
    ),
    path(
        "manage/pre-election-periods/new/",
        pre_election_views.period_add,
        name="pre_election_add",
    ),
    path(
        "manage/pre-election-periods/<int:pk>/",
        pre_election_views.period_edit,
        name="pre_election_edit",
    ),
    path(
        "manage/pre-election-periods/<int:pk>/delete/",
        pre_election_views.period_delete,
        name="pre_election_delete",
    ),
    path("manage/<slug:slug>/", staff_views.manage_detail, name="manage_detail"),
    path("manage/<slug:slug>/edit/", staff_views.manage_edit, name="manage_edit"),
    path("manage/<slug:slug>/welsh/", staff_views.manage_welsh, name="manage_welsh"),
    path("manage/<slug:slug>/open/", staff_views.manage_open, name="manage_open"),
    path("manage/<slug:slug>/step/<slug:step>/", staff_views.manage_step, name="manage_step"),
    path("manage/<slug:slug>/documents/", staff_views.manage_documents, name="manage_documents"),
    path("manage/<slug:slug>/survey/", staff_views.manage_survey, name="manage_survey"),
    path("manage/<slug:slug>/preview/", staff_views.manage_preview, name="manage_preview"),
    path("manage/<slug:slug>/results/", staff_views.manage_results, name="manage_results"),
    path(
        "manage/<slug:slug>/results/<int:question_id>/",
        analysis_views.manage_text_answers,
        name="manage_text_answers",
    ),
    path(
        "manage/<slug:slug>/results/crosstab/",
        analysis_views.manage_crosstab,
        name="manage_crosstab",
    ),
    path(
        "manage/<slug:slug>/results/crosstab/csv/",
        analysis_views.manage_crosstab_csv,
        name="manage_crosstab_csv",
    ),
    path(
        "manage/<slug:slug>/export.<slug:file_format>",
        staff_views.manage_export,
        name="manage_export",
    ),
    path("manage/<slug:slug>/record/", staff_views.manage_record, name="manage_record"),
    path("manage/<slug:slug>/outcome/", staff_views.manage_outcome, name="manage_outcome"),
    path("<slug:slug>/", views.consultation_detail, name="consultation_detail"),
    path("<slug:slug>/follow/", views.consultation_follow, name="consultation_follow"),
    path("<slug:slug>/respond/", views.respond_start, name="respond_start"),
    path("<slug:slug>/respond/check/", views.respond_check, name="respond_check"),
    path("<slug:slug>/respond/saved/", views.respond_saved, name="respond_saved"),
    path("<slug:slug>/respond/done/", views.respond_done, name="respond_done"),
    path("<slug:slug>/respond/resume/<str:token>/", views.respond_resume, name="respond_resume"),
    path("<slug:slug>/respond/<int:page_id>/", views.respond_page, name="respond_page"),
]
