"""Language-neutral ActivityPub addresses: WebFinger, where a standard fixes it, and the
actor's inbox, outbox and followers (the actor and its notes are the news pages)."""

from django.urls import path

from . import views

app_name = "activitypub"

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path("news/activitypub/inbox", views.inbox, name="inbox"),
    path("news/activitypub/outbox", views.outbox, name="outbox"),
    path("news/activitypub/followers", views.followers, name="followers"),
]
