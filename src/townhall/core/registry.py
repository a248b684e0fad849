"""The platform's extension points, declared in one place.

Each module describes what it adds to the platform in a `manifest.py` holding one
`Manifest`. Its AppConfig registers it here in `ready()`. Core builds navigation, the
permission gate, site search, the open-data catalogue's platform datasets, the API
and the demo council by reading this registry, so adding a module touches no other
module. (Decidim's component manifests and Datasette's hookspecs are the models.)
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any
from uuid import UUID

from django.apps import apps
from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True, kw_only=True)
class NavigationEntry:
    """A link in the service navigation. `url_name` is reversed in the current language.

    `description`, a sentence for residents, is shown under the link on the home page.
    `shown_to(person) -> bool`, when given, limits the link to the people it accepts.
    `covers` names the pages of the link's section, on which it is marked as the current
    one: URL names ("elections:councillors") or patterns of them ("elections:ballot_*").
    Without it the link is current on its own address and the addresses under it.
    `order` places the link: the sections residents use most come first (ADR 0013).
    """

    label: Label
    url_name: str
    order: int = 100
    description: Label = ""
    shown_to: Callable[[Any], bool] | None = None
    covers: tuple[str, ...] = ()

    def is_current(self, *, view_name: str, path: str, url: str, home: str) -> bool:
        """Whether the page at `path`, named `view_name`, is in this link's section (`url`
        is the link's own address in the current language, `home` the home page's)."""
        if self.covers:
            names = (self.url_name, *self.covers)
            return any(fnmatchcase(view_name, name) for name in names)
        return path == url if url == home else path.startswith(url)


@dataclass(frozen=True, kw_only=True)
class Role:
    """A role people may hold, declared by the module that gives it work to do.

    The slug names a Django group (created for every declared role after each migrate)
    and is what actions name; `name` and `description` are shown to administrators.
    `staff` roles are officers' roles: their holders are staff for the audit log and
    for actions open to the pseudo-role "staff".
    """

    slug: str
    name: Label
    description: Label = ""
    staff: bool = False


@dataclass(frozen=True, kw_only=True)
class Action:
    """Something a person may be allowed to do, and the roles that may do it.

    `name` is "<app>.<verb_noun>". `roles` are slugs of roles some manifest declares, or
    the pseudo-roles "public" (everyone) and "staff" (anyone holding a staff role). `check`,
    when given, further limits the action on a particular object: check(user, obj) -> bool.
    """

    name: str
    description: Label
    roles: tuple[str, ...]
    check: Callable[[Any, Any], bool] | None = None


@dataclass(frozen=True, kw_only=True)
class SearchDocument:
    """One published thing as site search sees it."""

    kind: str
    key: str
    url: str
    title: str
    body: str
    language: str = "en-gb"
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class SearchResource:
    """A kind of content a module publishes to site search, and when an item of it is public.

    `model` is the "app_label.ModelName" of its items. `documents(obj)` returns the item's
    documents, one per language, or nothing when the item is not public (a draft, a hidden
    proposal): that one function is the whole rule, so indexing and withdrawing cannot
    disagree. `items()` lists every item that may be public, for a full rebuild (a queryset,
    filtered and prefetched as documents() needs). An item's entries are keyed by its
    `key_field` ("pk" unless the module chose a public id).

    The module's services keep the index in step by calling
    `core.services.search.search_index_update(kind, obj)` whenever they publish, withdraw
    or edit an item and `search_index_remove(kind, key)` when they delete one, inside the
    same transaction, so no manual reindex is ever needed.
    """

    kind: str
    label: Label
    model: str
    documents: Callable[[Any], Iterable[SearchDocument]]
    items: Callable[[], Iterable[Any]]
    key_field: str = "pk"

    def key(self, obj: Any) -> str:
        """The index key of `obj` (its `key_field`, as text)."""
        return str(getattr(obj, self.key_field))


@dataclass(frozen=True, kw_only=True)
class OpenDataExport:
    """Open data a module publishes to the catalogue as a platform dataset.

    `rows` returns an iterable of dicts whose keys are `fields`; it must exclude
    personal data. `licence` is an SPDX-style identifier. `transparency_code` names the
    Transparency Code dataset the rows are (its schema's columns, open data's
    `transparency/schemas/<code>.json`), so that the compliance page counts it.
    """

    slug: str
    title: Label
    description: Label
    fields: tuple[str, ...]
    rows: Callable[[], Iterable[dict[str, Any]]]
    licence: str = "OGL-UK-3.0"
    frequency: str = "continuous"
    transparency_code: str = ""


@dataclass(frozen=True, kw_only=True)
class DemoStep:
    """A part of the Northbridge demo council. Steps run in ascending `order`."""

    label: str
    run: Callable[[Any], None]
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class HomePanel:
    """What a module shows residents on the home page, such as open consultations.

    `context` returns the template's context, or None when there is nothing to show
    (the panel is then left out). Panels appear in ascending `order`.
    """

    template: str
    context: Callable[[], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class AccountPanel:
    """What a module shows a signed-in person under "Your account", such as the
    consultations they responded to.

    `context(user)` returns the template's context (given to it as `panel`), or None when
    there is nothing to show (the panel is then left out). Panels appear in ascending
    `order`.
    """

    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class WardPanel:
    """What a module shows on a ward's page (/wards/<slug>/), such as the consultations
    that affect the ward or its councillors.

    `context(ward)` is given the ward (a core Area, boundary included) and returns the
    template's context (given to it as `panel`), or None when the module has nothing to
    say about that ward (the panel is then left out). Panels appear in ascending `order`.
    """

    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int = 100


def panels_to_show(panels: Iterable[Any], *args: Any) -> list[dict[str, Any]]:
    """Each panel whose `context(*args)` is not None, as {"template", "context"} ready to
    include, in the order given: how the home page, "Your account" and ward pages show
    their HomePanels, AccountPanels and WardPanels."""
    shown = []
    for panel in panels:
        context = panel.context(*args)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown


class Erasure(StrEnum):
    """What erasing a person does to one kind of record that points at them."""

    DELETE = "delete"
    """The records go: they were the person's alone (follows, drafts, preferences)."""
    ANONYMISE = "anonymise"
    """The records stay, without the person: the link to them is cleared, and any fields
    in `PersonalRecords.anonymise` are overwritten (Decidim keeps a deleted participant's
    proposals and comments this way, so that threads still read)."""
    RETAIN = "retain"
    """The records stay as they are, for the `reason` given (the append-only audit log)."""
    CUSTOM = "custom"
    """The declaration's `erase(records)` decides (when counts or state must follow)."""


@dataclass(frozen=True, kw_only=True)
class PersonalRecords:
    """One kind of record that points at a person, and what export and erasure do to it.

    Every relation to the user model of every installed model is declared by some
    manifest, or start-up fails (system check townhall.core.E010). `model` is
    "app_label.ModelName" and `owner_field` the foreign key, one-to-one or many-to-many
    field that points at the person; a model with two such fields has two declarations.

    `key` names the records in the person's download (under the module's app label) and
    `label` heads them on the readable page. `export` is the fields (lookups such as
    "proposal__title" allowed) each record shows, or a callable given the person's
    records (a queryset) returning JSON-safe data when the fields are not enough.
    `reason`, required unless the records are deleted, tells the person why they are kept.
    """

    model: str
    owner_field: str
    key: str
    label: Label
    erasure: Erasure
    export: tuple[str, ...] | Callable[[Any], Any] = ()
    anonymise: Mapping[str, Any] = field(default_factory=dict)
    erase: Callable[[Any], None] | None = None
    reason: Label = ""

    @property
    def model_class(self) -> Any:
        return apps.get_model(self.model)

    @property
    def relation(self) -> Any:
        return self.model_class._meta.get_field(self.owner_field)

    def records(self, user: Any) -> Any:
        """The person's records of this kind, oldest first."""
        return self.model_class._base_manager.filter(**{self.owner_field: user.pk}).order_by("pk")

    def exported(self, user: Any) -> Any:
        """What the person's download holds of these records."""
        records = self.records(user)
        if callable(self.export):
            return self.export(records)
        return [
            {name: _json_safe(value) for name, value in row.items()}
            for row in records.values(*self.export)
        ]

    def erase_for(self, user: Any) -> None:
        """Do to the person's records what `erasure` says."""
        records = self.records(user)
        if self.erasure == Erasure.DELETE:
            records.delete()
        elif self.erasure == Erasure.ANONYMISE and self.relation.many_to_many:
            through = self.relation.remote_field.through
            through._base_manager.filter(
                **{self.relation.m2m_reverse_field_name(): user.pk}
            ).delete()
        elif self.erasure == Erasure.ANONYMISE:
            records.update(**{self.owner_field: None, **self.anonymise})
        elif self.erasure == Erasure.CUSTOM:
            self.erase(records)


def _json_safe(value: Any) -> Any:
    """A value from the database as JSON can carry it (dates as ISO 8601, ids as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal | Promise):
        return str(value)
    return value


@dataclass(frozen=True, kw_only=True)
class StaffTool:
    """A page staff use to do their work, listed on the staff workspace ("Manage").

    Only people whom the permission gate lets do `action` see it; `url_name` is reversed
    in the current language. `description` says in a sentence what the tool is for.
    """

    label: Label
    url_name: str
    action: str
    description: Label = ""
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    """Things waiting for someone: `count` of them, `label` already phrased for the count
    ("4 comments reported", "Senior salaries overdue") and the page that deals with them."""

    count: int
    label: str
    url: str


@dataclass(frozen=True, kw_only=True)
class WorkWaiting:
    """Work a module counts for the staff workspace, behind the permission gate.

    `items(person)` is called only for people whom the gate lets do `action`, so a
    count costs nothing for anyone else; it returns WorkItems, and those counting
    nothing are left off the page.
    """

    action: str
    items: Callable[[Any], Iterable[WorkItem]]


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """A piece of published evidence (an open dataset, say) as a citing module sees it."""

    key: str
    title: str
    url: str


@dataclass(frozen=True, kw_only=True)
class EvidenceProvider:
    """An optional module's offer of evidence that other modules may cite, so that the
    citing module reaches it through the registry and never imports it.

    `find(key, user=...)` returns the `Evidence` with that key (a dataset's slug or id)
    that `user` may see, or None. `cite(key, cited_by_app=..., cited_by_key=...,
    cited_by_title=..., cited_by_url=...)` records that the citing thing relies on it; it
    writes in the caller's transaction, so call it inside the `transaction.atomic` that
    stores the citing side, and both are kept or neither.
    """

    find: Callable[..., Evidence | None]
    cite: Callable[..., None]


@dataclass(frozen=True, kw_only=True)
class FollowedItem:
    """One followable thing as core's subscriptions see it: `title` in the current
    language, `url` its page (a path, reversed in the current language), and whether it
    is `public`. Anyone may follow a public thing by email address alone; a signed-in
    person follows what the module's own services let them (an approved consultation
    before it opens, say). `heading` names what the follow page offers ("Get reminders by
    email") and `promise` says which emails will come, where "Get emails about this" and
    "when it changes" would not fit."""

    title: str
    url: str
    public: bool = True
    heading: str = ""
    promise: str = ""


@dataclass(frozen=True, kw_only=True)
class Followable:
    """A kind of thing people may follow by email (a consultation, a ward's news).

    `kind` is the slug subscriptions store with the item's key; `label` names the kind to
    people. `item(key)` returns the FollowedItem with that key, or None when there is no
    such thing. The module tells followers of a change by calling
    `core.services.subscriptions.notify_followers(kind=..., key=..., ...)`.
    """

    kind: str
    label: Label
    item: Callable[[str], FollowedItem | None]


@dataclass(frozen=True, kw_only=True)
class TranslatedContent:
    """A kind of content a module publishes in English and Welsh (ADR 0060), for the
    officers' list of published content that lacks its Welsh.

    `published()` returns the items the public can see now (a queryset); `fields` are
    those a person reads, stored in both languages; `title(obj)` names an item on the list
    and `url(obj)` is where staff add its Welsh. Only people whom the gate lets do
    `action` see the kind.
    """

    label: Label
    action: str
    fields: tuple[str, ...]
    published: Callable[[], Iterable[Any]]
    title: Callable[[Any], str]
    url: Callable[[Any], str]


@dataclass(frozen=True, kw_only=True)
class Measure:
    """A fact a module measures about itself from its live data, for other modules to read
    by `key` without importing it (leadership's maturity scorecard and councillor's guide).

    `compute(day)` returns (count, total) as of `day`: how many of how many things meet
    the standard `label` describes ("Transparency datasets published and on time"); the
    share is count / total, and a total of 0 means there was nothing to measure. It
    returns None when the module cannot measure it at all. `url_name`, reversed in the
    current language, is the live page a person checks the fact on.
    """

    key: str
    label: Label
    compute: Callable[[date], tuple[int, int] | None]
    url_name: str = ""


@dataclass(frozen=True, kw_only=True)
class AssistedStart:
    """Where a helper starts one resident form in assisted mode: `label` names the
    particular thing (a consultation's title) and `url` is the page, already reversed."""

    label: str
    url: str


@dataclass(frozen=True, kw_only=True)
class ResidentForm:
    """A form that residents fill in, declared by the module that owns it: the inventory
    behind assisted digital (ADR 0107) and the "Need help filling this in?" link (ADR 0109).

    `key` is "<app>.<name>"; `label` and `description` are shown to helpers on the "Help a
    resident" page. `templates` are the templates that render the form: each must show the
    help link (`{% get_help %}`), which a test checks for every declared form. `assisted()`,
    when given, returns where a helper starts the form for a resident (AssistedStart, one
    per open thing); without it staff cannot complete the form on someone's behalf, and
    `not_assisted` says why for the inventory. A form that is core's "Get emails about
    this" for some followable kinds names them in `followable_kinds`, so that an assisted
    subscription to one of them is recorded as this form. `action` is who may complete
    it for a resident: core's assisted digital helpers, unless the module's own action
    widens that (consultation staff already type in paper responses).
    """

    key: str
    label: Label
    templates: tuple[str, ...]
    description: Label = ""
    assisted: Callable[[], Iterable[AssistedStart]] | None = None
    not_assisted: Label = ""
    followable_kinds: tuple[str, ...] = ()
    action: str = "core.assist_residents"
    order: int = 100


@dataclass(frozen=True, kw_only=True)
class Manifest:
    """Everything a module adds to the platform."""

    app_label: str
    name: Label
    description: Label = ""
    navigation: tuple[NavigationEntry, ...] = ()
    roles: tuple[Role, ...] = ()
    actions: tuple[Action, ...] = ()
    search_resources: tuple[SearchResource, ...] = ()
    open_data: tuple[OpenDataExport, ...] = ()
    demo: tuple[DemoStep, ...] = ()
    audited_models: tuple[str, ...] = ()
    unaudited_models: tuple[str, ...] = ()
    personal_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    home_panel: "HomePanel | None" = None
    account_panel: AccountPanel | None = None
    ward_panel: WardPanel | None = None
    staff_tools: tuple[StaffTool, ...] = ()
    work_waiting: tuple[WorkWaiting, ...] = ()
    evidence_provider: EvidenceProvider | None = None
    datastore_readers: Callable[[Any, Any], bool] | None = None
    """Who may read the DataStore tables the module owns (those it loads with
    `owner=<its app label>`): datastore_readers(table_id, person) -> bool, person None for
    the public. The DataStore's API, pages and read-only SQL all ask it; a table whose owner
    declares no check is read by nobody."""
    datastore_load_stopped: Callable[[Any, str], None] | None = None
    """Called when a load of one of the module's DataStore tables was killed midway (its
    process is gone): datastore_load_stopped(table_id, message), message for a person.
    The table still serves what it served before; the module shows the failure."""
    housekeeping: tuple[Callable[[], int], ...] = ()
    """Jobs `townhall worker` runs when it starts and every few minutes (ADR 0038), to put
    right what a killed process left behind or to do what has fallen due (election
    reminders, ADR 0082); each returns how many things it did. Several workers may run a
    job at once, so each must be safe to run twice."""
    translated_content: tuple[TranslatedContent, ...] = ()
    """The kinds of content the module stores in English and Welsh (see TranslatedContent)."""
    measures: tuple[Measure, ...] = ()
    """Facts the module measures about itself for others to read by key (see Measure)."""
    urls: str | None = None
    url_prefix: str = ""
    root_urls: str | None = None
    """A URL module served at the site's root in every language, never under /cy/: feeds,
    `.well-known` documents and the paths a standard fixes (CKAN's /api/3/action/...)."""
    api_router: str | None = None
    api_prefix: str = ""
    api_token_user: Callable[[Any], Any] | None = None
    """Who the API credentials a request carries belong to: api_token_user(request) -> an
    active person, or None when it carries none of the module's or they do not work.

    Core's API rate limit (TOWNHALL_API_RATE) does not count such callers on any route,
    public reads included, as docs/api.md promises token holders.
    """
    settings: dict[str, Any] = field(default_factory=dict)
    followables: tuple[Followable, ...] = ()
    """The kinds of thing people may follow (see Followable); core keeps the subscriptions."""
    personal_records: tuple[PersonalRecords, ...] = ()
    """Every kind of record the module keeps that points at a person (see PersonalRecords):
    core drives the person's download and erasure from these."""
    personal_data: Callable[[Any], dict[str, Any]] | None = None
    """What the module holds about a person beyond its `personal_records`, as JSON-safe
    data: personal_data(user) -> dict, merged into the module's part of the download.
    Core uses it for the account itself, which is the person rather than points at them.
    """
    resident_forms: tuple[ResidentForm, ...] = ()
    """The forms residents fill in that the module owns (see ResidentForm)."""
    help_nearby: Callable[[str], str] | None = None
    """Where a resident finds someone nearby to help them fill in a form:
    help_nearby(postcode) -> a URL, postcode "" when not known. Core's "Need help filling
    this in?" link uses the first installed module that offers it (inclusion's digital
    help finder), and the council's contact page when none does (ADR 0109)."""
    erase_personal_data: Callable[[Any], None] | None = None
    """Anything erasure must do beyond the `personal_records`: erase_personal_data(user).

    Called inside one transaction after the declared records are dealt with and before
    the person's account is deleted, so it runs while the user row still exists. Raise
    django.db.models.ProtectedError to refuse the erasure.
    """


class Registry:
    """The manifests of the installed modules, in INSTALLED_APPS order."""

    def __init__(self) -> None:
        self._manifests: dict[str, Manifest] = {}

    def register(self, manifest: Manifest) -> None:
        """Add a module's manifest. Registering the same app twice replaces it (reloads)."""
        self._manifests[manifest.app_label] = manifest

    def __iter__(self) -> Iterator[Manifest]:
        return iter(self._manifests.values())

    def get(self, app_label: str) -> Manifest:
        return self._manifests[app_label]

    def navigation(self) -> list[NavigationEntry]:
        return sorted(
            (entry for manifest in self for entry in manifest.navigation),
            key=lambda entry: entry.order,
        )

    def staff_tools(self) -> list[tuple[Manifest, list[StaffTool]]]:
        """Every module's staff tools, in module order, each module's by `order`.

        Filter them by the permission gate before showing them (core.selectors.workspace).
        """
        return [
            (manifest, sorted(manifest.staff_tools, key=lambda tool: tool.order))
            for manifest in self
            if manifest.staff_tools
        ]

    def work_waiting(self) -> list[tuple[Manifest, WorkWaiting]]:
        """Every module's work-waiting declarations, in module order."""
        return [(manifest, waiting) for manifest in self for waiting in manifest.work_waiting]

    def translated_content(self) -> list[TranslatedContent]:
        """Every module's translated kinds of content, in module order."""
        return [kind for manifest in self for kind in manifest.translated_content]

    def measures(self) -> dict[str, Measure]:
        """Every installed module's measures by key, in module order."""
        return {measure.key: measure for manifest in self for measure in manifest.measures}

    def measure(self, key: str) -> Measure | None:
        """The measure declared as `key`, or None when no installed module declares it
        (its module is not installed): the reader shows it as not measured."""
        return self.measures().get(key)

    def home_panels(self) -> list[HomePanel]:
        panels = [manifest.home_panel for manifest in self if manifest.home_panel]
        return sorted(panels, key=lambda panel: panel.order)

    def account_panels(self) -> list[AccountPanel]:
        panels = [manifest.account_panel for manifest in self if manifest.account_panel]
        return sorted(panels, key=lambda panel: panel.order)

    def ward_panels(self) -> list[WardPanel]:
        panels = [manifest.ward_panel for manifest in self if manifest.ward_panel]
        return sorted(panels, key=lambda panel: panel.order)

    def roles(self) -> dict[str, Role]:
        """Every installed module's roles by slug, in module order (the first declaration
        of a slug wins; a system check reports a slug declared twice)."""
        declared: dict[str, Role] = {}
        for manifest in self:
            for role in manifest.roles:
                declared.setdefault(role.slug, role)
        return declared

    def staff_roles(self) -> frozenset[str]:
        return frozenset(slug for slug, role in self.roles().items() if role.staff)

    def housekeeping(self) -> list[Callable[[], int]]:
        """Every module's housekeeping jobs, in module order."""
        return [job for manifest in self for job in manifest.housekeeping]

    def evidence_provider(self) -> EvidenceProvider | None:
        """The installed module that offers evidence to cite, or None when there is none
        (a citing module then keeps its references unlinked and says so)."""
        return next(
            (manifest.evidence_provider for manifest in self if manifest.evidence_provider),
            None,
        )

    def actions(self) -> dict[str, Action]:
        return {action.name: action for manifest in self for action in manifest.actions}

    def search_resources(self) -> dict[str, SearchResource]:
        return {res.kind: res for manifest in self for res in manifest.search_resources}

    def search_resource(self, kind: str) -> SearchResource:
        """The resource declaring `kind`; LookupError names a kind no manifest declares."""
        try:
            return self.search_resources()[kind]
        except KeyError:
            raise LookupError(f"No installed module declares the search kind {kind!r}.") from None

    def open_data(self) -> list[OpenDataExport]:
        return [export for manifest in self for export in manifest.open_data]

    def demo_steps(self) -> list[DemoStep]:
        return sorted(
            (step for manifest in self for step in manifest.demo), key=lambda step: step.order
        )

    def api_token_user(self, request: Any) -> Any:
        """The person a valid API token on `request` belongs to, asking every module that
        issues tokens (`api_token_user`); None when the request carries no valid token."""
        for manifest in self:
            if manifest.api_token_user is not None:
                user = manifest.api_token_user(request)
                if user is not None:
                    return user
        return None

    def followable(self, kind: str) -> Followable:
        """The declaration of the followable `kind`; LookupError names a kind no manifest
        declares."""
        for manifest in self:
            for followable in manifest.followables:
                if followable.kind == kind:
                    return followable
        raise LookupError(f"No installed module declares the followable kind {kind!r}.")

    def resident_forms(self) -> list[ResidentForm]:
        """Every installed module's resident forms, in module order, each module's by
        `order`."""
        return [
            form
            for manifest in self
            for form in sorted(manifest.resident_forms, key=lambda form: form.order)
        ]

    def help_nearby(self) -> Callable[[str], str] | None:
        """The first installed module's `help_nearby`, or None when no module offers
        help nearby (the link then goes to the council's contact page)."""
        return next((manifest.help_nearby for manifest in self if manifest.help_nearby), None)

    def personal_records(self) -> list[PersonalRecords]:
        """Every module's declared personal records, in module order."""
        return [records for manifest in self for records in manifest.personal_records]

    def personal_data(self, user: Any) -> dict[str, dict[str, Any]]:
        """What every module holds about the person, keyed by app label, in module order:
        each declared kind of record under its `key`, then the module's `personal_data`."""
        held = {}
        for manifest in self:
            if not manifest.personal_records and manifest.personal_data is None:
                continue
            part = {records.key: records.exported(user) for records in manifest.personal_records}
            if manifest.personal_data is not None:
                part.update(manifest.personal_data(user))
            held[manifest.app_label] = part
        return held

    def erase(self, user: Any) -> None:
        """Erase the person from every module, in module order: its declared records, then
        its `erase_personal_data(user)`."""
        for manifest in self:
            for records in manifest.personal_records:
                records.erase_for(user)
            if manifest.erase_personal_data is not None:
                manifest.erase_personal_data(user)

    def personal_fields(self, model_label: str) -> frozenset[str]:
        """Fields of "app_label.modelname" that hold personal data: the audit log never
        records their values (manifests name them in `personal_fields`)."""
        label = model_label.lower()
        return frozenset(
            name
            for manifest in self
            for model, names in manifest.personal_fields.items()
            if model.lower() == label
            for name in names
        )

    def is_audited(self, model_label: str) -> bool:
        """Whether staff changes to the model "app_label.modelname" go to the audit log.

        Every model of a Townhall module is audited unless its manifest lists it in
        `unaudited_models` (caches, indexes, the log itself); a manifest may add models
        of other apps (auth groups, say) through `audited_models`.
        """
        label = model_label.lower()
        app_label = label.split(".")[0]
        for manifest in self:
            if label in (name.lower() for name in manifest.audited_models):
                return True
            if manifest.app_label == app_label:
                return label not in (name.lower() for name in manifest.unaudited_models)
        return False


registry = Registry()
