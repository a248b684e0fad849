"""The module boundaries of style.md, checked on every run.

A module may use another only through its public surface (services, selectors and
errors); core, which every module stands on, imports no module. Lint and the
import-linter contracts in pyproject.toml run here too, so a red lint is a red build.
"""

import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_SURFACE = ("services", "selectors", "errors")


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "townhall" else None


def _is_public(module: str) -> bool:
    parts = module.split(".")
    return len(parts) >= 3 and parts[2] in PUBLIC_SURFACE


@pytest.fixture(scope="module")
def import_graph():
    return grimp.build_graph("townhall")


def test_modules_use_each_other_only_through_services_selectors_and_errors(import_graph):
    modules = {name.rsplit(".", 1)[-1] for name in settings.TOWNHALL_MODULES}
    breaches = []
    for importer in import_graph.modules:
        importer_app = _app_of(importer)
        if importer_app not in modules:
            continue
        for imported in import_graph.find_modules_directly_imported_by(importer):
            imported_app = _app_of(imported)
            if (
                imported_app in (None, importer_app, "core", "settings")
                or imported_app not in modules
            ):
                continue
            if not _is_public(imported):
                breaches.append(f"{importer} imports {imported}")
    assert not breaches, "\n".join(sorted(breaches))


def test_modules_import_nothing_by_name_where_the_boundary_checks_cannot_see():
    """importlib hides an import from the import graph: a module reaches an optional one
    through an interface core declares in its registry (evidence providers, say)."""
    modules = {name.rsplit(".", 1)[-1] for name in settings.TOWNHALL_MODULES} - {"core"}
    hidden = [
        str(path.relative_to(ROOT))
        for module in sorted(modules)
        for path in (ROOT / "src" / "townhall" / module).rglob("*.py")
        if "import_module" in path.read_text() or "__import__" in path.read_text()
    ]
    assert not hidden, "\n".join(hidden)


def test_core_imports_no_module(import_graph):
    modules = {name.rsplit(".", 1)[-1] for name in settings.TOWNHALL_MODULES} - {"core"}
    breaches = [
        f"{importer} imports {imported}"
        for importer in import_graph.modules
        if _app_of(importer) == "core"
        for imported in import_graph.find_modules_directly_imported_by(importer)
        if _app_of(imported) in modules
    ]
    assert not breaches, "\n".join(sorted(breaches))


def test_import_linter_contracts_are_kept():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("arguments", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_code_is_lint_clean(arguments):
    paths = [name for name in ("src", "tests", "bench") if (ROOT / name).exists()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *arguments, *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
