"""axe-core's verdict on a page, as every accessibility check in the suite asks for it."""

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
_AXE = Axe()


def wcag_violations(page) -> list[str]:
    """WCAG 2.2 A and AA problems on the page as it is now, one line each with where.

    A click on a link returns once the next page has begun to arrive, before its
    document exists; axe run then would read a null document, so wait for the load.
    """
    page.wait_for_load_state("load")
    problems = []
    for violation in _AXE.run(page, options=_OPTIONS).response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        problems.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    return problems


def assert_accessible(page) -> None:
    problems = wcag_violations(page)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)
