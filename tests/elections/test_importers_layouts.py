"""Idox Eros and FCS ElectionsPro exports, layouts recognised from the file, and files
that are awkward to read: other encodings, tabs, unreadable bytes, too many problems."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from townhall.elections import importers, services
from townhall.elections.models import PollingAddress, PollingStation

from .test_import import DC_ADDRESSES, DC_STATIONS, GOOD_XPRESS

FIXTURES = Path(__file__).parent / "fixtures"
IDOX = (FIXTURES / "idox_eros.csv").read_bytes()
FCS = (FIXTURES / "fcs_electionspro.json").read_bytes()


def _import(actor, addresses, stations=None, layout=""):
    return services.polling_data_import(
        actor=actor, layout=layout, addresses=addresses, stations=stations
    )


def _problems(report):
    return [(p.file, p.row, str(p.message)) for p in report.problems]


def test_an_idox_eros_export_is_recognised_and_tells_stations_at_one_venue_apart(
    elections_officer,
):
    report = _import(elections_officer, IDOX)
    assert (report.stored, report.layout, report.detected) == (True, "Idox Eros (Halarose)", True)
    assert (report.stations, report.addresses, report.districts, report.skipped) == (3, 3, 2, 1)
    assert sorted(PollingStation.objects.values_list("council_id", flat=True)) == [
        "3-st-peters-hall",
        "4-st-peters-hall",
        "7-riverside-school",
    ]
    cafe = PollingAddress.objects.select_related("station").get(uprn="990000000002")
    assert (cafe.address, cafe.postcode) == ("Café Nouveau, 2 Abbey Street, Northbridge", "NB1 1AA")
    assert cafe.station.address.splitlines() == ["St Peter's Hall", "Church Lane", "Northbridge"]
    assert (round(cafe.station.longitude, 2), round(cafe.station.latitude, 2)) == (-0.96, 52.77)


def test_an_address_idox_eros_gives_no_station_is_left_out_not_refused(elections_officer):
    _import(elections_officer, IDOX)
    assert not PollingAddress.objects.filter(uprn="990000000004").exists()


def test_an_fcs_electionspro_json_export_is_recognised_and_keeps_its_coordinates(
    elections_officer,
):
    report = _import(elections_officer, FCS)
    assert (report.stored, report.layout, report.stations, report.addresses) == (
        True,
        "FCS ElectionsPro (Democracy Club JSON export)",
        2,
        3,
    )
    hall = PollingStation.objects.get(council_id="6866")
    assert (hall.longitude, hall.latitude, hall.postcode) == (-0.9613, 52.7712, "NB1 1AB")
    assert hall.address.splitlines() == ["St Peter's Hall", "Church Lane", "Northbridge"]
    assert PollingAddress.objects.get(uprn="990000000003").station.council_id == "6867"


@pytest.mark.parametrize(
    ("addresses", "stations", "layout"),
    [
        (GOOD_XPRESS, None, "Xpress (WebLookup export)"),
        (DC_ADDRESSES, DC_STATIONS, "Democracy Counts (addresses and stations files)"),
        (IDOX, None, "Idox Eros (Halarose)"),
        (FCS, None, "FCS ElectionsPro (Democracy Club JSON export)"),
    ],
    ids=["xpress", "democracy-counts", "idox-eros", "fcs"],
)
def test_each_layout_is_recognised_from_its_file(elections_officer, addresses, stations, layout):
    report = _import(elections_officer, addresses, stations)
    assert (report.stored, report.layout, report.detected) == (True, layout, True)


def test_a_windows_1252_export_is_read_with_its_accents(elections_officer):
    report = _import(elections_officer, IDOX.decode().encode("cp1252"))
    assert report.stored and report.encodings == {"addresses": "Windows-1252"}
    assert PollingAddress.objects.get(uprn="990000000002").address.startswith("Café Nouveau")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf_16_and_byte_order_marked_exports_are_read(elections_officer, encoding):
    report = _import(
        elections_officer,
        DC_ADDRESSES.decode().encode(encoding),
        DC_STATIONS.decode().encode(encoding),
        layout="democracy-counts",
    )
    assert report.stored and report.stations == 2
    assert set(report.encodings.values()) == {"UTF-16" if "16" in encoding else "UTF-8"}


def test_a_tab_separated_export_is_read(elections_officer):
    report = _import(elections_officer, IDOX.replace(b",", b"\t"))
    assert report.stored and report.addresses == 3


def test_bytes_neither_utf_8_nor_windows_1252_are_reported_at_their_row(elections_officer):
    lines = IDOX.splitlines(keepends=True)
    lines[2] = lines[2].replace("é".encode(), b"\x81")
    report = _import(elections_officer, b"".join(lines))
    assert [(p.file, p.row) for p in report.problems] == [("addresses", 3)]
    assert "neither UTF-8 nor Windows-1252" in str(report.problems[0].message)
    assert not PollingAddress.objects.exists()


def test_a_file_of_no_known_layout_asks_for_the_system(elections_officer):
    report = _import(elections_officer, b"uprn,address,postcode\n1,1 Abbey Street,NB1 1AA\n")
    assert report.layout == "" and _problems(report) == [
        (
            "addresses",
            1,
            "The columns are not those of any system this import knows: choose the "
            "system the file comes from",
        )
    ]


def test_a_file_over_the_limit_is_refused_unread(elections_officer, monkeypatch):
    monkeypatch.setattr(importers, "MAX_BYTES", len(IDOX) - 1)
    report = _import(elections_officer, IDOX)
    assert [(p.file, p.row) for p in report.problems] == [("addresses", 1)]
    assert "must be smaller than" in str(report.problems[0].message)


def test_problems_past_the_limit_are_counted_not_listed(elections_officer, monkeypatch):
    monkeypatch.setattr(importers, "MAX_PROBLEMS", 2)
    report = _import(
        elections_officer, IDOX.replace(b",470000,", b",0,").replace(b",471000,", b",0,")
    )
    assert (len(report.problems), report.unlisted) == (2, 1)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            FCS.replace(b'"addressUprn": 990000000003', b'"uprn": 1'),
            ("addresses", 3, "Missing fields: addressuprn"),
        ),
        (
            FCS.replace(b'"latitude": 52.7801', b'"latitude": null'),
            ("addresses", 3, "Polling station 6867 has no coordinates (easting and northing)"),
        ),
        (
            b'[{"id": 1',
            (
                "addresses",
                1,
                "This is not a JSON file: Expecting ',' delimiter: line 1 column 10 (char 9)",
            ),
        ),
        (b"[1, 2]", ("addresses", 1, "The file must be a list of polling stations")),
    ],
    ids=["missing-field", "no-coordinates", "not-json", "not-stations"],
)
def test_a_bad_fcs_export_is_reported_by_address(elections_officer, data, problem):
    report = _import(elections_officer, data, layout="fcs-electionspro")
    assert _problems(report) == [problem]


def test_the_page_says_which_system_it_recognised_when_nothing_is_imported(
    client, elections_officer
):
    client.force_login(elections_officer)
    bad = IDOX.replace(b"NB1 2AB", b"NOT A CODE").decode().encode("cp1252")
    page = client.post(
        reverse("elections:stations_import"),
        {"addresses": SimpleUploadedFile("export.csv", bad, "text/csv")},
    ).content.decode()
    assert "Idox Eros (Halarose) (recognised from the file)" in page
    assert "Windows-1252" in page and "1 row the export marks as voting at no station" in page
    assert "“NOT A CODE” is not a postcode" in page


def test_the_page_imports_a_recognised_export_and_names_its_system(client, elections_officer):
    client.force_login(elections_officer)
    response = client.post(
        reverse("elections:stations_import"),
        {"addresses": SimpleUploadedFile("stations.json", FCS, "application/json")},
        follow=True,
    )
    assert "from the FCS ElectionsPro (Democracy Club JSON export) export" in (
        response.content.decode()
    )


def test_a_recognised_democracy_counts_export_without_its_stations_file_is_refused(
    elections_officer,
):
    report = _import(elections_officer, DC_ADDRESSES)
    assert report.layout.startswith("Democracy Counts") and _problems(report) == [
        ("stations", 1, "Choose the stations file this system exports")
    ]
