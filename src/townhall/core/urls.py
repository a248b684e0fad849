from django.urls import path

from .views import (
    account,
    audit,
    developers,
    geography,
    pages,
    people,
    search,
    site,
    subscriptions,
    tasks,
    translations,
    workspace,
)

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", search.search, name="search"),
    path("developers/", developers.developers, name="developers"),
    path("account/", account.account, name="account"),
    path("account/details/", account.account_details, name="account_details"),
    path("account/your-data/", account.account_data, name="account_data"),
    path("account/download/", account.account_download, name="account_download"),
    path("account/delete/", account.account_delete, name="account_delete"),
    path("account/name/", account.display_name, name="display_name"),
    path("account/emails/", subscriptions.email_preferences, name="email_preferences"),
    path("follow/confirm/<str:token>/", subscriptions.confirm, name="subscription_confirm"),
    path("follow/<slug:kind>/<str:key>/", subscriptions.follow, name="follow"),
    path("unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("manage/", workspace.workspace, name="workspace"),
    path("manage/welsh/", translations.welsh_missing, name="welsh_missing"),
    path("manage/people/", people.people, name="people"),
    path("manage/people/add/", people.person_add, name="person_add"),
    path("manage/people/<uuid:public_id>/", people.person, name="person"),
    path("manage/people/<uuid:public_id>/details/", people.person_details, name="person_details"),
    path(
        "manage/people/<uuid:public_id>/legal-hold/",
        people.person_legal_hold,
        name="person_legal_hold",
    ),
    path("manage/people/<uuid:public_id>/delete/", people.person_delete, name="person_delete"),
    # The council's pages, site settings and area names (core.views.site).
    path("manage/pages/", site.pages, name="site_pages"),
    path("manage/pages/add/", site.page_add, name="site_page_add"),
    path("manage/pages/<int:pk>/", site.page_edit, name="site_page_edit"),
    path("manage/pages/<int:pk>/delete/", site.page_remove, name="site_page_delete"),
    path("manage/settings/", site.settings, name="site_settings"),
    path("manage/areas/", site.areas, name="areas"),
    path("manage/areas/<int:pk>/", site.area, name="area"),
    # The audit log and background task failures (issue #10, item 4)
    path("manage/audit/", audit.audit_log, name="audit_log"),
    path("manage/audit/download/", audit.audit_log_download, name="audit_log_download"),
    path("manage/audit/<int:entry_id>/", audit.audit_log_entry, name="audit_log_entry"),
    path("manage/tasks/failures/", tasks.task_failure_list, name="task_failures"),
    path("manage/tasks/failures/<int:failure_id>/", tasks.task_failure_detail, name="task_failure"),
    path(
        "manage/tasks/failures/<int:failure_id>/clear/",
        tasks.task_failure_clear_confirm,
        name="task_failure_clear",
    ),
    path("tasks/<str:key>/", tasks.task_progress, name="task_progress"),
    path("postcode/", geography.find_ward, name="find_ward"),
    path("<slug:slug>/", pages.page, name="page"),
]
