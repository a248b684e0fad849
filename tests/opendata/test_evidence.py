"""Evidence for decisions: other modules cite datasets and saved views; pages list them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.opendata import selectors, services

from .factories import DatasetFactory, LinkResourceFactory

pytestmark = pytest.mark.django_db


def cite(dataset, **options):
    return services.evidence_cite(
        dataset_id=dataset.pk,
        cited_by_app="decisions",
        cited_by_key=options.pop("key", "42"),
        cited_by_title=options.pop("title", "Decision 42: parking charges"),
        cited_by_url="/decisions/42/",
        **options,
    )


def test_citing_the_same_view_twice_keeps_one_citation():
    dataset = DatasetFactory(published=True)
    cite(dataset)
    cite(dataset, title="Decision 42: parking charges (revised)")
    citations = list(selectors.evidence_for(dataset))
    assert len(citations) == 1
    assert citations[0].cited_by_title == "Decision 42: parking charges (revised)"


def test_one_place_may_cite_several_views_of_a_dataset():
    resource = LinkResourceFactory(dataset=DatasetFactory(published=True))
    cite(resource.dataset)
    cite(resource.dataset, resource_id=resource.pk, filters={"Ward": "Abbey"})
    assert selectors.evidence_for(resource.dataset).count() == 2


def test_citing_an_unknown_dataset_is_refused():
    with pytest.raises(ValidationError):
        services.evidence_cite(
            dataset_id="00000000-0000-0000-0000-000000000000",
            cited_by_app="decisions", cited_by_key="1", cited_by_title="x",
        )  # fmt: skip


def test_citing_a_resource_of_another_dataset_is_refused():
    other = LinkResourceFactory()
    with pytest.raises(ValidationError):
        cite(DatasetFactory(), resource_id=other.pk)


def test_uncite_removes_one_view_or_everything_a_place_cited():
    resource = LinkResourceFactory(dataset=DatasetFactory(published=True))
    cite(resource.dataset)
    cite(resource.dataset, resource_id=resource.pk, filters={"Ward": "Abbey"})
    removed = services.evidence_uncite(
        cited_by_app="decisions", cited_by_key="42", dataset_id=resource.dataset.pk,
        resource_id=resource.pk, filters={"Ward": "Abbey"},
    )  # fmt: skip
    assert removed == 1
    assert services.evidence_uncite(cited_by_app="decisions", cited_by_key="42") == 1


def test_citations_of_lists_what_a_place_cites_with_addresses():
    resource = LinkResourceFactory(dataset=DatasetFactory(slug="car-parks", published=True))
    cite(resource.dataset, resource_id=resource.pk, filters={"Spaces": {"gte": 100}})
    [evidence] = selectors.citations_of(cited_by_app="decisions", cited_by_key="42")
    assert evidence["dataset_url"] == "/data/car-parks/"
    assert evidence["view_url"].startswith(f"/data/car-parks/{resource.pk}/?")
    assert "op=gte" in evidence["view_url"] and "val=100" in evidence["view_url"]
    assert evidence["published"] is True


def test_saved_view_url_of_a_whole_dataset_is_its_page():
    dataset = DatasetFactory(slug="budget")
    assert selectors.saved_view_url(dataset_id=dataset.pk) == "/data/budget/"


def test_dataset_page_lists_where_it_was_cited(client):
    dataset = DatasetFactory(published=True)
    cite(dataset, title="Cabinet decision on <b>car parks</b>")
    page = client.get(reverse("opendata:dataset", args=[dataset.slug])).content.decode()
    assert "Cabinet decision on &lt;b&gt;car parks&lt;/b&gt;" in page
    assert 'href="/decisions/42/"' in page


def test_a_chart_of_a_view_is_cited_apart_from_the_view_and_its_address_draws_it():
    resource = LinkResourceFactory(dataset=DatasetFactory(slug="spending", published=True))
    chart = {"chart": "line", "x": "Transaction date", "period": "month", "agg": "sum",
             "y": "Net amount"}  # fmt: skip
    cite(resource.dataset, resource_id=resource.pk, filters={"Supplier": "Acme Ltd"})
    cite(resource.dataset, resource_id=resource.pk, filters={"Supplier": "Acme Ltd"}, chart=chart)

    charted = [e for e in selectors.citations_of(cited_by_app="decisions", cited_by_key="42")
               if e["chart"]]  # fmt: skip
    assert len(charted) == 1 and charted[0]["chart"] == chart
    url = charted[0]["view_url"]
    assert url.startswith(f"/data/spending/{resource.pk}/?col=Supplier&op=eq&val=Acme+Ltd&")
    assert "x=Transaction+date&period=month&agg=sum&y=Net+amount" in url and url.endswith("#chart")


@pytest.mark.parametrize("chart", [{"colour": "red"}, {"x": "Ward"}])
def test_a_chart_with_an_unknown_setting_or_no_resource_is_refused(chart):
    resource = LinkResourceFactory(dataset=DatasetFactory(published=True))
    with pytest.raises(ValidationError):
        cite(resource.dataset, resource_id=None if "x" in chart else resource.pk, chart=chart)
