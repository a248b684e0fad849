"""Keeps site search in step with the catalogue: published datasets in, withdrawn ones out."""

from django.urls import reverse

from townhall.core.registry import SearchDocument
from townhall.core.selectors.search import plain_text_from_markdown
from townhall.core.services import search as core_search

from ..models import Dataset

KIND = "dataset"


def dataset_document(dataset: Dataset) -> SearchDocument:
    text = plain_text_from_markdown(dataset.description)
    keywords = " ".join(keyword.name for keyword in dataset.keywords.all())
    return SearchDocument(
        kind=KIND,
        key=str(dataset.pk),
        url=reverse("opendata:dataset", args=[dataset.slug]),
        title=dataset.title,
        summary=text[:300],
        body=f"{text} {keywords} {dataset.publisher}",
    )


def index_dataset(dataset: Dataset) -> None:
    core_search.index_documents([dataset_document(dataset)])


def remove_dataset(dataset: Dataset) -> None:
    core_search.remove_document(KIND, str(dataset.pk))
