from django.urls import path

from .views import account, pages, search

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", search.search, name="search"),
    path("account/", account.account, name="account"),
    path("<slug:slug>/", pages.page, name="page"),
]
