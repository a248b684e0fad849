"""The compliance page and a failing validation report meet WCAG 2.2 AA (axe-core)."""

import pytest

from tests.e2e.axe import assert_accessible

from .factories import DatasetFactory, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_SPEND = (
    "Transaction date,Supplier,net amount,Irrecoverable VAT,Department/service,"
    "Procurement category,Purpose narrative,Notes\n"
    "31/01/2025,,lots,0,Highways,Works,Road repairs,x\n"
)


def test_transparency_pages_have_no_wcag_22_aa_violations(page, publisher):
    dataset = DatasetFactory(published=True, slug="spend", transparency_code="spend-over-500")
    version = upload(publisher, dataset, BAD_SPEND, filename="spend.csv")
    for url in ("/data/transparency/", f"/data/spend/validation/{version.id}/"):
        page.goto(url)
        assert_accessible(page)
