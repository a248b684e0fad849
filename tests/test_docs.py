"""The documentation is part of the product: a test fails when it falls behind the code.

- every environment variable the settings read is in .env.example and the README's
  configuration table;
- every module has a user guide at docs/modules/<app>.md that names each action its
  manifest declares.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from townhall.core.registry import registry

ROOT = Path(__file__).resolve().parents[1]
SETTING_READ = re.compile(r'setting\(\s*"([A-Z][A-Z0-9_]+)"')


def _variables_read_by_settings() -> set[str]:
    found = set()
    for path in (ROOT / "src" / "townhall").rglob("*.py"):
        found.update(SETTING_READ.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_every_environment_variable_is_documented(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    missing = sorted(
        name
        for name in _variables_read_by_settings()
        if f"`{name}`" not in text and f"\n{name}=" not in text and f"\n# {name}=" not in text
    )
    assert not missing, f"{document} does not mention: {', '.join(missing)}"


@pytest.mark.parametrize("module", [name.rsplit(".", 1)[-1] for name in settings.TOWNHALL_MODULES])
def test_every_module_has_a_guide_naming_its_actions(module):
    guide = ROOT / "docs" / "modules" / f"{module}.md"
    assert guide.exists(), f"docs/modules/{module}.md is missing"
    text = guide.read_text(encoding="utf-8")
    undocumented = [
        action.name for action in registry.get(module).actions if f"`{action.name}`" not in text
    ]
    assert not undocumented, f"docs/modules/{module}.md does not name: {', '.join(undocumented)}"


@pytest.mark.parametrize("document", ["docs/architecture.md", "docs/operations.md", "docs/api.md"])
def test_the_platform_documents_exist(document):
    assert (ROOT / document).stat().st_size > 500
