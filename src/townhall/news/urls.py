from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.update_list, name="update_list"),
    path("feed.atom", feeds.UpdatesAtomFeed(), name="feed_atom"),
    path("feed.rss", feeds.UpdatesRssFeed(), name="feed_rss"),
    path("services/<slug:slug>/feed.atom", feeds.ServiceUpdatesAtomFeed(), name="service_atom"),
    path("services/<slug:slug>/feed.rss", feeds.ServiceUpdatesRssFeed(), name="service_rss"),
    path("wards/<str:code>/feed.atom", feeds.WardUpdatesAtomFeed(), name="ward_atom"),
    path("wards/<str:code>/feed.rss", feeds.WardUpdatesRssFeed(), name="ward_rss"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/services/", views.manage_services, name="manage_services"),
    path("manage/services/<slug:slug>/", views.manage_service_edit, name="manage_service_edit"),
    path("manage/channels/", views.manage_channels, name="manage_channels"),
    path("manage/fediverse/", views.manage_fediverse, name="manage_fediverse"),
    path(
        "manage/channels/<int:pk>/remove/",
        views.manage_channel_remove,
        name="manage_channel_remove",
    ),
    path(
        "manage/cross-posts/<int:pk>/retry/", views.manage_cross_post_retry, name="cross_post_retry"
    ),
    path("manage/deliveries/<int:pk>/retry/", views.manage_delivery_retry, name="delivery_retry"),
    path("manage/<uuid:public_id>/", views.manage_edit, name="manage_edit"),
    path("manage/<uuid:public_id>/publish/", views.manage_publish, name="manage_publish"),
    path("manage/<uuid:public_id>/archive/", views.manage_archive, name="manage_archive"),
    path("<slug:slug>/", views.update_detail, name="update_detail"),
]
