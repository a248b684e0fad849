"""Open contracting: challenges, the pipeline and awarded contracts as OCDS 1.1 releases and
records (https://standard.open-contracting.org/1.1/).

Each challenge is one contracting process (a planning release); each pipeline procurement
is another (a planning release, or a tender release once tendering), linked to the
challenge it follows; each contract awarded in it adds an award release and a contract
release to the procurement's process. Releases are made from what is stored when asked,
so a release's `id` carries the time of the change it reports and a changed item gives a
new release (ADR 0110).
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from townhall.core.selectors.site import council_name

from .models import Challenge, Contract, EngagementEvent, Procurement

#: The stages a caller may ask for, as release tags.
STAGES = ("planning", "tender", "tenderCancellation", "award", "contract")
METHODS = {
    Procurement.Route.OPEN: "open",
    Procurement.Route.COMPETITIVE_FLEXIBLE: "selective",
    Procurement.Route.DIRECT_AWARD: "direct",
    Procurement.Route.FRAMEWORK: "limited",
    Procurement.Route.BELOW_THRESHOLD: "limited",
}
TENDER_STATUS = {
    Procurement.Status.PLANNED: "planned",
    Procurement.Status.TENDERING: "active",
    Procurement.Status.AWARDED: "complete",
    Procurement.Status.CANCELLED: "cancelled",
}
BUYER_ID = "buyer"


@dataclass(frozen=True)
class Release:
    """One release with what it is sorted and filtered by."""

    ocid: str
    id: str
    date: datetime
    tags: tuple[str, ...]
    data: dict[str, Any]


def ocid_for(public_id: Any) -> str:
    return f"{settings.OCDS_PREFIX}-{public_id}"


def _money(pence: int | None) -> dict[str, Any] | None:
    """Pence as OCDS's Value. JSON has one number type: whole pounds are written as
    integers, others as the float whose shortest form is exactly the pounds and pence
    (true for every amount below £90 trillion), so no rounding reaches the output."""
    if pence is None:
        return None
    amount = pence // 100 if pence % 100 == 0 else float(Decimal(pence) / 100)
    return {"amount": amount, "currency": "GBP"}


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(value) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def _release_id(ocid: str, kind: str, when: datetime) -> str:
    return f"{ocid}-{kind}-{when.strftime('%Y%m%dT%H%M%S%fZ')}"


def _buyer() -> tuple[dict[str, Any], dict[str, Any]]:
    name = council_name()
    return (
        {"id": BUYER_ID, "name": name},
        {"id": BUYER_ID, "name": name, "roles": ["buyer", "procuringEntity"]},
    )


def _base(ocid: str, kind: str, when: datetime, tags: list[str]) -> dict[str, Any]:
    buyer, party = _buyer()
    return {
        "ocid": ocid,
        "id": _release_id(ocid, kind, when),
        "date": _moment(when),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "buyer": buyer,
        "parties": [party],
    }


def challenge_release(challenge: Challenge, *, datasets: list[dict[str, Any]]) -> Release:
    """A challenge as a planning release: the problem as the rationale, the budget range,
    the questions deadline as the enquiry period and the datasets as documents."""
    ocid = ocid_for(challenge.public_id)
    events = list(challenge.events.filter(published_at__isnull=False).order_by("starts_at", "id"))
    when = max([challenge.updated_at, *(event.updated_at for event in events)])
    data = _base(ocid, "planning", when, ["planning"])
    budget = {
        "id": "budget",
        "description": challenge.title_en_gb,
        **({"amount": _money(challenge.budget_max_pence)} if challenge.budget_max_pence else {}),
    }
    data["planning"] = {"rationale": challenge.problem_en_gb, "budget": budget}
    if events:
        data["planning"]["milestones"] = [_event_milestone(event) for event in events]
    tender = {
        "id": str(challenge.public_id),
        "title": challenge.title_en_gb,
        "description": challenge.outcomes_en_gb,
        "status": "planning",
        "enquiryPeriod": {
            "startDate": _moment(challenge.published_at or challenge.created_at),
            "endDate": _moment(challenge.questions_deadline),
        },
        "tenderPeriod": {
            "startDate": _moment(challenge.published_at or challenge.created_at),
            "endDate": _moment(challenge.response_deadline),
        },
        "documents": [
            {
                "id": cited["dataset_id"],
                "documentType": "marketStudies",
                "title": cited["dataset_title"],
                "url": _absolute(cited["dataset_url"]),
                "format": "text/html",
                "language": "en",
            }
            for cited in datasets
        ],
    }
    if challenge.budget_min_pence is not None:
        tender["minValue"] = _money(challenge.budget_min_pence)
    if challenge.budget_max_pence is not None:
        tender["value"] = _money(challenge.budget_max_pence)
    data["tender"] = tender
    return Release(ocid, data["id"], when, ("planning",), data)


def _event_milestone(event: EngagementEvent) -> dict[str, Any]:
    """A supplier day or webinar as an engagement milestone of the challenge's planning:
    scheduled until it has ended, then met, with its slides once published."""
    ended = event.ends_at <= timezone.now()
    milestone = {
        "id": str(event.public_id),
        "title": event.title_en_gb,
        "type": "engagement",
        "description": event.description_en_gb,
        "dueDate": _moment(event.starts_at),
        "status": "met" if ended else "scheduled",
        "dateModified": _moment(event.updated_at),
    }
    if ended:
        milestone["dateMet"] = _moment(event.ends_at)
    if event.materials_published_at and event.slides:
        milestone["documents"] = [
            {
                "id": f"{event.public_id}-slides",
                "title": f"{event.title_en_gb}: slides",
                "url": _absolute(reverse("market:event_slides", args=[event.public_id])),
                "datePublished": _moment(event.materials_published_at),
                "format": "application/pdf",
                "language": "en",
            }
        ]
    return milestone


def procurement_release(procurement: Procurement) -> Release:
    """A pipeline procurement: a planning release while planned, a tender release once
    tendering (or a cancellation); the contracts awarded in it are releases of their own."""
    ocid = ocid_for(procurement.public_id)
    if procurement.status == Procurement.Status.TENDERING:
        tags = ["tender"]
    elif procurement.status == Procurement.Status.CANCELLED:
        tags = ["tenderCancellation"]
    else:
        tags = ["planning"]
    data = _base(ocid, tags[0], procurement.updated_at, tags)
    data["planning"] = {
        "budget": {
            "id": "budget",
            "description": procurement.service_area_en_gb,
            "amount": _money(procurement.estimated_value_pence),
        }
    }
    data["tender"] = {
        "id": str(procurement.public_id),
        "title": procurement.title_en_gb,
        "description": procurement.description_en_gb,
        "status": TENDER_STATUS[procurement.status],
        "value": _money(procurement.estimated_value_pence),
        "procurementMethod": METHODS[procurement.route],
        "procurementMethodDetails": str(Procurement.Route(procurement.route).label),
        "tenderPeriod": {"startDate": _day(procurement.tender_publication_on)},
        "contractPeriod": {
            "startDate": _day(procurement.contract_start_on),
            "endDate": _day(procurement.contract_end_on),
        },
    }
    if "tender" in tags and procurement.uk2_omitted_reason:
        data["tender"]["documents"] = [
            {
                "id": "no-preliminary-market-engagement-notice",
                "title": "Why no preliminary market engagement notice was published",
                "description": procurement.uk2_omitted_reason,
                "language": "en",
            }
        ]
    if procurement.challenge_id and procurement.challenge.status != Challenge.Status.DRAFT:
        data["relatedProcesses"] = [
            {
                "id": "challenge",
                "relationship": ["planning"],
                "title": procurement.challenge.title_en_gb,
                "scheme": "ocid",
                "identifier": ocid_for(procurement.challenge.public_id),
            }
        ]
    return Release(ocid, data["id"], procurement.updated_at, tuple(tags), data)


def _supplier_party(contract: Contract) -> dict[str, Any]:
    supplier = contract.supplier
    party = {
        "id": f"supplier-{supplier.public_id}",
        "name": supplier.name,
        "roles": ["supplier"],
        "details": {"scale": "sme" if supplier.sme else "large"},
    }
    if supplier.company_number:
        party["identifier"] = {
            "scheme": "GB-COH",
            "id": supplier.company_number,
            "legalName": supplier.name,
        }
    return party


def contract_releases(contract: Contract) -> list[Release]:
    """An award release and a contract release for one awarded contract."""
    procurement = contract.procurement
    ocid = ocid_for(procurement.public_id)
    party = _supplier_party(contract)
    supplier_ref = {"id": party["id"], "name": party["name"]}
    award_id = f"award-{contract.public_id}"
    award = _base(ocid, f"award-{contract.public_id}", contract.updated_at, ["award"])
    award["parties"].append(party)
    award["awards"] = [
        {
            "id": award_id,
            "title": contract.title_en_gb,
            "status": "active",
            "date": _day(contract.awarded_on),
            "value": _money(contract.value_pence),
            "suppliers": [supplier_ref],
            "contractPeriod": {
                "startDate": _day(contract.start_on),
                "endDate": _day(contract.end_on),
            },
        }
    ]
    signed = _base(ocid, f"contract-{contract.public_id}", contract.updated_at, ["contract"])
    signed["contracts"] = [
        {
            "id": f"contract-{contract.public_id}",
            "awardID": award_id,
            "title": contract.title_en_gb,
            "status": "active" if contract.end_on >= timezone.localdate() else "terminated",
            "value": _money(contract.value_pence),
            "period": {"startDate": _day(contract.start_on), "endDate": _day(contract.end_on)},
            "dateSigned": _day(contract.awarded_on),
        }
    ]
    return [
        Release(ocid, award["id"], contract.updated_at, ("award",), award),
        Release(ocid, signed["id"], contract.updated_at, ("contract",), signed),
    ]


def _absolute(path: str) -> str:
    return settings.TOWNHALL_SITE_URL.rstrip("/") + path


# Packages --------------------------------------------------------------------------------------


def _publisher() -> dict[str, str]:
    return {"name": council_name()}


def release_package(releases: list[Release], *, uri: str, next_url: str = "") -> dict[str, Any]:
    package = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _moment(timezone.now()),
        "publisher": _publisher(),
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "releases": [release.data for release in releases],
    }
    if next_url:
        package["links"] = {"next": next_url}
    return package


def record_package(
    by_ocid: dict[str, list[Release]], *, uri: str, next_url: str = ""
) -> dict[str, Any]:
    """Records of the processes given (releases oldest first), each with its compiled
    release: the latest of each section, awards and contracts gathered by id."""
    package = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _moment(timezone.now()),
        "publisher": _publisher(),
        "license": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "records": [
            {
                "ocid": ocid,
                "releases": [release.data for release in releases],
                "compiledRelease": compiled(ocid, releases),
            }
            for ocid, releases in by_ocid.items()
        ],
    }
    if next_url:
        package["links"] = {"next": next_url}
    return package


def compiled(ocid: str, releases: list[Release]) -> dict[str, Any]:
    """The process's current state: later releases' fields win; parties, awards and
    contracts are merged by their ids (OCDS's merge rules for identified arrays)."""
    result: dict[str, Any] = {}
    for release in sorted(releases, key=lambda item: (item.date, item.id)):
        for name, value in release.data.items():
            if name in ("parties", "awards", "contracts"):
                merged = {item["id"]: item for item in result.get(name, [])}
                merged.update({item["id"]: item for item in value})
                result[name] = list(merged.values())
            else:
                result[name] = value
    latest = max(releases, key=lambda item: (item.date, item.id))
    result["id"] = f"{ocid}-compiled-{latest.date.strftime('%Y%m%dT%H%M%S%fZ')}"
    result["tag"] = ["compiled"]
    return result


# Cursors -------------------------------------------------------------------------------------


def cursor_for(release: Release) -> str:
    """An opaque keyset cursor: the (date, id) of the last release on a page."""
    raw = f"{release.date.isoformat()}|{release.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def position_of(cursor: str) -> tuple[datetime, str]:
    """The (date, id) a cursor holds; ValueError for one this service did not give."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, release_id = raw.split("|", 1)
        when = datetime.fromisoformat(moment)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor") from None
    if timezone.is_naive(when):
        raise ValueError("not a cursor")
    return when, release_id


# Gathering -------------------------------------------------------------------------------------


def releases(*, ocid: str = "") -> list[Release]:
    """Every public release (of one process when `ocid` is given), oldest first: challenges
    once published, every pipeline procurement, every awarded contract."""
    from .selectors import challenge_datasets

    prefix = f"{settings.OCDS_PREFIX}-"
    public_id = ocid.removeprefix(prefix) if ocid else None
    if ocid and (not ocid.startswith(prefix) or not _is_uuid(public_id)):
        return []
    challenges = Challenge.objects.exclude(status=Challenge.Status.DRAFT)
    procurements = Procurement.objects.select_related("challenge")
    contracts = Contract.objects.select_related("supplier", "procurement")
    if public_id:
        challenges = challenges.filter(public_id=public_id)
        procurements = procurements.filter(public_id=public_id)
        contracts = contracts.filter(procurement__public_id=public_id)
    found = [
        challenge_release(challenge, datasets=challenge_datasets(challenge))
        for challenge in challenges
    ]
    found += [procurement_release(procurement) for procurement in procurements]
    for contract in contracts:
        found += contract_releases(contract)
    found += notice_releases(ocid=ocid)
    return sorted(found, key=lambda release: (release.date, release.id))


def _is_uuid(value: str) -> bool:
    from uuid import UUID

    try:
        UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Query:
    """The parameters Find a Tender's OCDS API takes, parsed."""

    updated_from: datetime | None = None
    updated_to: datetime | None = None
    stages: tuple[str, ...] = ()
    limit: int = 100
    after: tuple[datetime, str] | None = None

    def matches(self, release: Release) -> bool:
        return (
            (self.updated_from is None or release.date >= self.updated_from)
            and (self.updated_to is None or release.date <= self.updated_to)
            and (not self.stages or bool(set(release.tags) & set(self.stages)))
        )


def releases_page(query: Query) -> tuple[list[Release], bool]:
    """One page of releases matching the query after its cursor, and whether more follow."""
    chosen = [
        release
        for release in releases()
        if query.matches(release)
        and (query.after is None or (release.date, release.id) > query.after)
    ]
    return chosen[: query.limit], len(chosen) > query.limit


def records_page(query: Query) -> tuple[dict[str, list[Release]], Release | None, bool]:
    """One page of records (processes with a release matching the query), ordered by their
    latest release; the latest release of the last record is the cursor's position."""
    by_ocid: dict[str, list[Release]] = {}
    for release in releases():
        by_ocid.setdefault(release.ocid, []).append(release)
    latest = sorted(
        (
            (max(items, key=lambda item: (item.date, item.id)), ocid)
            for ocid, items in by_ocid.items()
            if any(query.matches(item) for item in items)
        ),
        key=lambda pair: (pair[0].date, pair[0].id),
    )
    if query.after is not None:
        latest = [pair for pair in latest if (pair[0].date, pair[0].id) > query.after]
    page = latest[: query.limit]
    last = page[-1][0] if page else None
    return {ocid: by_ocid[ocid] for _release, ocid in page}, last, len(latest) > query.limit


# Procurement Act 2023 notices (ADR 0115) ------------------------------------------------------

#: Find a Tender writes the notice type on the notice's document (planning.documents[].noticeType).
NOTICE_DOCUMENT_TYPES = {
    "UK1": "procurementPlan",
    "UK2": "marketStudies",
    "UK3": "plannedProcurementNotice",
}
NOTICE_TITLES = {
    "UK1": "Pipeline notice",
    "UK2": "Preliminary market engagement notice",
    "UK3": "Planned procurement notice",
}


def _notice_base(ocid: str, kind: str, when: datetime, url: str) -> dict[str, Any]:
    data = _base(ocid, kind.lower(), when, ["planning"])
    data["planning"] = {
        "documents": [
            {
                "id": data["id"],
                "documentType": NOTICE_DOCUMENT_TYPES[kind],
                "noticeType": kind,
                "title": NOTICE_TITLES[kind],
                "url": _absolute(url),
                "datePublished": _moment(when),
                "format": "text/html",
                "language": "en",
            }
        ]
    }
    return data


def planned_procurement_notice(
    procurement: Procurement, *, kind: str, when: datetime, url: str
) -> dict[str, Any]:
    """A UK1 pipeline notice's or a UK3 planned procurement notice's release for one
    procurement: its estimated value, route, the date its tender notice is expected and
    the contract's dates, with the tender `planned`."""
    ocid = ocid_for(procurement.public_id)
    data = _notice_base(ocid, kind, when, url)
    data["planning"]["budget"] = {
        "id": "budget",
        "description": procurement.service_area_en_gb,
        "amount": _money(procurement.estimated_value_pence),
    }
    data["tender"] = {
        "id": str(procurement.public_id),
        "title": procurement.title_en_gb,
        "description": procurement.description_en_gb,
        "status": "planned",
        "value": _money(procurement.estimated_value_pence),
        "procurementMethod": METHODS[procurement.route],
        "procurementMethodDetails": str(Procurement.Route(procurement.route).label),
        "tenderPeriod": {"startDate": _day(procurement.tender_publication_on)},
        "contractPeriod": {
            "startDate": _day(procurement.contract_start_on),
            "endDate": _day(procurement.contract_end_on),
        },
    }
    return data


def market_engagement_notice(
    challenge: Challenge,
    *,
    when: datetime,
    url: str,
    purpose: str,
    participation: str,
    start_on,
    end_on,
) -> dict[str, Any]:
    """A UK2 preliminary market engagement notice's release for a challenge: what
    regulation 17 asks of it, the engagement's purpose (the planning rationale), how
    suppliers take part and its dates (two engagement milestones), with the tender at the
    `planning` stage."""
    ocid = ocid_for(challenge.public_id)
    data = _notice_base(ocid, "UK2", when, url)
    today = timezone.localtime(when).date()
    data["planning"]["rationale"] = purpose
    data["planning"]["milestones"] = [
        {
            "id": f"engagement-{name}",
            "title": title,
            "type": "engagement",
            "description": participation,
            "dueDate": _day(day),
            "status": "met" if day <= today else "scheduled",
        }
        for name, title, day in (
            ("start", "Preliminary market engagement starts", start_on),
            ("end", "Preliminary market engagement ends", end_on),
        )
    ]
    data["tender"] = {
        "id": str(challenge.public_id),
        "title": challenge.title_en_gb,
        "description": challenge.problem_en_gb,
        "status": "planning",
    }
    return data


def notice_releases(*, ocid: str = "") -> list[Release]:
    """The notices published (of one process when `ocid` is given), each the release
    stored when it was published."""
    from .models import Notice

    notices = Notice.objects.all()
    if ocid:
        notices = notices.filter(ocid=ocid)
    return [
        Release(notice.ocid, notice.release_id, notice.published_at, ("planning",), notice.release)
        for notice in notices
    ]
