"""Importing polling stations and addresses from EMS exports: all or nothing, row by row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.elections import services
from townhall.elections.models import PollingAddress, PollingDistrict, PollingStation

XPRESS_HEADER = (
    "AuthorityCode,PropertyNumber,StreetName,PostCode,PollingDistrictReference,PollingPlaceId,"
    "PollingPlaceAddress1,PollingPlaceAddress2,PollingPlaceAddress3,PollingPlaceAddress4,"
    "PollingPlaceAddress5,PollingPlaceAddress6,PollingPlaceAddress7,UPRN,"
    "PollingPlaceEasting,PollingPlaceNorthing"
)
HALL = "St Peter's Hall,Church Lane,,,Northbridge,,NB1 1AB"
SCHOOL = "Riverside School,Mill Road,,,Northbridge,,NB1 2AA"


def xpress(*rows: str) -> bytes:
    return "\n".join([XPRESS_HEADER, *rows]).encode()


GOOD_XPRESS = xpress(
    f"NB,1,Abbey Street,NB1 1AA,AA,10,{HALL},990000000001,470000,320000",
    f"NB,0,The Old Mill,nb11aa,AA,10,{HALL},990000000002,470000,320000",
    f"NB,3,Brook Road,NB1 2AB,AB,11,{SCHOOL},990000000003,471000,321000",
)

DC_ADDRESSES = (
    b"Add1,Add2,Add3,Add4,Add5,Add6,PostCode,StationCode,UPRN,Xordinate,Yordinate\n"
    b"1 Abbey Street,Northbridge,,,,,NB1 1AA,S1,990000000001,,\n"
    b"2 Abbey Street,Northbridge,,,,,NB1 1AA,S2,990000000002,,\n"
)
DC_STATIONS = (
    b"Add1,Add2,Add3,Add4,Add5,Add6,PostCode,StationCode,Xordinate,Yordinate,PlaceName\n"
    b"Church Lane,Northbridge,,,,,NB1 1AB,S1,470000,320000,St Peter's Hall\n"
    b"Mill Road,Northbridge,,,,,NB1 2AA,S2,471000,321000,Riverside School\n"
)


def _import(actor, layout="xpress-weblookup", addresses=GOOD_XPRESS, stations=None):
    return services.polling_data_import(
        actor=actor, layout=layout, addresses=addresses, stations=stations
    )


def test_an_xpress_weblookup_export_stores_stations_districts_and_addresses(elections_officer):
    report = _import(elections_officer)
    assert (report.stored, report.stations, report.addresses, report.districts) == (
        True,
        2,
        3,
        2,
    )
    hall = PollingStation.objects.get(council_id="10")
    assert hall.address.splitlines() == ["St Peter's Hall", "Church Lane", "Northbridge"]
    assert hall.postcode == "NB1 1AB"
    assert (round(hall.longitude, 2), round(hall.latitude, 2)) == (-0.96, 52.77)
    named = PollingAddress.objects.get(uprn="990000000002")
    assert (named.address, named.postcode, named.district.code) == ("The Old Mill", "NB1 1AA", "AA")


def test_a_democracy_counts_export_joins_addresses_to_the_stations_file(elections_officer):
    report = _import(
        elections_officer, "democracy-counts", addresses=DC_ADDRESSES, stations=DC_STATIONS
    )
    assert report.stored and report.stations == 2
    address = PollingAddress.objects.select_related("station").get(uprn="990000000002")
    assert address.address == "2 Abbey Street, Northbridge"
    assert address.station.address.startswith("Riverside School\nMill Road")


@pytest.mark.parametrize(
    ("addresses", "problem"),
    [
        (
            b"UPRN,StreetName,PostCode\n1,Abbey Street,NB1 1AA\n",
            (
                "addresses",
                1,
                "Missing columns: pollingdistrictreference, pollingplaceaddress1, "
                "pollingplaceaddress2, pollingplaceaddress3, pollingplaceaddress4, "
                "pollingplaceaddress5, pollingplaceaddress6, pollingplaceaddress7, "
                "pollingplaceeasting, pollingplaceid, pollingplacenorthing, propertynumber",
            ),
        ),
        (
            xpress(
                f"NB,1,Abbey Street,NB1 1AA,AA,10,{HALL},990000000001,470000,320000",
                f"NB,2,Abbey Street,NB1 1AA,AA,10,{HALL},990000000001,470000,320000",
            ),
            ("addresses", 3, "UPRN 990000000001 is also on row 2"),
        ),
        (
            xpress(f"NB,1,Abbey Street,NB1 1AA,AA,10,{HALL},990000000001,0,0"),
            ("addresses", 2, "Polling station 10 has no coordinates (easting and northing)"),
        ),
        (
            xpress(f"NB,1,Abbey Street,NB1 1AA,AA,10,{HALL},,470000,320000"),
            ("addresses", 2, "No UPRN"),
        ),
        (
            xpress(f"NB,1,Abbey Street,NOT A CODE,AA,10,{HALL},990000000001,470000,320000"),
            ("addresses", 2, "“NOT A CODE” is not a postcode"),
        ),
        (
            xpress(f"NB,1,Abbey Street,NB1 1AA,AA,,{HALL},990000000001,470000,320000"),
            ("addresses", 2, "No polling station"),
        ),
    ],
    ids=[
        "missing-columns",
        "duplicate-uprn",
        "no-coordinates",
        "no-uprn",
        "bad-postcode",
        "no-station",
    ],
)
def test_a_bad_row_is_reported_by_file_and_row_and_nothing_is_stored(
    elections_officer, addresses, problem
):
    report = _import(elections_officer, addresses=addresses)
    assert not report.stored
    assert [(p.file, p.row, str(p.message)) for p in report.problems] == [problem]
    assert not PollingAddress.objects.exists() and not PollingStation.objects.exists()


def test_democracy_counts_reports_a_station_without_coordinates_once_and_unknown_stations(
    elections_officer,
):
    stations = DC_STATIONS.replace(b"471000,321000", b",")
    addresses = DC_ADDRESSES + b"3 Abbey Street,Northbridge,,,,,NB1 1AA,S9,990000000003,,\n"
    report = _import(elections_officer, "democracy-counts", addresses=addresses, stations=stations)
    assert [(p.file, p.row, str(p.message)) for p in report.problems] == [
        ("stations", 3, "Polling station S2 has no coordinates (easting and northing)"),
        ("addresses", 4, "Polling station S9 is not in the stations file"),
    ]


def test_a_failed_import_leaves_the_previous_import_in_place(elections_officer):
    _import(elections_officer)
    _import(elections_officer, addresses=xpress("NB,1,Abbey Street,NB1 1AA,AA,10"))
    assert PollingAddress.objects.count() == 3 and PollingDistrict.objects.count() == 2


def test_a_new_import_replaces_the_last_and_keeps_stations_accessibility_details(
    elections_officer,
):
    _import(elections_officer)
    PollingStation.objects.filter(council_id="10").update(accessibility_en_gb="Step-free")
    _import(
        elections_officer,
        addresses=xpress(f"NB,1,Abbey Street,NB1 1AA,AA,10,{HALL},990000000001,470000,320000"),
    )
    assert PollingAddress.objects.count() == 1
    assert PollingStation.objects.get().accessibility == "Step-free"


@pytest.mark.parametrize("role", ["resident", "consultation_lead", "officer"])
def test_importing_is_refused_to_people_without_the_elections_role(person, role):
    with pytest.raises(PermissionDenied):
        _import(person(role, is_staff=role != "resident"))


def test_an_officer_imports_by_the_page_and_the_import_is_audited(client, elections_officer):
    client.force_login(elections_officer)
    response = client.post(
        reverse("elections:stations_import"),
        {
            "layout": "xpress-weblookup",
            "addresses": SimpleUploadedFile("export.csv", GOOD_XPRESS, "text/csv"),
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="elections.polling_data_import").after == {
        "stations": 2,
        "addresses": 3,
    }


def test_the_page_lists_each_problem_by_row(client, elections_officer):
    client.force_login(elections_officer)
    response = client.post(
        reverse("elections:stations_import"),
        {
            "layout": "xpress-weblookup",
            "addresses": SimpleUploadedFile(
                "export.csv",
                xpress(f"NB,1,Abbey Street,NB1 1AA,AA,10,{HALL},990000000001,0,0"),
                "text/csv",
            ),
        },
    )
    page = response.content.decode()
    assert "Nothing was imported" in page and "Polling station 10 has no coordinates" in page


def test_democracy_counts_needs_its_stations_file(client, elections_officer):
    client.force_login(elections_officer)
    response = client.post(
        reverse("elections:stations_import"),
        {
            "layout": "democracy-counts",
            "addresses": SimpleUploadedFile("a.csv", DC_ADDRESSES, "text/csv"),
        },
    )
    assert "Choose the stations file this system exports" in response.content.decode()


def test_an_officer_writes_a_stations_access_details_in_both_languages(client, elections_officer):
    _import(elections_officer)
    client.force_login(elections_officer)
    listing = client.get(reverse("elections:stations_list")).content.decode()
    assert "Missing" in listing
    response = client.post(
        reverse("elections:station_edit", args=["10"]),
        {"accessibility": " Step-free entrance ", "accessibility_cy": "Mynedfa heb risiau"},
    )
    assert response.status_code == 302
    hall = PollingStation.objects.get(council_id="10")
    assert (hall.accessibility_en_gb, hall.accessibility_cy) == (
        "Step-free entrance",
        "Mynedfa heb risiau",
    )
    assert AuditEntry.objects.filter(
        object_type="elections.pollingstation", object_id=str(hall.pk), operation="update"
    ).exists()


def test_access_details_pages_are_refused_to_a_consultation_lead(client, person):
    client.force_login(person("consultation_lead", is_staff=True))
    assert client.get(reverse("elections:stations_list")).status_code == 403
