"""The platform's extension points, declared in one place.

Each module describes what it adds to the platform in a `manifest.py` holding one
`Manifest`. Its AppConfig registers it here in `ready()`. Core builds navigation, the
permission gate, site search, the open-data catalogue's platform datasets, the API
and the demo council by reading this registry, so adding a module touches no other
module. (Decidim's component manifests and Datasette's hookspecs are the models.)
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

Label = str | Promise


@dataclass(frozen=True, kw_only=True)
class NavigationEntry:
    """A link in the service navigation. `url_name` is reversed in the current language.

    `description`, a sentence for residents, is shown under the link on the home page.
    """

    label: Label
    url_name: str
    order: int = 100
    description: Label = ""


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
    """A kind of content a module publishes, and how to list all of it for the index."""

    kind: str
    label: Label
    documents: Callable[[], Iterable[SearchDocument]]


@dataclass(frozen=True, kw_only=True)
class OpenDataExport:
    """Open data a module publishes to the catalogue as a platform dataset.

    `rows` returns an iterable of dicts whose keys are `fields`; it must exclude
    personal data. `licence` is an SPDX-style identifier.
    """

    slug: str
    title: Label
    description: Label
    fields: tuple[str, ...]
    rows: Callable[[], Iterable[dict[str, Any]]]
    licence: str = "OGL-UK-3.0"
    frequency: str = "continuous"


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
    evidence_provider: EvidenceProvider | None = None
    urls: str | None = None
    url_prefix: str = ""
    api_router: str | None = None
    api_prefix: str = ""
    api_token_user: Callable[[Any], Any] | None = None
    """Who the API credentials a request carries belong to: api_token_user(request) -> an
    active person, or None when it carries none of the module's or they do not work.

    Core's API rate limit (TOWNHALL_API_RATE) does not count such callers on any route,
    public reads included, as docs/api.md promises token holders.
    """
    settings: dict[str, Any] = field(default_factory=dict)
    personal_data: Callable[[Any], dict[str, Any]] | None = None
    """What the module holds about a person, as JSON-safe data: personal_data(user) -> dict.

    Called for "Your account": the person's download of their data. Include everything
    the module stores that identifies or was given by the person; leave out what is
    only derived from published content.
    """
    erase_personal_data: Callable[[Any], None] | None = None
    """Erase or anonymise what the module holds about a person: erase_personal_data(user).

    Called inside one transaction just before the person's account is deleted, so it
    runs while the user row still exists. Delete the person's own records, or keep a
    record the council must keep with the person's details removed.
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

    def home_panels(self) -> list[HomePanel]:
        panels = [manifest.home_panel for manifest in self if manifest.home_panel]
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

    def personal_data(self, user: Any) -> dict[str, dict[str, Any]]:
        """Every module's `personal_data(user)`, keyed by app label, in module order."""
        return {
            manifest.app_label: manifest.personal_data(user)
            for manifest in self
            if manifest.personal_data is not None
        }

    def erase(self, user: Any) -> None:
        """Call every module's `erase_personal_data(user)`, in module order."""
        for manifest in self:
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
