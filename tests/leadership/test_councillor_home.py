"""The councillor's home: decisions coming up, their ward (through elections' councillors
and core's ward panels) and the digital guide's checklist from modules' measures."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.factories import AreaFactory
from tests.inclusion.factories import ServiceFactory
from tests.leadership.factories import (
    BoardMeetingFactory,
    DecisionFactory,
    LeaderFactory,
    OfficerFactory,
    PortfolioFactory,
    citing_dataset,
    in_wards,
    linked,
    serving_councillor,
)
from tests.participation.factories import ConsultationFactory
from townhall.core.registry import registry
from townhall.leadership import guide, selectors, services
from townhall.leadership.models import BoardMeeting, CouncillorAccount, Decision

pytestmark = pytest.mark.django_db
HOME = "/leadership/councillor/"


@pytest.fixture
def councillor(person):
    return person("councillor", display_name="Cllr Rhian Evans")


def _coming(**fields) -> Decision:
    day = timezone.localdate() + timedelta(days=20)
    return DecisionFactory(status=Decision.Status.FORTHCOMING, decided_on=day, **fields)


def _guide(today=None) -> dict[str, guide.GuideItem]:
    items = guide.checklist(today=today or timezone.localdate())
    return {item.title: item for item in items}


@pytest.mark.parametrize(("who", "status"), [("resident", 404), ("councillor", 200)])
def test_councillor_home_is_a_councillors_own_page(client, person, who, status):
    client.force_login(person(who))

    assert client.get(HOME).status_code == status


def test_councillor_home_sends_a_visitor_to_sign_in(client):
    response = client.get(HOME)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_councillor_home_shows_the_wards_open_consultations_and_decisions_when_linked(
    client, councillor
):
    ward = AreaFactory(name="Riverside")
    linked(councillor, serving_councillor(ward, name="Rhian Evans"))
    ConsultationFactory(title="Riverside play areas", ward_codes=[ward.code])
    in_wards(DecisionFactory(title="Resurface Riverside paths"), ward.code)
    _coming(title="Extend the clean air zone")
    client.force_login(councillor)

    page = client.get(HOME).content.decode()

    assert "Cllr Rhian Evans" in page
    assert f'href="/wards/{ward.slug}/"' in page
    assert "Riverside play areas" in page
    assert "Resurface Riverside paths" in page
    assert "Extend the clean air zone" in page


def test_councillor_home_says_so_when_the_account_is_not_linked_to_a_councillor(client, councillor):
    client.force_login(councillor)

    page = client.get(HOME).content.decode()

    assert "Your account is not linked to a councillor yet." in page


def test_councillor_home_lists_the_decisions_coming_up_in_the_cabinet_members_portfolio(
    client, councillor
):
    digital = PortfolioFactory(name="Digital", cabinet_member=councillor)
    _coming(title="Choose a contact system", portfolio=digital)
    _coming(title="Buy homes for temporary accommodation")
    client.force_login(councillor)

    home = selectors.councillor_home(councillor)

    assert [decision.title for decision in home.portfolio_coming] == ["Choose a contact system"]
    assert len(home.coming) == 2
    assert "Your portfolio:" in client.get(HOME).content.decode()


def test_the_guide_lists_the_recommendations_in_the_guides_order():
    titles = [item.title for item in guide.checklist(today=timezone.localdate())]

    assert titles == [
        "Digital leadership with authority",
        "Digital as a cabinet portfolio",
        "Open data, published and on time",
        "Decisions informed by data",
        "Digital inclusion: a directory of help",
        "Citizens shaping services",
        "Transparent communication",
        "High turnout at elections",
        "Engaging the market early",
    ]


def test_the_guide_shows_leadership_in_place_when_a_cdo_champions_and_a_recent_board_exist():
    today = timezone.localdate()
    assert _guide()["Digital leadership with authority"].status == guide.NOT_YET
    LeaderFactory(kind="chief_digital_officer")
    assert _guide()["Digital leadership with authority"].status == guide.PARTLY
    LeaderFactory(kind="champion")
    BoardMeetingFactory(meets_on=today - timedelta(days=30), status=BoardMeeting.Status.HELD)

    item = _guide()["Digital leadership with authority"]

    assert item.status == guide.IN_PLACE
    assert item.url == "/leadership/who-leads-digital/"


def test_the_guide_reads_decisions_informed_by_data_from_the_declared_measure():
    today = timezone.localdate()
    for number in range(5):
        decision = DecisionFactory(decided_on=today - timedelta(days=10))
        if number < 4:
            citing_dataset(decision, f"dataset-{number}")

    item = _guide(today)["Decisions informed by data"]

    assert item.status == guide.IN_PLACE  # 80%
    assert "4 of 5 (80%)" in item.found
    assert item.url == "/leadership/decisions/"


def test_the_guide_shows_a_recommendation_partly_in_place_below_the_threshold():
    today = timezone.localdate()
    citing_dataset(DecisionFactory(decided_on=today - timedelta(days=10)), "one")
    DecisionFactory(decided_on=today - timedelta(days=10))

    assert _guide(today)["Decisions informed by data"].status == guide.PARTLY


def test_the_guide_shows_not_measured_when_no_installed_module_declares_the_measure(
    monkeypatch,
):
    monkeypatch.delitem(registry._manifests, "inclusion")

    item = _guide()["Digital inclusion: a directory of help"]

    assert item.status == guide.NOT_MEASURED
    assert item.url == ""
    assert "Not measured" in item.found


def test_the_guide_reads_the_measure_the_installed_module_declares():
    ServiceFactory.create_batch(9, last_confirmed=timezone.localdate())
    ServiceFactory(last_confirmed=None)

    item = _guide()["Digital inclusion: a directory of help"]

    assert item.status == guide.IN_PLACE
    assert item.found == (
        "Digital help services whose details were confirmed recently: 9 of 10 (90%)."
    )
    assert item.url == "/digital-help/"


def test_a_decisions_officer_links_a_councillor_to_their_account_from_manage(client, person):
    officer = OfficerFactory()
    member = person("councillor", display_name="Cllr Rhian Evans")
    councillor = serving_councillor(AreaFactory(name="Castle"), name="Rhian Evans")
    client.force_login(officer)

    listing = client.get("/leadership/manage/councillors/").content.decode()
    assert "Rhian Evans" in listing and "no account" in listing
    response = client.post(
        f"/leadership/manage/councillors/{councillor.pk}/", {"account": str(member.public_id)}
    )

    assert response.status_code == 302
    assert CouncillorAccount.objects.get(user=member).councillor_id == councillor.pk
    assert "Councillors&#x27; accounts" in client.get("/manage/").content.decode()


def test_linking_refuses_an_account_that_is_not_a_councillors(person):
    councillor = serving_councillor()

    with pytest.raises(services.CouncillorInvalid) as refused:
        services.councillor_account_link(
            actor=OfficerFactory(), councillor_id=councillor.pk, member=person("resident")
        )

    assert refused.value.field == "account"
    assert not CouncillorAccount.objects.exists()


def test_linking_refuses_a_councillor_no_longer_serving(person):
    former = serving_councillor(term_end=timezone.localdate() - timedelta(days=1))

    with pytest.raises(services.CouncillorInvalid) as refused:
        services.councillor_account_link(
            actor=OfficerFactory(), councillor_id=former.pk, member=person("councillor")
        )

    assert refused.value.field == "councillor"


def test_a_councillors_account_page_and_the_digital_leadership_page_link_to_their_home(
    client, councillor
):
    client.force_login(councillor)

    for page in ("/account/", "/leadership/"):
        assert f'href="{HOME}"' in client.get(page).content.decode()


def test_a_residents_digital_leadership_page_has_no_link_to_a_councillors_home(client, resident):
    client.force_login(resident)

    assert HOME not in client.get("/leadership/").content.decode()


def test_the_councillor_link_is_in_the_persons_download_and_goes_when_they_are_erased(
    councillor,
):
    linked(councillor, serving_councillor())

    held = registry.personal_data(councillor)["leadership"]["councillor_account"]
    assert len(held) == 1
    registry.erase(councillor)

    assert not CouncillorAccount.objects.exists()


def test_councillor_home_is_in_welsh_with_the_english_ward_name_marked(client, councillor):
    ward = AreaFactory(name="Riverside", name_cy="")
    linked(councillor, serving_councillor(ward))
    client.force_login(councillor)

    page = client.get(f"/cy{HOME}").content.decode()

    assert "Eich hafan fel cynghorydd" in page
    assert "Eich canllaw digidol" in page
    assert "Ar waith" in page or "Ddim eto" in page
    assert f'href="/cy/wards/{ward.slug}/" lang="en">Riverside</a>' in page
