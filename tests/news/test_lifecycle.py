"""Editors write, publish, correct and archive updates; the rules hold whoever asks."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.news.factories import ServiceFactory, UpdateFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied, can
from townhall.news import selectors, services
from townhall.news.models import Update

TEXT = {"title_en": "Bins on Monday", "summary_en": "A change of day.", "body_en": "Details."}


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((), False),
        (("resident",), False),
        (("officer",), False),
        (("consultation_lead",), False),
        (("news_editor",), True),
        (("administrator",), True),
    ],
)
@pytest.mark.parametrize("action", ["news.manage_updates", "news.manage_services"])
def test_only_news_editors_and_administrators_manage_news(person, roles, allowed, action):
    assert can(person(*roles), action) is allowed


def test_anonymous_visitors_cannot_manage_news(db):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "news.manage_updates")


def test_services_refuse_people_without_the_role(person):
    with pytest.raises(PermissionDenied):
        services.update_create(actor=person("officer"), **TEXT)
    assert not Update.objects.exists()


def test_a_new_update_is_a_draft_the_public_cannot_see(editor, ward):
    bins = ServiceFactory()
    update = services.update_create(
        actor=editor, **TEXT, services=[bins], ward_codes=[ward.code], title_cy="Biniau"
    )
    assert update.state == Update.State.DRAFT
    assert update.slug == "bins-on-monday"
    assert selectors.public_update(update.slug) is None
    assert selectors.update_ward_codes(update) == [ward.code]
    assert update.title_cy == "Biniau"


def test_publishing_shows_the_update_and_is_audited(editor):
    update = services.update_create(actor=editor, **TEXT)
    services.update_publish(actor=editor, update=update)
    assert selectors.public_update(update.slug) is not None
    assert AuditEntry.objects.filter(action="news.update_publish", object_id=str(update.pk))


def test_a_backdated_update_keeps_its_date(editor):
    update = services.update_create(actor=editor, **TEXT)
    earlier = timezone.now() - timedelta(days=40)
    published = services.update_publish(actor=editor, update=update, published_at=earlier)
    assert published.published_at == earlier


def test_a_publish_date_still_to_come_is_refused(editor):
    update = services.update_create(actor=editor, **TEXT)
    with pytest.raises(services.UpdateInvalid) as error:
        services.update_publish(
            actor=editor, update=update, published_at=timezone.now() + timedelta(days=1)
        )
    assert error.value.field == "published_at"
    update.refresh_from_db()
    assert update.state == Update.State.DRAFT


def test_an_update_is_published_once(editor):
    update = UpdateFactory()
    with pytest.raises(services.InvalidTransition):
        services.update_publish(actor=editor, update=update)


def test_archiving_takes_an_update_off_the_list_but_keeps_its_page(editor):
    update = UpdateFactory()
    services.update_archive(actor=editor, update=update)
    assert update not in selectors.current_updates()
    assert selectors.public_update(update.slug) is not None
    assert AuditEntry.objects.filter(action="news.update_archive")


def test_only_a_published_update_can_be_archived(editor):
    with pytest.raises(services.InvalidTransition):
        services.update_archive(actor=editor, update=UpdateFactory(draft=True))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title_en": " "}, "title"),
        ({"summary_en": ""}, "summary"),
        ({"body_en": ""}, "body"),
        ({"title_en": "Two\nlines"}, "title"),
        ({"body_cy": "bad\x00text"}, "body_cy"),
    ],
)
def test_bad_text_is_refused_naming_its_field_and_stores_nothing(editor, change, field):
    with pytest.raises(services.UpdateInvalid) as error:
        services.update_create(actor=editor, **{**TEXT, **change})
    assert error.value.field == field
    assert not Update.objects.exists()


def test_an_unknown_ward_is_refused(editor, ward):
    with pytest.raises(services.UpdateInvalid) as error:
        services.update_create(actor=editor, **TEXT, ward_codes=["E05000000"])
    assert error.value.field == "wards"
    assert not Update.objects.exists()


def test_slugs_never_take_an_address_the_news_pages_use(editor):
    update = services.update_create(actor=editor, **{**TEXT, "title_en": "Manage"})
    assert update.slug == "manage-2"


@override_settings(TOWNHALL_REQUIRE_WELSH=True)
def test_an_update_without_its_welsh_is_not_published_when_the_council_requires_it(editor):
    update = services.update_create(actor=editor, **TEXT)
    with pytest.raises(services.UpdateInvalid):
        services.update_publish(actor=editor, update=update)


def test_editing_a_published_update_keeps_its_address(editor):
    update = UpdateFactory()
    edited = services.update_edit(actor=editor, update=update, **{**TEXT, "title_en": "New"})
    assert (edited.slug, edited.title) == (update.slug, "New")


def test_editors_keep_the_list_of_services(editor):
    service = services.service_create(actor=editor, name_en="Bins and recycling", name_cy="Biniau")
    assert service.slug == "bins-and-recycling"
    renamed = services.service_edit(actor=editor, service=service, name_en="Waste")
    assert (renamed.slug, renamed.name) == ("bins-and-recycling", "Waste")
    with pytest.raises(services.ServiceInvalid):
        services.service_create(actor=editor, name_en="  ")
