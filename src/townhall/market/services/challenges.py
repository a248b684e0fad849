"""Challenges put to the market: drafted, published to suppliers (whose deadlines may then
move later but never earlier), and closed; a public challenge cites the open datasets it
offers and stands in site search."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.services.search import search_index_update
from townhall.opendata import selectors as opendata_selectors
from townhall.opendata import services as opendata

from ..manifest import MANAGE_CHALLENGES
from ..models import Challenge
from ..selectors import CITED_BY_APP, SEARCH_KIND
from ._common import ChallengeInvalid, _known_capabilities, _set_translated, _validated
from .alerts import _email_matching_suppliers

CHALLENGE_TEXT = (
    "title",
    "service_area",
    "problem",
    "affected",
    "outcomes",
    "constraints",
    "timeline",
    "market_questions",
)


def _unique_slug(text: str) -> str:
    base = (slugify(text) or "challenge")[:100]
    slug, number = base, 1
    while Challenge.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _fill_challenge(challenge: Challenge, values: dict[str, Any]) -> None:
    _set_translated(challenge, CHALLENGE_TEXT, values)
    challenge.capabilities = _known_capabilities(
        list(values.get("capabilities") or ()), ChallengeInvalid
    )
    challenge.budget_min_pence = values.get("budget_min_pence")
    challenge.budget_max_pence = values.get("budget_max_pence")
    challenge.questions_deadline = values["questions_deadline"]
    challenge.response_deadline = values["response_deadline"]
    low, high = challenge.budget_min_pence, challenge.budget_max_pence
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise ChallengeInvalid(_("A budget cannot be less than £0"), field="budget_min_pence")
    if low is not None and high is not None and low > high:
        raise ChallengeInvalid(
            _("The lowest budget must not be more than the highest"), field="budget_min_pence"
        )
    if challenge.questions_deadline > challenge.response_deadline:
        raise ChallengeInvalid(
            _("The deadline for questions must be on or before the deadline for responses"),
            field="questions_deadline",
        )
    challenge.dataset_ids = list(dict.fromkeys(str(key) for key in values.get("dataset_ids") or ()))
    for dataset_id in challenge.dataset_ids:
        if opendata_selectors.dataset_by_id_or_name(dataset_id) is None:
            raise ChallengeInvalid(
                _("There is no published dataset %(id)s") % {"id": dataset_id},
                field="dataset_ids",
            )
    _validated(challenge, ChallengeInvalid, exclude=("slug",))


def _cite_datasets(challenge: Challenge) -> None:
    """Make open data's citations by this challenge exactly its datasets once it is
    public, and none while it is a draft."""
    key = str(challenge.public_id)
    opendata.evidence_uncite(cited_by_app=CITED_BY_APP, cited_by_key=key)
    if challenge.status == Challenge.Status.DRAFT:
        return
    url = reverse("market:challenge_detail", args=[challenge.slug])
    for dataset_id in challenge.dataset_ids:
        dataset = opendata_selectors.dataset_by_id_or_name(dataset_id)
        if dataset is None:
            continue
        opendata.evidence_cite(
            dataset_id=dataset.pk,
            cited_by_app=CITED_BY_APP,
            cited_by_key=key,
            cited_by_title=challenge.title_en_gb,
            cited_by_url=url,
        )


@transaction.atomic
def challenge_create(*, actor: Any, **values: Any) -> Challenge:
    """A draft challenge; `values` holds the text in both languages, the budget in pence,
    the two deadlines (aware datetimes), capabilities and the datasets it offers."""
    require(actor, MANAGE_CHALLENGES)
    challenge = Challenge()
    _fill_challenge(challenge, values)
    challenge.slug = _unique_slug(challenge.title_en_gb)
    challenge.save()
    return challenge


@transaction.atomic
def challenge_edit(*, actor: Any, challenge: Challenge, **values: Any) -> Challenge:
    """Change a challenge. Once published, its deadlines may move later but never earlier,
    so that no supplier who planned to the published date is shut out."""
    require(actor, MANAGE_CHALLENGES)
    was = (challenge.questions_deadline, challenge.response_deadline)
    _fill_challenge(challenge, values)
    if challenge.status != Challenge.Status.DRAFT and (
        challenge.questions_deadline < was[0] or challenge.response_deadline < was[1]
    ):
        raise ChallengeInvalid(
            _("A published challenge's deadlines can be extended but not brought forward"),
            field="response_deadline",
        )
    challenge.save()
    _cite_datasets(challenge)
    search_index_update(SEARCH_KIND, challenge)
    return challenge


@transaction.atomic
def challenge_publish(*, actor: Any, challenge: Challenge) -> Challenge:
    """Open a draft challenge to suppliers; its response deadline must still be ahead."""
    require(actor, MANAGE_CHALLENGES)
    if challenge.status != Challenge.Status.DRAFT:
        raise ChallengeInvalid(_("Only a draft challenge can be published"))
    if challenge.response_deadline <= timezone.now():
        raise ChallengeInvalid(
            _("Move the deadline for responses into the future before publishing"),
            field="response_deadline",
        )
    before = audit.snapshot(challenge)
    challenge.status = Challenge.Status.PUBLISHED
    challenge.published_at = timezone.now()
    challenge.save()
    _cite_datasets(challenge)
    search_index_update(SEARCH_KIND, challenge)
    _email_matching_suppliers(challenge)
    audit.record(
        actor=actor,
        operation="action",
        action="market.challenge_publish",
        instance=challenge,
        before=before,
        after=audit.snapshot(challenge),
    )
    return challenge


@transaction.atomic
def challenge_close(*, actor: Any, challenge: Challenge) -> Challenge:
    """Close a published challenge: it stays public, with its Q&A, and takes no more."""
    require(actor, MANAGE_CHALLENGES)
    if challenge.status != Challenge.Status.PUBLISHED:
        raise ChallengeInvalid(_("Only an open challenge can be closed"))
    before = audit.snapshot(challenge)
    challenge.status = Challenge.Status.CLOSED
    challenge.save()
    audit.record(
        actor=actor,
        operation="action",
        action="market.challenge_close",
        instance=challenge,
        before=before,
        after=audit.snapshot(challenge),
    )
    return challenge
