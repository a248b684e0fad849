"""The decisions register and the evidence each decision cites."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors import geography
from townhall.core.services.search import search_index_update
from townhall.opendata import selectors as opendata_selectors
from townhall.opendata import services as opendata
from townhall.participation import selectors as participation_selectors

from ..models import (
    Decision,
    DecisionEvidence,
    DecisionRevision,
    DecisionWard,
    Portfolio,
)
from ..selectors import REVISED_FIELDS, SEARCH_KIND
from ._common import (
    CHART_FIELDS,
    CITED_BY_APP,
    MANAGE_DECISIONS,
    DecisionInvalid,
    _set_translated,
    _unique_slug,
    _validated,
)

DECISION_TEXT = ("title", "summary", "maker_name", "options", "reasons", "call_in")


@dataclass(frozen=True)
class DataCited:
    """A dataset a decision cites: whole, or a resource of it with filters and a chart."""

    dataset_id: str
    resource_id: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    chart: dict[str, str] = field(default_factory=dict)


def data_from_link(link: str, *, actor: Any) -> DataCited:
    """The dataset, or saved view or chart, that a link to the open data catalogue shows
    (`/data/<dataset>/`, or `/data/<dataset>/<resource>/?col=…&op=…&val=…&chart=…` as the
    preview's "share this view" gives it, in either language).

    Raises DecisionInvalid naming the link when it is not one, or its dataset is not one
    `actor` may see.
    """
    parts = urlsplit(link.strip())
    path = parts.path or "/"
    # A Welsh address resolves only while Welsh is the language: the prefix is the language's.
    with translation.override(translation.get_language_from_path(path)):
        try:
            match = resolve(path)
        except Resolver404:
            match = None
    if (
        match is None
        or match.namespace != "opendata"
        or match.url_name
        not in {
            "dataset",
            "resource",
        }
    ):
        raise DecisionInvalid(
            _("%(link)s is not a link to a dataset or a view of one") % {"link": link},
            field="data",
        )
    dataset = opendata_selectors.dataset_by_id_or_name(match.kwargs["slug"], user=actor)
    if dataset is None:
        raise DecisionInvalid(_("There is no dataset at %(link)s") % {"link": link}, field="data")
    resource_id = match.kwargs.get("resource_id")
    if resource_id and not opendata_selectors.resource_for_reader(
        resource_id, actor, dataset=dataset
    ):
        raise DecisionInvalid(_("There is no table at %(link)s") % {"link": link}, field="data")
    query = parse_qsl(parts.query)
    return DataCited(
        dataset_id=str(dataset.pk),
        resource_id=str(resource_id or ""),
        filters=_filters_from(query),
        chart={name: value for name, value in query if name in CHART_FIELDS and value},
    )


def _filters_from(query: list[tuple[str, str]]) -> dict[str, Any]:
    """The preview's repeated (col, op, val) parameters as open data's filters."""
    columns = [value for name, value in query if name == "col"]
    operators = [value for name, value in query if name == "op"]
    values = [value for name, value in query if name == "val"]
    filters: dict[str, Any] = {}
    for column, operator, value in zip(columns, operators, values, strict=False):
        if column:
            given = value.split(",") if operator == "in" else value
            filters.setdefault(column, {})[operator or "eq"] = given
    return filters


def decision_create(
    *,
    actor: Any,
    portfolio: Portfolio,
    maker: str,
    decided_on: date,
    status: str,
    key_decision: bool = False,
    call_in_ends_on: date | None = None,
    ward_codes: Iterable[str] = (),
    data: Iterable[DataCited] = (),
    consultation_ids: Iterable[str] = (),
    **text: str,
) -> Decision:
    """Add a decision to the register as a draft. `text` holds title, summary, maker_name,
    options, reasons and call_in, each with its `_cy` twin.

    Raises DecisionInvalid for a ward, dataset or consultation that does not exist, a
    call-in period ending before the decision, a called-in decision that does not say
    why, or required text left blank.
    """
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        decision = Decision(published=False)
        _fill_decision(
            decision,
            portfolio=portfolio,
            maker=maker,
            decided_on=decided_on,
            status=status,
            key_decision=key_decision,
            call_in_ends_on=call_in_ends_on,
            text=text,
        )
        decision.slug = _unique_slug(Decision, decision.title_en_gb, fallback="decision")
        decision.save()
        _set_links(actor, decision, ward_codes, data, consultation_ids)
        return decision


def decision_edit(
    *,
    actor: Any,
    decision: Decision,
    portfolio: Portfolio,
    maker: str,
    decided_on: date,
    status: str,
    key_decision: bool = False,
    call_in_ends_on: date | None = None,
    ward_codes: Iterable[str] = (),
    data: Iterable[DataCited] = (),
    consultation_ids: Iterable[str] = (),
    **text: str,
) -> Decision:
    """Change a decision (the arguments are decision_create's); a published decision's
    citations in open data follow its evidence, and what changed is kept as a revision
    its public page shows. Its address stays."""
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        before = _as_published(decision)
        _fill_decision(
            decision,
            portfolio=portfolio,
            maker=maker,
            decided_on=decided_on,
            status=status,
            key_decision=key_decision,
            call_in_ends_on=call_in_ends_on,
            text=text,
        )
        decision.save()
        _set_links(actor, decision, ward_codes, data, consultation_ids)
        if decision.published:
            _cite_data(decision)
            search_index_update(SEARCH_KIND, decision)
            _keep_revision(decision, before)
        return decision


def decision_publish(*, actor: Any, decision: Decision) -> Decision:
    """Make a draft decision public, and record in open data each dataset it cites.
    Raises DecisionInvalid when it is already published."""
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.published:
            raise DecisionInvalid(_("This decision is already published"))
        decision.published = True
        decision.save(update_fields=["published", "updated_at"])
        _cite_data(decision)
        search_index_update(SEARCH_KIND, decision)
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.decision_publish",
            instance=decision,
            before={"published": False},
            after={"published": True},
        )
        return decision


def _fill_decision(
    decision: Decision,
    *,
    portfolio: Portfolio,
    maker: str,
    decided_on: date,
    status: str,
    key_decision: bool,
    call_in_ends_on: date | None,
    text: dict[str, str],
) -> None:
    decision.portfolio = portfolio
    decision.maker = maker
    decision.decided_on = decided_on
    decision.status = status
    decision.key_decision = key_decision
    decision.call_in_ends_on = call_in_ends_on
    _set_translated(
        decision,
        {name: text.get(name, "") for base in DECISION_TEXT for name in (base, f"{base}_cy")},
    )
    if call_in_ends_on and call_in_ends_on < decided_on:
        raise DecisionInvalid(
            _("The call-in period must end on or after the date of the decision"),
            field="call_in_ends_on",
        )
    if status == Decision.Status.CALLED_IN and not decision.call_in_en_gb:
        raise DecisionInvalid(
            _("Say who called the decision in, and why"),
            field="call_in",
        )
    _validated(decision, DecisionInvalid, exclude=["slug"])


def _as_published(decision: Decision) -> dict[str, Any]:
    """What the public reads of a decision, as plain values to compare and keep."""
    values: dict[str, Any] = {}
    for name in REVISED_FIELDS:
        value = getattr(decision, f"{name}_en_gb" if name in DECISION_TEXT else name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return {**values, **_links(decision)}


def _keep_revision(decision: Decision, before: dict[str, Any]) -> None:
    after = _as_published(decision)
    changes = {
        name: {"before": before[name], "after": after[name]}
        for name in after
        if before[name] != after[name]
    }
    if changes:
        DecisionRevision.objects.create(decision=decision, changes=changes)


def _links(decision: Decision) -> dict[str, list[str]]:
    """The decision's wards and evidence as the audit log records them."""
    return {
        "wards": sorted(decision.wards.values_list("ward_code", flat=True)),
        "evidence": [
            f"{item.kind}:{item.key}" + (f"/{item.resource_id}" if item.resource_id else "")
            for item in decision.evidence.order_by("id")
        ],
    }


def _set_links(
    actor: Any,
    decision: Decision,
    ward_codes: Iterable[str],
    data: Iterable[DataCited],
    consultation_ids: Iterable[str],
) -> None:
    """Replace the decision's wards and evidence, after checking each exists, and record
    the change as one audit entry (the rows themselves are not audited one by one)."""
    codes = sorted(set(ward_codes))
    known = set(geography.wards().filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            raise DecisionInvalid(_("There is no ward %(code)s") % {"code": code}, field="wards")
    consultations = sorted({str(key) for key in consultation_ids})
    for key in consultations:
        if participation_selectors.consultation_by_public_id(key) is None:
            raise DecisionInvalid(
                _("There is no public consultation %(key)s") % {"key": key},
                field="consultations",
            )
    before = _links(decision)
    decision.wards.all().delete()
    DecisionWard.objects.bulk_create(
        [DecisionWard(decision=decision, ward_code=code) for code in codes]
    )
    decision.evidence.all().delete()
    DecisionEvidence.objects.bulk_create(
        [
            DecisionEvidence(
                decision=decision,
                kind=DecisionEvidence.Kind.DATASET,
                key=item.dataset_id,
                resource_id=item.resource_id,
                filters=item.filters,
                chart=item.chart,
            )
            for item in data
        ]
        + [
            DecisionEvidence(decision=decision, kind=DecisionEvidence.Kind.CONSULTATION, key=key)
            for key in consultations
        ]
    )
    after = _links(decision)
    if after != before:
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.decision_evidence",
            instance=decision,
            before=before,
            after=after,
        )


def _cite_data(decision: Decision) -> None:
    """Make open data's citations by this decision exactly its data evidence."""
    key = str(decision.public_id)
    opendata.evidence_uncite(cited_by_app=CITED_BY_APP, cited_by_key=key)
    url = reverse("leadership:decision_detail", args=[decision.slug])
    for item in decision.evidence.filter(kind=DecisionEvidence.Kind.DATASET):
        try:
            opendata.evidence_cite(
                dataset_id=item.key,
                resource_id=item.resource_id or None,
                filters=item.filters or None,
                chart=item.chart or None,
                cited_by_app=CITED_BY_APP,
                cited_by_key=key,
                cited_by_title=decision.title_en_gb,
                cited_by_url=url,
            )
        except ValidationError as problem:
            raise DecisionInvalid(problem.messages[0], field="data") from None
