"""The demo: a dozen updates for Northbridge across services and wards, some in Welsh."""

import pytest

from townhall.core.demo import DemoContext
from townhall.core.manifest import _load_northbridge
from townhall.news import selectors
from townhall.news.demo import build_news
from townhall.news.models import CrossPost, SocialAccount, Update

pytestmark = pytest.mark.django_db


def test_demo_publishes_a_dozen_updates_over_months_across_services_and_wards():
    context = DemoContext()
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    context.forget()
    context.begin_step("News updates")
    build_news(context)
    build_news(context)  # a second run replaces the first
    updates = list(selectors.current_updates())
    assert len(updates) == 12
    days = {update.published_at.date() for update in updates}
    assert (max(days) - min(days)).days > 120
    assert Update.objects.exclude(title_cy="").count() >= 8
    assert Update.objects.filter(title_cy="").exists()
    assert Update.objects.filter(wards__isnull=False).distinct().count() >= 8
    assert len({service.slug for update in updates for service in update.services.all()}) == 6
    assert list(SocialAccount.objects.values_list("kind", flat=True)) == ["log"]
    assert not CrossPost.objects.exists()
