from django.urls import path

from . import feeds, views, views_events, views_notices

app_name = "market"

urlpatterns = [
    path("", views.challenge_list, name="challenge_list"),
    path("opportunities.atom", feeds.OpportunitiesAtomFeed(), name="feed"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("register/", views.supplier_register, name="supplier_register"),
    path("your-organisation/", views.supplier_home, name="supplier_home"),
    path("challenges/<slug:slug>/", views.challenge_detail, name="challenge_detail"),
    path("challenges/<slug:slug>/ask/", views.question_ask, name="question_ask"),
    path("challenges/<slug:slug>/respond/", views.response_form, name="response_form"),
    path(
        "responses/<uuid:public_id>/document/",
        views.response_document,
        name="response_document",
    ),
    path("manage/", views.manage_challenges, name="manage_challenges"),
    path("manage/new/", views.manage_challenge_create, name="manage_challenge_create"),
    path("manage/<uuid:public_id>/", views.manage_challenge_edit, name="manage_challenge_edit"),
    path(
        "manage/<uuid:public_id>/status/",
        views.manage_challenge_status,
        name="manage_challenge_status",
    ),
    path(
        "manage/<uuid:public_id>/responses/",
        views.manage_responses,
        name="manage_responses",
    ),
    path(
        "manage/questions/<uuid:public_id>/",
        views.manage_question,
        name="manage_question",
    ),
    path("manage/pipeline/", views.manage_pipeline, name="manage_pipeline"),
    path(
        "manage/pipeline/new/",
        views.manage_procurement_create,
        name="manage_procurement_create",
    ),
    path(
        "manage/pipeline/<uuid:public_id>/",
        views.manage_procurement_edit,
        name="manage_procurement_edit",
    ),
    path(
        "manage/pipeline/<uuid:public_id>/award/",
        views.manage_contract_award,
        name="manage_contract_award",
    ),
    # Procurement Act 2023 notices and supplier emails
    path("emails/", views_notices.challenge_emails, name="challenge_emails"),
    path(
        "manage/pipeline/notices/uk1/",
        views_notices.manage_notice_uk1,
        name="manage_notice_uk1",
    ),
    path(
        "manage/pipeline/<uuid:public_id>/uk3/",
        views_notices.manage_notice_uk3,
        name="manage_notice_uk3",
    ),
    path("manage/<uuid:public_id>/uk2/", views_notices.manage_notice_uk2, name="manage_notice_uk2"),
    # Market engagement events and evaluation (views_events.py)
    path("events/", views_events.event_list, name="event_list"),
    path("events/<uuid:public_id>/", views_events.event_detail, name="event_detail"),
    path(
        "events/<uuid:public_id>/register/",
        views_events.event_register,
        name="event_register",
    ),
    path("events/<uuid:public_id>/cancel/", views_events.event_cancel, name="event_cancel"),
    path("events/<uuid:public_id>/slides/", views_events.event_slides, name="event_slides"),
    path("manage/events/", views_events.manage_events, name="manage_events"),
    path("manage/events/new/", views_events.manage_event_create, name="manage_event_create"),
    path(
        "manage/events/<uuid:public_id>/",
        views_events.manage_event_edit,
        name="manage_event_edit",
    ),
    path(
        "manage/events/<uuid:public_id>/publish/",
        views_events.manage_event_publish,
        name="manage_event_publish",
    ),
    path(
        "manage/events/<uuid:public_id>/attendance/",
        views_events.manage_event_attendance,
        name="manage_event_attendance",
    ),
    path(
        "manage/events/<uuid:public_id>/materials/",
        views_events.manage_event_materials,
        name="manage_event_materials",
    ),
    path("manage/evaluation/", views_events.manage_evaluations, name="manage_evaluations"),
    path(
        "manage/evaluation/<uuid:public_id>/",
        views_events.manage_evaluation,
        name="manage_evaluation",
    ),
    path(
        "manage/evaluation/<uuid:public_id>/criteria/",
        views_events.manage_criteria,
        name="manage_criteria",
    ),
    path(
        "manage/evaluation/<uuid:public_id>/declare/",
        views_events.manage_declare,
        name="manage_declare",
    ),
    path(
        "manage/evaluation/responses/<uuid:public_id>/",
        views_events.manage_score,
        name="manage_score",
    ),
    path(
        "manage/evaluation/responses/<uuid:public_id>/moderate/",
        views_events.manage_moderate,
        name="manage_moderate",
    ),
]
