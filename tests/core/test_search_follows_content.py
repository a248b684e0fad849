"""Site search follows every module's content through its services, with no manual reindex.

For each kind of content a module declares searchable, through the module's own services:
published, it is found by a word of its title and a word of its body; edited, the new words
are found and the old ones are not; withdrawn or hidden, and deleted, it is not found. A
kind that has no such step in its lifecycle says why, and the contract test at the end
fails when an installed module declares a kind this file does not describe.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.opendata.factories import DatasetFactory
from townhall.core.registry import registry
from townhall.core.selectors.search import search
from townhall.inclusion import services as inclusion
from townhall.leadership import services as leadership
from townhall.market import services as market
from townhall.news import services as news
from townhall.opendata import services as opendata
from townhall.participation import services as participation
from townhall.participation.models import ProposalProcess

pytestmark = pytest.mark.django_db


class People:
    """The staff and residents the lifecycles need, made on first use."""

    def __init__(self, person):
        self._person = person
        self._made: dict[str, Any] = {}

    def _one(self, role: str, name: str = "", **fields):
        if (name or role) not in self._made:
            self._made[name or role] = self._person(role, **fields)
        return self._made[name or role]

    @property
    def directory_officer(self):
        return self._one("directory_officer", is_staff=True)

    @property
    def administrator(self):
        return self._one("administrator", is_staff=True)

    @property
    def publisher(self):
        return self._one("data_publisher", is_staff=True)

    @property
    def moderator(self):
        return self._one("moderator", is_staff=True)

    @property
    def resident(self):
        return self._one("resident")

    @property
    def lead(self):
        return self._one("consultation_lead", is_staff=True)

    @property
    def editor(self):
        return self._one("news_editor", is_staff=True)

    @property
    def decisions_officer(self):
        return self._one("decisions_officer", is_staff=True)

    @property
    def procurement_officer(self):
        return self._one("procurement_officer", is_staff=True)

    @property
    def approver(self):
        return self._one("consultation_lead", "approver", is_staff=True)


@pytest.fixture
def people(person):
    return People(person)


def found(word: str, kind: str) -> bool:
    return any(hit.kind == kind for hit in search(word, language="en-gb").hits)


# How each kind lives: publish(people, client, title, body) -> obj, and optionally
# edit(people, client, obj, word), withdraw(people, obj), delete(people, client, obj).


@dataclass(frozen=True)
class Life:
    kind: str
    publish: Callable[..., Any]
    edit: Callable[..., None] | None = None
    withdraw: Callable[..., None] | None = None
    delete: Callable[..., None] | None = None
    why_not: str = ""


def _page_form(title: str, body: str, slug: str) -> dict:
    return {"slug": slug, "footer_order": 0, "title_en_gb": title, "body_en_gb": body}


def _page_publish(people, client, title, body):
    from townhall.core.models import Page

    client.force_login(people.administrator)
    answer = client.post("/manage/pages/add/", _page_form(title, body, "search-page"))
    assert answer.status_code == 302, answer.content
    return Page.objects.get(slug="search-page")


def _page_edit(people, client, page, word):
    client.force_login(people.administrator)
    form = _page_form(page.title, f"Now about {word}.", page.slug)
    assert client.post(f"/manage/pages/{page.pk}/", form).status_code == 302


def _page_delete(people, client, page):
    client.force_login(people.administrator)
    answer = client.post(f"/manage/pages/{page.pk}/delete/")
    assert answer.status_code == 302


def _dataset_publish(people, client, title, body):
    dataset = DatasetFactory(title=title, description=body)
    return opendata.dataset_publish(actor=people.publisher, dataset=dataset)


def _dataset_edit(people, client, dataset, word):
    opendata.dataset_update(actor=people.publisher, dataset=dataset, description=f"About {word}.")


def _dataset_withdraw(people, dataset):
    opendata.dataset_unpublish(actor=people.publisher, dataset=dataset)


def _dataset_delete(people, client, dataset):
    opendata.dataset_delete(actor=people.publisher, dataset=dataset)


def _consultation_publish(people, client, title, body):
    now = timezone.now()
    consultation = participation.consultation_create(
        actor=people.lead,
        title=title,
        slug="search-consultation",
        summary="A consultation.",
        description=body,
        service_area="Environment",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(weeks=6),
    )
    consultation = participation.consultation_approve(
        actor=people.approver, consultation=consultation
    )
    return participation.consultation_open(actor=people.lead, consultation=consultation)


def _process(title: str = "Ideas", description: str = "") -> ProposalProcess:
    return ProposalProcess.objects.get_or_create(
        slug="search-ideas", defaults={"title": title, "description": description}
    )[0]


def _process_publish(people, client, title, body):
    return participation.proposals_process_create(
        actor=people.lead, slug="search-ideas", title=title, description=body
    )


def _proposal_publish(people, client, title, body):
    return participation.proposal_submit(
        actor=people.resident, process=_process(), title=title, body=body
    )


def _proposal_edit(people, client, proposal, word):
    participation.proposal_respond(
        actor=people.lead, proposal=proposal, status="accepted", response=f"We will do {word}."
    )


def _proposal_withdraw(people, proposal):
    participation.moderation_decide(
        actor=people.moderator, item=proposal, publish=False, reason="Off topic"
    )


def _budget_publish(people, client, title, body):
    return participation.budget_create(
        actor=people.lead,
        slug="search-fund",
        title=title,
        description=body,
        total_pence=5_000_00,
        ballot_kind="knapsack",
    )


def _project_publish(people, client, title, body):
    budget = _budget_publish(people, client, "Fund", "")
    return participation.project_propose(
        actor=people.resident, budget=budget, title=title, description=body, cost_pence=100_00
    )


def _project_edit(people, client, project, word):
    participation.project_assess(
        actor=people.lead, project=project, feasible=False, note=f"Too close to the {word}."
    )


def _project_delete(people, client, project):
    participation.project_remove(actor=people.lead, project=project)


def _update_publish(people, client, title, body):
    update = news.update_create(
        actor=people.editor, title_en=title, summary_en="An update.", body_en=body
    )
    return news.update_publish(actor=people.editor, update=update)


def _update_edit(people, client, update, word):
    news.update_edit(
        actor=people.editor,
        update=update,
        title_en=update.title_en_gb,
        summary_en=update.summary_en_gb,
        body_en=f"Now about {word}.",
    )


def _update_withdraw(people, update):
    news.update_archive(actor=people.editor, update=update)


def _help_save(people, service=None, *, title, body, published=True):
    officer = people.directory_officer
    organization = service.organization if service else None
    if organization is None:
        organization = inclusion.organization_save(
            actor=officer, name="Northbridge Libraries", description="Libraries."
        )
    return inclusion.service_save(
        actor=officer,
        service=service,
        organization=organization,
        name=title,
        description=body,
        published=published,
    )


def _help_publish(people, client, title, body):
    return _help_save(people, title=title, body=body)


def _help_edit(people, client, service, word):
    _help_save(people, service, title=f"{word} help", body=f"About {word}.")


def _help_withdraw(people, service):
    _help_save(people, service, title=service.name, body=service.description, published=False)


def _decision_publish(people, client, title, body):
    officer = people.decisions_officer
    decision = leadership.decision_create(actor=officer, **_decision(officer, title, body))
    return leadership.decision_publish(actor=people.decisions_officer, decision=decision)


def _decision_edit(people, client, decision, word):
    leadership.decision_edit(
        actor=people.decisions_officer,
        decision=decision,
        **_decision(people.decisions_officer, f"{word} decision", f"About {word}."),
    )


def _decision(officer, title: str, body: str) -> dict:
    portfolio = leadership.portfolio_create(actor=officer, name=f"Portfolio for {title}")
    return {
        "portfolio": portfolio,
        "maker": "cabinet",
        "maker_name": "Cabinet",
        "decided_on": timezone.localdate(),
        "status": "made",
        "title": title,
        "summary": body,
        "options": "Two.",
        "reasons": "Because.",
    }


def _challenge(title: str, body: str) -> dict:
    now = timezone.now()
    return {
        "title": title,
        "service_area": "Environment",
        "problem": body,
        "affected": "Households.",
        "outcomes": "Fewer misses.",
        "capabilities": ["waste"],
        "questions_deadline": now + timedelta(days=7),
        "response_deadline": now + timedelta(days=14),
    }


def _challenge_publish(people, client, title, body):
    officer = people.procurement_officer
    challenge = market.challenge_create(actor=officer, **_challenge(title, body))
    return market.challenge_publish(actor=officer, challenge=challenge)


def _challenge_edit(people, client, challenge, word):
    market.challenge_edit(
        actor=people.procurement_officer,
        challenge=challenge,
        **_challenge(f"{word} challenge", f"About {word}."),
    )


LIVES = {
    "page": Life(
        kind="page",
        publish=_page_publish,
        edit=_page_edit,
        delete=_page_delete,
        why_not="A council page is public from the moment it is saved; it is only deleted.",
    ),
    "dataset": Life(
        kind="dataset",
        publish=_dataset_publish,
        edit=_dataset_edit,
        withdraw=_dataset_withdraw,
        delete=_dataset_delete,
    ),
    "consultation": Life(
        kind="consultation",
        publish=_consultation_publish,
        why_not=(
            "A consultation is edited only before it opens and, once public, stays public "
            "(kept with its responses); see test_consultation_* below."
        ),
    ),
    "proposal_process": Life(
        kind="proposal_process",
        publish=_process_publish,
        why_not="A call for proposals is public from creation; no service edits or deletes it.",
    ),
    "proposal": Life(
        kind="proposal",
        publish=_proposal_publish,
        edit=_proposal_edit,
        withdraw=_proposal_withdraw,
        why_not="A proposal is hidden by a moderator, never deleted by a service.",
    ),
    "budget": Life(
        kind="budget",
        publish=_budget_publish,
        why_not="A budget is public from creation; no service edits or deletes it.",
    ),
    "news_update": Life(
        kind="news_update",
        publish=_update_publish,
        edit=_update_edit,
        withdraw=_update_withdraw,
        why_not="An update is archived, never deleted: its address keeps working.",
    ),
    "decision": Life(
        kind="decision",
        publish=_decision_publish,
        edit=_decision_edit,
        why_not="A decision stays on the register once published; no service withdraws it.",
    ),
    "challenge": Life(
        kind="challenge",
        publish=_challenge_publish,
        edit=_challenge_edit,
        why_not="A challenge is closed, never withdrawn: it stays public with its questions.",
    ),
    "digital_help": Life(
        kind="digital_help",
        publish=_help_publish,
        edit=_help_edit,
        withdraw=_help_withdraw,
        why_not="A service is withdrawn (unpublished), never deleted by a service.",
    ),
    "budget_project": Life(
        kind="budget_project",
        publish=_project_publish,
        edit=_project_edit,
        delete=_project_delete,
        why_not="Every project stays listed on its budget's page, even when not feasible.",
    ),
}


def _lives(step: str) -> list:
    return [pytest.param(life, id=kind) for kind, life in LIVES.items() if getattr(life, step)]


@pytest.mark.parametrize("life", _lives("publish"))
def test_published_content_is_found_by_a_word_of_its_title_and_of_its_body(life, people, client):
    life.publish(people, client, "Kingfisher survey", "Counting herons along the canal.")
    assert found("kingfisher", life.kind)
    assert found("herons", life.kind)


@pytest.mark.parametrize("life", _lives("edit"))
def test_edited_content_is_found_by_its_new_words_and_no_longer_by_its_old_ones(
    life, people, client
):
    item = life.publish(people, client, "Kingfisher survey", "Counting herons.")
    life.edit(people, client, item, "bluebells")
    assert found("bluebells", life.kind)
    life.edit(people, client, item, "woodpeckers")
    assert found("woodpeckers", life.kind)
    assert not found("bluebells", life.kind)


@pytest.mark.parametrize("life", _lives("withdraw"))
def test_withdrawn_content_is_not_found(life, people, client):
    item = life.publish(people, client, "Kingfisher survey", "Counting herons.")
    life.withdraw(people, item)
    assert not found("kingfisher", life.kind)


@pytest.mark.parametrize("life", _lives("delete"))
def test_deleted_content_is_not_found(life, people, client):
    item = life.publish(people, client, "Kingfisher survey", "Counting herons.")
    life.delete(people, client, item)
    assert not found("kingfisher", life.kind)


def test_every_searchable_kind_of_every_installed_module_is_described_here():
    assert set(LIVES) == set(registry.search_resources())
    for life in LIVES.values():
        missing = [step for step in ("edit", "withdraw", "delete") if not getattr(life, step)]
        assert not missing or life.why_not, f"{life.kind}: say why it has no {missing}"


# The steps particular to a kind ------------------------------------------------------------


def test_consultation_is_not_found_while_draft_or_approved_and_is_found_once_open(people):
    now = timezone.now()
    consultation = participation.consultation_create(
        actor=people.lead,
        title="Kingfisher survey",
        slug="kingfisher",
        summary="A survey.",
        service_area="Environment",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(weeks=6),
    )
    assert not found("kingfisher", "consultation")
    consultation = participation.consultation_update(
        actor=people.lead, consultation=consultation, description="Counting bluebells."
    )
    consultation = participation.consultation_approve(
        actor=people.approver, consultation=consultation
    )
    assert not found("bluebells", "consultation")
    participation.consultation_open(actor=people.lead, consultation=consultation)
    assert found("bluebells", "consultation")


def test_consultation_stays_found_when_closed_and_its_outcome_is_found_once_published(
    people, client
):
    consultation = _consultation_publish(people, client, "Kingfisher survey", "Herons.")
    consultation = participation.consultation_close(actor=people.lead, consultation=consultation)
    assert found("kingfisher", "consultation")
    participation.outcome_publish(
        actor=people.lead,
        consultation=consultation,
        you_said="You asked for more bluebells.",
        we_did="We planted them.",
        what_changed="The verges.",
        decision_title="Cabinet",
    )
    assert found("bluebells", "consultation")


def test_proposal_held_by_reports_is_not_found_and_is_found_again_when_a_moderator_publishes_it(
    people, person, settings
):
    settings.PARTICIPATION_REPORTS_TO_HIDE = 1
    proposal = _proposal_publish(people, None, "Kingfisher hide", "A bird hide.")
    participation.content_report(actor=person("resident"), item=proposal, reason="spam")
    assert not found("kingfisher", "proposal")
    participation.moderation_decide(actor=people.moderator, item=proposal, publish=True)
    assert found("kingfisher", "proposal")


def test_pre_moderated_proposal_is_found_only_once_a_moderator_publishes_it(people):
    process = ProposalProcess.objects.create(slug="pre", title="Ideas", moderation="pre")
    proposal = participation.proposal_submit(
        actor=people.resident, process=process, title="Kingfisher hide", body="A bird hide."
    )
    assert not found("kingfisher", "proposal")
    participation.moderation_decide(actor=people.moderator, item=proposal, publish=True)
    assert found("kingfisher", "proposal")


def test_dataset_archived_is_not_found(people, client):
    dataset = _dataset_publish(people, client, "Kingfisher counts", "Herons too.")
    opendata.dataset_archive(actor=people.publisher, dataset=dataset)
    assert not found("kingfisher", "dataset")


# The contract core enforces ------------------------------------------------------------------


@pytest.fixture
def probe_module():
    """A deliberately wrong module: a kind over a model that is not installed, and a kind
    that open data already declares."""
    from townhall.core.registry import Manifest, SearchResource

    def resource(kind: str, model: str) -> SearchResource:
        return SearchResource(
            kind=kind, label=kind, model=model, items=list, documents=lambda obj: []
        )

    registry.register(
        Manifest(
            app_label="probe",
            name="Probe",
            search_resources=(resource("gadget", "probe.Gadget"), resource("dataset", "core.Page")),
        )
    )
    yield
    registry._manifests.pop("probe")


def test_system_check_names_a_search_kind_over_a_model_that_is_not_installed(probe_module):
    from townhall.core.checks import check_search_resources

    errors = {error.id: error.msg for error in check_search_resources(None)}
    assert "'gadget' of probe names the model 'probe.Gadget'" in errors["townhall.core.E021"]
    assert "'dataset' is declared by both opendata and probe" in errors["townhall.core.E020"]


def test_system_check_passes_for_the_installed_modules():
    from townhall.core.checks import check_search_resources

    assert check_search_resources(None) == []


def test_search_index_update_refuses_a_kind_no_module_declares_and_an_object_of_another_model():
    from townhall.core.models import Page
    from townhall.core.services.search import search_index_update

    page = Page.objects.create(slug="kingfisher", title="Kingfisher")
    with pytest.raises(LookupError, match="'gadget'"):
        search_index_update("gadget", page)
    with pytest.raises(TypeError, match=r"indexes opendata\.Dataset, not core\.Page"):
        search_index_update("dataset", page)


def test_search_index_update_drops_a_language_the_content_no_longer_has(people, client):
    from townhall.core.models import Page
    from townhall.core.services.search import search_index_update

    page = Page.objects.create(
        slug="birds", title="Birds", title_cy="Adar", body_cy="Glas y dorlan"
    )
    search_index_update("page", page)
    assert search("dorlan", language="cy").total == 1
    Page.objects.filter(pk=page.pk).update(title_cy="", body_cy="")
    page.refresh_from_db()
    search_index_update("page", page)
    assert search("dorlan", language="cy").total == 0
    assert search("birds", language="cy").total == 1
