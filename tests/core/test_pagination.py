"""GOV.UK pagination: first, last and the pages either side, keeping the query."""

import pytest
from django.http import QueryDict

from townhall.core.components.pagination import numbered_pagination, page_number


@pytest.mark.parametrize(
    ("text", "number"), [(None, 1), ("", 1), ("3", 3), ("-2", 1), ("x", 1), ("99999999999", 1)]
)
def test_page_number_falls_back_to_the_first_page(text, number):
    assert page_number(text) == number


def test_pagination_shows_first_last_and_neighbours_with_ellipses():
    shown = numbered_pagination(QueryDict("q=parking"), current=5, last=9)
    numbers = [item.get("number", "…") for item in shown["items"]]
    assert numbers == [1, "…", 4, 5, 6, "…", 9]
    assert shown["previous"] == "?q=parking&page=4"
    assert shown["next"] == "?q=parking&page=6"


def test_pagination_is_left_out_when_there_is_one_page():
    assert numbered_pagination(QueryDict(""), current=1, last=1) is None
