"""A table that scrolls sideways in its own box can be scrolled from the keyboard and is
named for screen readers (WCAG 2.1.1 and 4.1.2; axe's scrollable-region-focusable): every
`th-table-scroll` box in every template is focusable and a labelled region."""

import re
from pathlib import Path

import townhall

TEMPLATES = sorted(Path(townhall.__file__).parent.glob("*/templates/**/*.html"))
SCROLL_BOX = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\bth-table-scroll\b[^\"]*\"[^>]*>")


def test_every_scrolling_table_box_takes_the_keyboard_and_has_a_name():
    unreachable = [
        f"{template.relative_to(Path(townhall.__file__).parent)}: {box}"
        for template in TEMPLATES
        for box in SCROLL_BOX.findall(template.read_text())
        if 'tabindex="0"' not in box
        or 'role="region"' not in box
        or not re.search(r"aria-label(ledby)?=", box)
    ]

    assert TEMPLATES
    assert not unreachable, "\n".join(unreachable)
