import pytest

from tests.core.factories import AreaFactory, PostcodeFactory
from tests.elections.factories import (
    OfficerFactory,
    PollingAddressFactory,
    PollingStationFactory,
)
from townhall.core.models import SiteSettings
from townhall.core.selectors.site import forget_site_settings


@pytest.fixture
def elections_officer(db):
    return OfficerFactory()


@pytest.fixture
def riverside(db):
    """The Riverside ward with NB1 1AA, NB1 2AB and NB1 3AD; SW1A 1AA is in London."""
    SiteSettings.objects.update(local_authority_code="E07999999", contact_phone="01632 960 000")
    forget_site_settings()
    ward = AreaFactory(name="Riverside")
    for postcode in ("NB1 1AA", "NB1 2AB", "NB1 3AD"):
        PostcodeFactory(postcode=postcode, ward_code=ward.code)
    PostcodeFactory(postcode="SW1A 1AA", local_authority_code="E09000033")
    return ward


@pytest.fixture
def stations(riverside):
    """NB1 1AA votes at the hall; NB1 2AB is split between the hall and the school."""
    hall = PollingStationFactory(address="St Peter's Hall\nChurch Lane", accessibility="Step-free")
    school = PollingStationFactory(address="Riverside School\nMill Road")
    PollingAddressFactory(postcode="NB1 1AA", station=hall)
    PollingAddressFactory(postcode="NB1 1AA", station=hall)
    PollingAddressFactory(postcode="NB1 2AB", station=hall, address="1 Mill Road")
    PollingAddressFactory(postcode="NB1 2AB", station=school, address="2 Mill Road", uprn="77")
    return hall, school
