"""Published content that lacks its Welsh, across every module (ADR 0060)."""

from dataclasses import dataclass

from django.utils.translation import override

from ..languages import CONTENT_DEFAULT, lacks_welsh
from ..permissions import can
from ..registry import Label, registry


@dataclass(frozen=True)
class MissingWelsh:
    title: str
    url: str
    fields: list[str]


@dataclass(frozen=True)
class MissingWelshGroup:
    label: Label
    items: list[MissingWelsh]


def content_lacking_welsh(person) -> list[MissingWelshGroup]:
    """Each kind of translated content this person may work on, with its published items
    that have English but no Welsh in a field a person reads (and which fields); kinds
    with nothing missing are left out. Items are named in English, as they are written."""
    groups = []
    for kind in registry.translated_content():
        if not can(person, kind.action):
            continue
        items = []
        for obj in kind.published():
            missing = lacks_welsh(obj, kind.fields)
            if missing:
                with override(CONTENT_DEFAULT):
                    title = kind.title(obj)
                names = [str(obj._meta.get_field(name).verbose_name) for name in missing]
                items.append(MissingWelsh(title=title, url=kind.url(obj), fields=names))
        if items:
            groups.append(MissingWelshGroup(label=kind.label, items=items))
    return groups
