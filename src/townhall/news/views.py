"""News pages: the public list and updates, and editors' pages under /news/manage/.

Views parse and render; the rules, permission checks included, are the services'.
"""

from datetime import datetime, time
from functools import wraps

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townhall.core.components.pagination import numbered_pagination, page_number
from townhall.core.permissions import page_for
from townhall.core.selectors.subscriptions import followed_item

from . import activitypub, selectors, services
from .forms import FediverseForm, PublishForm, ServiceForm, SocialAccountForm, UpdateForm

PAGE_SIZE = 10


def _activity(document: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(document, status=status, content_type=activitypub.ACTIVITY_JSON)


def _negotiated(view):
    """Pages that are also ActivityPub documents say that their answer depends on Accept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])
        return response

    return wrapper


@_negotiated
def update_list(request: HttpRequest) -> HttpResponse:
    """Published updates, newest first, filtered by ?service= and ?ward=, ten a page; an
    unknown service or ward is a 404, as its feed is, rather than every update. Asked for
    `application/activity+json`, the council's fediverse actor instead."""
    if activitypub.wants_activity_json(request):
        account = services.fediverse_account()
        return _activity(
            activitypub.actor_document(handle=account.handle, public_key=account.public_key)
        )
    service_slug, ward_code = request.GET.get("service", ""), request.GET.get("ward", "")
    service = selectors.service_by_slug(service_slug) if service_slug else None
    ward = selectors.ward(ward_code) if ward_code else None
    if (service_slug and service is None) or (ward_code and ward is None):
        raise Http404
    updates = selectors.current_updates(service=service, ward_code=ward.code if ward else "")
    paginator = Paginator(updates, PAGE_SIZE)
    page = paginator.get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "news/update_list.html",
        {
            "page": page,
            "pagination": numbered_pagination(request.GET, page.number, paginator.num_pages),
            "service": service,
            "ward": ward,
            "services": selectors.services(),
            "wards": selectors.ward_choices(),
            **_follow_context(service, ward),
        },
    )


def _follow_context(service, ward) -> dict:
    """What the list offers to follow, by email or feed: the ward shown, else the service
    shown, else all news."""
    if ward is not None:
        kind, key, feed, args = selectors.FOLLOW_WARD, ward.code, "news:ward", [ward.code]
    elif service is not None:
        kind, key, feed, args = (
            selectors.FOLLOW_SERVICE,
            service.slug,
            "news:service",
            [service.slug],
        )
    else:
        kind, key, feed, args = selectors.FOLLOW_ALL, selectors.ALL_NEWS_KEY, "news:feed", []
    return {
        "follow_kind": kind,
        "follow_key": key,
        "followed": followed_item(kind, key),
        "atom_url": reverse(f"{feed}_atom", args=args),
        "rss_url": reverse(f"{feed}_rss", args=args),
    }


@_negotiated
def update_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The update's page; as `application/activity+json`, its Note (a Tombstone, 410,
    once archived)."""
    update = selectors.public_update(slug)
    if update is None:
        raise Http404
    if activitypub.wants_activity_json(request):
        if update.state == update.State.ARCHIVED:
            return _activity(activitypub.tombstone(update), status=410)
        return _activity({"@context": activitypub.CONTEXT, **activitypub.note(update)})
    return render(
        request,
        "news/update_detail.html",
        {"update": update, "wards": selectors.ward_tags(update)},
    )


# The fediverse (ADR 0071) ------------------------------------------------------------------

OUTBOX_PAGE_SIZE = 20


def _json_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": {}}}, status=status)


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    """WebFinger (RFC 7033) for `acct:<handle>@<host>` or the actor's address."""
    resource = request.GET.get("resource", "").strip()
    if not resource:
        return _json_error("resource_missing", "Give the account as ?resource=acct:name@host.", 400)
    account = services.fediverse_account()
    ours = (f"acct:{account.handle}@{activitypub.site_host()}", activitypub.actor_url())
    if resource.lower() not in (ours[0].lower(), ours[1]):
        if not resource.startswith(("acct:", "https://", "http://")):
            return _json_error("resource_invalid", "The resource must be acct:name@host.", 400)
        return _json_error("resource_unknown", f"There is no account {resource} here.", 404)
    response = JsonResponse(
        activitypub.webfinger_document(account.handle), content_type=activitypub.JRD_JSON
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """The outbox: its size and first page, or the page ?page= asks for (newest first)."""
    paginator = Paginator(selectors.current_updates(), OUTBOX_PAGE_SIZE)
    if "page" not in request.GET:
        return _activity(activitypub.outbox(total=paginator.count))
    page = paginator.get_page(page_number(request.GET.get("page")))
    return _activity(activitypub.outbox_page(page))


@require_GET
def followers(request: HttpRequest) -> HttpResponse:
    return _activity(activitypub.followers(total=selectors.follower_count()))


@csrf_exempt
@require_POST
def inbox(request: HttpRequest) -> HttpResponse:
    """Follow and Undo(Follow) from other servers, signed; 202 when taken."""
    try:
        services.inbox_receive(
            method=request.method,
            target=request.get_full_path(),
            headers=request.headers,
            body=request.body,
        )
    except services.InboxRefused as refusal:
        return _json_error(refusal.code, refusal.message, refusal.status)
    return HttpResponse(status=202)


# Editors' pages -----------------------------------------------------------------------------


def _editor_update(public_id):
    update = selectors.editor_update(public_id)
    if update is None:
        raise Http404
    return update


def _add_error(form, error: services.NewsError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@page_for(services.MANAGE_UPDATES)
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(request, "news/manage/list.html", {"updates": selectors.editor_updates()})


@page_for(services.MANAGE_UPDATES)
@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            update = services.update_create(actor=request.user, **form.service_arguments())
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("news:manage_edit", update.public_id)
    return render(request, "news/manage/form.html", {"form": form, "update": None})


@page_for(services.MANAGE_UPDATES)
@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, public_id) -> HttpResponse:
    update = _editor_update(public_id)
    initial = {
        "title": update.title_en_gb,
        "title_cy": update.title_cy,
        "summary": update.summary_en_gb,
        "summary_cy": update.summary_cy,
        "body": update.body_en_gb,
        "body_cy": update.body_cy,
        "services": list(update.services.all()),
        "wards": selectors.update_ward_codes(update),
    }
    form = UpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_edit(actor=request.user, update=update, **form.service_arguments())
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("news:manage_edit", update.public_id)
    return render(
        request,
        "news/manage/form.html",
        {
            "form": form,
            "update": update,
            "publish_form": PublishForm(),
            "cross_posts": selectors.cross_posts(update),
            "deliveries": selectors.deliveries(update),
            "follower_count": selectors.follower_count(),
        },
    )


def _publish_moment(day) -> datetime | None:
    """Now for today or no date; nine in the morning, London time, for an earlier day."""
    if day is None or day == timezone.localdate():
        return None
    return timezone.make_aware(datetime.combine(day, time(9)))


@page_for(services.MANAGE_UPDATES)
@require_POST
def manage_publish(request: HttpRequest, public_id) -> HttpResponse:
    update = _editor_update(public_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.update_publish(
                actor=request.user,
                update=update,
                published_at=_publish_moment(form.cleaned_data["published_at"]),
            )
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The update is published."))
            return redirect("news:manage_list")
    return render(
        request,
        "news/manage/form.html",
        {"form": None, "update": update, "publish_form": form},
        status=400,
    )


@page_for(services.MANAGE_UPDATES)
@require_POST
def manage_archive(request: HttpRequest, public_id) -> HttpResponse:
    update = _editor_update(public_id)
    try:
        services.update_archive(actor=request.user, update=update)
    except services.NewsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The update is archived."))
    return redirect("news:manage_list")


@page_for(services.MANAGE_SERVICES)
@require_http_methods(["GET", "POST"])
def manage_services(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                actor=request.user,
                name_en=form.cleaned_data["name"],
                name_cy=form.cleaned_data["name_cy"],
            )
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": service.name})
            return redirect("news:manage_services")
    return render(
        request, "news/manage/services.html", {"form": form, "services": selectors.services()}
    )


@page_for(services.MANAGE_SERVICES)
@require_http_methods(["GET", "POST"])
def manage_service_edit(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.service_by_slug(slug)
    if service is None:
        raise Http404
    initial = {"name": service.name_en_gb, "name_cy": service.name_cy}
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_edit(
                actor=request.user,
                service=service,
                name_en=form.cleaned_data["name"],
                name_cy=form.cleaned_data["name_cy"],
            )
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("news:manage_services")
    return render(request, "news/manage/service_form.html", {"form": form, "service": service})


@page_for(services.MANAGE_UPDATES)
@require_POST
def manage_cross_post_retry(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.cross_post(pk)
    if record is None:
        raise Http404
    try:
        services.cross_post_retry(actor=request.user, record=record)
    except services.NewsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The post will be tried again."))
    return redirect("news:manage_edit", record.update.public_id)


@page_for(services.MANAGE_UPDATES)
@require_POST
def manage_delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.delivery(pk)
    if record is None:
        raise Http404
    try:
        services.delivery_retry(actor=request.user, record=record)
    except services.NewsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The delivery will be tried again."))
    return redirect("news:manage_edit", record.update.public_id)


@page_for(services.MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def manage_channels(request: HttpRequest) -> HttpResponse:
    form = SocialAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.social_account_add(actor=request.user, **form.cleaned_data)
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": account.name})
            return redirect("news:manage_channels")
    return render(
        request,
        "news/manage/channels.html",
        {"form": form, "accounts": selectors.social_accounts()},
    )


@page_for(services.MANAGE_CHANNELS)
@require_POST
def manage_channel_remove(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.social_account(pk)
    if account is None:
        raise Http404
    services.social_account_remove(actor=request.user, account=account)
    messages.success(request, _("“%(name)s” is removed.") % {"name": account.name})
    return redirect("news:manage_channels")


@page_for(services.MANAGE_CHANNELS)
@require_http_methods(["GET", "POST"])
def manage_fediverse(request: HttpRequest) -> HttpResponse:
    account = services.fediverse_account()
    form = FediverseForm(request.POST or None, initial={"handle": account.handle})
    if request.method == "POST" and form.is_valid():
        try:
            services.fediverse_handle_set(actor=request.user, handle=form.cleaned_data["handle"])
        except services.NewsError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The handle is saved."))
            return redirect("news:manage_fediverse")
    return render(
        request,
        "news/manage/fediverse.html",
        {
            "form": form,
            "address": f"@{account.handle}@{activitypub.site_host()}",
            "actor_url": activitypub.actor_url(),
            "follower_count": selectors.follower_count(),
        },
    )
