"""Reads for the staff workspace ("Manage"): the tools a person's roles allow, from every
module's manifest, and the work waiting for them.

Both go through the permission gate, so the page shows exactly what the person may do.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from ..permissions import can
from ..registry import WorkItem, registry


@dataclass(frozen=True)
class Tool:
    label: str
    url: str
    description: str


@dataclass(frozen=True)
class ToolGroup:
    """One module's tools that the person may use, under the module's name."""

    module: str
    tools: list[Tool]


def staff_tools_for(person: Any) -> list[ToolGroup]:
    """The modules' staff tools the person may use, grouped by module in module order.

    A tool whose page does not exist (its module's URLs are not installed) is left out.
    """
    groups = []
    for manifest, tools in registry.staff_tools():
        allowed = []
        for tool in tools:
            if not can(person, tool.action):
                continue
            try:
                url = reverse(tool.url_name)
            except NoReverseMatch:
                continue
            allowed.append(Tool(label=str(tool.label), url=url, description=str(tool.description)))
        if allowed:
            groups.append(ToolGroup(module=str(manifest.name), tools=allowed))
    return groups


def has_staff_tools(person: Any) -> bool:
    """Whether the person may use at least one staff tool: they then get "Manage"."""
    if not getattr(person, "is_authenticated", False):
        return False
    return any(
        can(person, tool.action) for _manifest, tools in registry.staff_tools() for tool in tools
    )


def work_waiting_for(person: Any) -> list[WorkItem]:
    """The work waiting for the person, from every module whose gate lets them do it.

    Items counting nothing are left out.
    """
    return [
        item
        for _manifest, waiting in registry.work_waiting()
        if can(person, waiting.action)
        for item in waiting.items(person)
        if item.count > 0
    ]
