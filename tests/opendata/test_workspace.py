"""What open data puts on the staff workspace: the Transparency Code's late datasets."""

import pytest
from django.urls import reverse

from townhall.core.selectors.workspace import work_waiting_for

pytestmark = pytest.mark.django_db


def test_a_data_publisher_sees_each_mandated_dataset_that_is_not_published(person):
    labels = [item.label for item in work_waiting_for(person("data_publisher"))]

    assert "Senior salaries not published" in labels
    assert all(
        item.url == reverse("opendata:transparency")
        for item in work_waiting_for(person("data_publisher"))
    )
