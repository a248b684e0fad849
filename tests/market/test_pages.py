"""The pages: who reaches which, the navigation, Welsh, the feed and the permission matrix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.market.factories import ChallengeFactory, ProcurementFactory, QuestionFactory
from townhall.market.models import Challenge, ExpressionOfInterest, Supplier

pytestmark = pytest.mark.django_db

STAFF_PAGES = (
    "market:manage_challenges",
    "market:manage_challenge_create",
    "market:manage_pipeline",
)


def test_the_navigation_leads_to_opportunities(client, challenge):
    home = client.get("/")

    assert reverse("market:challenge_list") in home.text
    listing = client.get(reverse("market:challenge_list"))
    assert reverse("market:challenge_detail", args=[challenge.slug]) in listing.text


@pytest.mark.parametrize("url_name", STAFF_PAGES)
def test_staff_pages_need_sign_in(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url_name", STAFF_PAGES)
@pytest.mark.parametrize(
    ("holder", "status"), [("supplier", 403), ("resident", 403), ("officer", 200)]
)
def test_permission_matrix_of_staff_pages(client, request, url_name, holder, status):
    person = request.getfixturevalue(holder)
    client.force_login(getattr(person, "account", person))

    assert client.get(reverse(url_name)).status_code == status


def test_the_workspace_lists_the_market_tools_for_an_officer(client, officer):
    client.force_login(officer)

    page = client.get(reverse("core:workspace"))

    assert reverse("market:manage_challenges") in page.text
    assert reverse("market:manage_pipeline") in page.text


def test_an_officer_writes_and_publishes_a_challenge_through_the_pages(client, officer):
    client.force_login(officer)
    form = {
        "title": "Booking rooms",
        "service_area": "Libraries",
        "problem": "Phones.",
        "affected": "Groups.",
        "outcomes": "Online booking.",
        "capabilities": ["digital"],
        "budget_min_pence": "£10,000",
        "budget_max_pence": "£40,000",
        "questions_deadline_day_day": "1",
        "questions_deadline_day_month": "6",
        "questions_deadline_day_year": "2035",
        "questions_deadline_time": "12:00",
        "response_deadline_day_day": "8",
        "response_deadline_day_month": "6",
        "response_deadline_day_year": "2035",
        "response_deadline_time": "17:00",
    }

    saved = client.post(reverse("market:manage_challenge_create"), form)
    challenge = Challenge.objects.get()
    client.post(
        reverse("market:manage_challenge_status", args=[challenge.public_id]), {"to": "published"}
    )

    assert saved.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PUBLISHED
    assert challenge.budget_max_pence == 4_000_000


def test_money_in_a_wrong_format_is_shown_as_an_error_and_nothing_saved(client, officer):
    client.force_login(officer)

    page = client.post(
        reverse("market:manage_challenge_create"), {"title": "X", "budget_max_pence": "50k"}
    )

    assert page.status_code == 200
    assert "figures only" in page.text
    assert not Challenge.objects.exists()


def test_a_person_registers_and_then_responds_through_the_pages(client, resident, challenge):
    client.force_login(resident)
    respond = reverse("market:response_form", args=[challenge.slug])

    sent_to_register = client.get(respond)
    client.post(
        reverse("market:supplier_register"),
        {
            "name": "Oak Routes Ltd",
            "company_number": "NI123456",
            "capabilities": ["waste"],
            "contact_name": "Jo",
            "contact_email": "jo@oak.example",
        },
    )
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    sent = client.post(respond, {"summary": "A pilot on two rounds.", "attachment": pdf})

    assert sent_to_register["Location"].startswith(reverse("market:supplier_register"))
    assert Supplier.objects.get().name == "Oak Routes Ltd"
    assert sent.status_code == 302
    assert ExpressionOfInterest.objects.get().summary == "A pilot on two rounds."


def test_a_late_response_through_the_page_shows_the_deadline(client, supplier):
    from datetime import timedelta

    from django.utils import timezone

    late = ChallengeFactory(
        questions_deadline=timezone.now() - timedelta(days=2),
        response_deadline=timezone.now() - timedelta(days=1),
    )
    client.force_login(supplier.account)

    page = client.post(reverse("market:response_form", args=[late.slug]), {"summary": "Hi"})

    assert page.status_code == 200
    assert "The deadline for responses was" in page.text


def test_the_response_page_after_the_deadline_says_so_and_offers_no_form(client, supplier):
    from datetime import timedelta

    from django.utils import timezone

    late = ChallengeFactory(
        questions_deadline=timezone.now() - timedelta(days=2),
        response_deadline=timezone.now() - timedelta(days=1),
    )
    client.force_login(supplier.account)

    page = client.get(reverse("market:response_form", args=[late.slug])).text

    assert "The council is no longer taking responses to this challenge." in page
    assert "Send your response" not in page


def test_the_list_shows_challenges_still_open_before_closed_ones(client):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    ChallengeFactory(
        title="Open and older",
        published_at=now - timedelta(days=30),
        questions_deadline=now + timedelta(days=5),
        response_deadline=now + timedelta(days=10),
    )
    ChallengeFactory(
        title="Closed and newer",
        published_at=now - timedelta(days=1),
        questions_deadline=now - timedelta(hours=2),
        response_deadline=now - timedelta(hours=1),
    )

    page = client.get(reverse("market:challenge_list")).text

    assert page.index("Open and older") < page.index("Closed and newer")


def test_the_officer_answers_from_the_challenge_page(client, officer, challenge):
    question = QuestionFactory(challenge=challenge, text="Private words")
    client.force_login(officer)

    edit = client.get(reverse("market:manage_challenge_edit", args=[challenge.public_id]))
    client.post(
        reverse("market:manage_question", args=[question.public_id]),
        {"published_question": "Public words?", "answer": "Yes.", "publish": "on"},
    )
    public = client.get(reverse("market:challenge_detail", args=[challenge.slug]))

    assert reverse("market:manage_question", args=[question.public_id]) in edit.text
    assert "Public words?" in public.text
    assert "Private words" not in public.text


def test_the_welsh_page_shows_welsh_and_marks_english(client, challenge):
    Challenge.objects.filter(pk=challenge.pk).update(title_cy="Lleihau biniau a gollwyd")

    page = client.get(f"/cy/market/challenges/{challenge.slug}/")

    assert "Lleihau biniau a gollwyd" in page.text
    assert '<div lang="en">' in page.text


def test_the_pipeline_page_lists_forthcoming_procurements(client):
    ProcurementFactory(title="Fleet telematics", estimated_value_pence=12_345_600)

    page = client.get(reverse("market:pipeline"))

    assert "Fleet telematics" in page.text
    assert "£123,456" in page.text


def test_the_feed_lists_open_challenges_only(client, challenge):
    ChallengeFactory(title="A draft", status=Challenge.Status.DRAFT, published_at=None)

    feed = client.get(reverse("market:feed"))

    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Reducing missed bin collections" in feed.text
    assert "A draft" not in feed.text


def test_the_account_page_shows_the_suppliers_organisation(client, supplier):
    client.force_login(supplier.account)

    page = client.get(reverse("core:account"))

    assert "Kestrel Analytics Ltd" in page.text
    assert reverse("market:supplier_home") in page.text


def test_the_workspace_counts_questions_waiting_for_an_answer(client, officer, challenge):
    QuestionFactory(challenge=challenge)
    QuestionFactory(challenge=challenge)
    client.force_login(officer)

    page = client.get(reverse("core:workspace"))

    assert "2 supplier questions waiting for an answer" in page.text


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/market/challenges/missed-bins/respond/", "/market/challenges/missed-bins/respond/"),
     ("https://evil.example/", "/market/your-organisation/"),
     ("//evil.example/", "/market/your-organisation/")],
)  # fmt: skip
def test_registering_carries_on_only_to_an_address_on_this_site(
    client, resident, next_url, lands_on
):
    client.force_login(resident)

    response = client.post(
        f"{reverse('market:supplier_register')}?next={next_url}",
        {"name": "Oak Ltd", "capabilities": ["data"], "contact_name": "Jo",
         "contact_email": "jo@oak.example"},
    )  # fmt: skip

    assert response["Location"] == lands_on


def test_the_welsh_list_is_in_welsh(client, challenge):
    page = client.get("/cy/market/")

    assert "Cyfleoedd i gyflenwyr" in page.text
    assert "Hidlo heriau" in page.text
