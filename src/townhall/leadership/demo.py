"""Northbridge's digital leaders, two years of decisions, most citing the demo's open data
and consultations and some citing nothing, and a year of the digital board's meetings with
their papers, minutes (one item exempt) and actions, written and published through the
services as the council's decisions officer would. Running it again replaces them."""

import json
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from townhall.core.demo import DEMO_EMAIL_DOMAIN
from townhall.core.demo.pdf import one_page_pdf
from townhall.opendata import selectors as opendata_selectors
from townhall.opendata import services as opendata
from townhall.participation import selectors as participation_selectors

from . import maturity, selectors, services
from .manifest import DECISIONS_OFFICER
from .models import (
    BoardMeeting,
    CouncillorAccount,
    Decision,
    Leader,
    MaturityAssessment,
    Portfolio,
)

Kind = Leader.Kind

# (kind, name, job title, job title in Welsh, directorate, directorate in Welsh, remit)
LEADERS = (
    (
        Kind.CABINET_MEMBER,
        "Cllr Gareth Price",
        "Cabinet member for digital and customer services",
        "Aelod cabinet dros ddigidol a gwasanaethau cwsmeriaid",
        "",
        "",
        "Answers to full council for the digital strategy, the website and the council's "
        "data. Signs off digital spending up to £250,000 and chairs the digital board.",
    ),
    (
        Kind.CHIEF_DIGITAL_OFFICER,
        "Anita Shah",
        "Chief digital officer",
        "Prif swyddog digidol",
        "Chief executive's office",
        "Swyddfa'r prif weithredwr",
        "Sits on the corporate leadership team. Owns the digital strategy, the technology "
        "budget and the standards every service's website and data must meet.",
    ),
    (
        Kind.CHAMPION,
        "Tom Richards",
        "Digital champion",
        "Hyrwyddwr digidol",
        "Place and environment",
        "Lle a'r amgylchedd",
        "Brings bins, roads, parks and planning onto common online services and makes sure "
        "their data is published.",
    ),
    (
        Kind.CHAMPION,
        "Leah Morgan",
        "Digital champion",
        "Hyrwyddwr digidol",
        "People and communities",
        "Pobl a chymunedau",
        "Works with housing, libraries and adult social care to design services with the "
        "people who use them.",
    ),
    (
        Kind.CHAMPION,
        "Imran Aziz",
        "Digital champion",
        "Hyrwyddwr digidol",
        "Resources",
        "Adnoddau",
        "Leads the move of finance, council tax and HR onto cloud services, and the "
        "publication of spending data.",
    ),
    (
        Kind.CHAMPION,
        "Siân Roberts",
        "Digital champion",
        "Hyrwyddwr digidol",
        "Children and education",
        "Plant ac addysg",
        "Helps schools admissions and family services to work online, and young people to "
        "get the digital skills they need.",
    ),
    (
        Kind.BOARD_MEMBER,
        "Dr Helen Carter",
        "Independent member of the digital board",
        "Aelod annibynnol o'r bwrdd digidol",
        "",
        "",
        "Brings outside experience of public-sector technology; reviews the board's "
        "decisions on spending and risk.",
    ),
)

PORTFOLIOS = (
    ("Digital and customer services", "Digidol a gwasanaethau cwsmeriaid"),
    ("Environment and transport", "Yr amgylchedd a thrafnidiaeth"),
    ("Housing and communities", "Tai a chymunedau"),
    ("Finance and resources", "Cyllid ac adnoddau"),
    ("Leisure and culture", "Hamdden a diwylliant"),
)

Maker = Decision.Maker
MAKER_NAMES_CY = {
    "Cabinet": "Cabinet",
    "Cabinet member for digital and customer services": (
        "Aelod cabinet dros ddigidol a gwasanaethau cwsmeriaid"
    ),
    "Cabinet member for environment and transport": (
        "Aelod cabinet dros yr amgylchedd a thrafnidiaeth"
    ),
    "Director of Resources": "Cyfarwyddwr Adnoddau",
    "Planning committee": "Pwyllgor cynllunio",
    "Chief digital officer": "Prif swyddog digidol",
    "Audit and governance committee": "Pwyllgor archwilio a llywodraethu",
}
Status = Decision.Status

# Thirty decisions over two years, most citing evidence, four still to come:
# (days ago, maker, maker's name, portfolio by index, key decision, status, wards by index,
#  datasets by slug, consultations by slug, (title, title in Welsh), summary, options,
#  reasons)
DECISIONS: tuple[tuple, ...] = (
    (
        700,
        Maker.CABINET,
        "Cabinet",
        0,
        True,
        Status.IN_FORCE,
        (),
        ("population-by-ward",),
        (),
        (
            "Adopt the digital strategy 2025 to 2028",
            "Mabwysiadu'r strategaeth ddigidol 2025 i 2028",
        ),
        "Cabinet adopted the digital strategy and its six areas of work.",
        "Keep the 2019 strategy; adopt the new strategy; adopt it without the data programme.",
        "The 2019 strategy is out of date, and the data programme is how the council will "
        "know whether the strategy works.",
    ),
    (
        640,
        Maker.CABINET_MEMBER,
        "Cabinet member for digital and customer services",
        0,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        ("Sign the Local Digital Declaration", "Llofnodi'r Datganiad Digidol Lleol"),
        "The council signed the Local Digital Declaration.",
        "Sign it; do not sign it.",
        "Signing commits the council to open standards and to working in the open with other "
        "councils.",
    ),
    (
        600,
        Maker.CABINET,
        "Cabinet",
        1,
        True,
        Status.IN_FORCE,
        (0, 1, 2),
        ("household-recycling-rates",),
        ("garden-waste-charges",),
        ("Charge for garden waste collections", "Codi tâl am gasglu gwastraff gardd"),
        "Garden waste is collected fortnightly for an annual charge, with a reduced rate for "
        "households on council tax support.",
        "No charge; a flat charge; a charge with a reduced rate.",
        "Recycling rates would hold up with a charge, and the consultation asked for a "
        "reduced rate for households on low incomes.",
    ),
    (
        540,
        Maker.OFFICER,
        "Director of Resources",
        3,
        False,
        Status.IN_FORCE,
        (),
        ("spending-over-500",),
        (),
        ("Publish spending over £500 every month", "Cyhoeddi gwariant dros £500 bob mis"),
        "Spending over £500 is published monthly rather than quarterly.",
        "Quarterly, as the Transparency Code requires at least; monthly.",
        "Monthly publication costs little more now that it is automated.",
    ),
    (
        500,
        Maker.COMMITTEE,
        "Planning committee",
        1,
        False,
        Status.MADE,
        (3,),
        ("planning-applications",),
        (),
        ("Refuse outline permission at Mill Lane", "Gwrthod caniatâd amlinellol yn Lôn y Felin"),
        "The committee refused outline permission for 40 homes at Mill Lane.",
        "Grant with conditions; refuse.",
        "The access to the site could not be made safe.",
    ),
    (
        450,
        Maker.CABINET,
        "Cabinet",
        4,
        True,
        Status.IN_FORCE,
        (4, 5),
        ("library-visits", "libraries"),
        ("library-services",),
        ("Keep every library open with longer evening hours", "Cadw pob llyfrgell ar agor"),
        "Every library stays open; two open later on weekday evenings.",
        "Close two branches; reduce hours everywhere; keep every branch and move hours to "
        "evenings.",
        "Visits by branch show evening demand, and the consultation asked to keep every "
        "branch open.",
    ),
    (
        400,
        Maker.CABINET_MEMBER,
        "Cabinet member for environment and transport",
        1,
        False,
        Status.IN_FORCE,
        (),
        ("car-parks",),
        (),
        ("Pay for parking by phone in every car park", "Talu am barcio â ffôn ym mhob maes parcio"),
        "Every council car park takes payment by phone as well as by card.",
        "Card only; phone and card.",
        "People asked to pay without going back to the machine.",
    ),
    (
        360,
        Maker.CABINET,
        "Cabinet",
        3,
        True,
        Status.CALLED_IN,
        (),
        ("budget-book-2026-27",),
        (),
        ("Move council tax accounts online", "Symud cyfrifon treth gyngor ar-lein"),
        "Residents can see and manage their council tax account online; paper bills stay "
        "for anyone who asks.",
        "Keep paper only; online with paper on request; online only.",
        "Most residents asked for online accounts, and paper stays for anyone who wants it.",
    ),
    (
        300,
        Maker.OFFICER,
        "Chief digital officer",
        0,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        ("Replace the staff intranet", "Newid mewnrwyd y staff"),
        "The staff intranet moves to the council's new collaboration platform.",
        "Upgrade the old intranet; move to the new platform.",
        "The old intranet's support ends next year.",
    ),
    (
        250,
        Maker.CABINET,
        "Cabinet",
        1,
        True,
        Status.IN_FORCE,
        (0, 3, 6),
        ("air-quality-no2",),
        (),
        ("A clean air zone around the town centre", "Parth aer glân o amgylch canol y dref"),
        "A clean air zone for buses and lorries starts in the town centre.",
        "No zone; a zone for buses and lorries; a zone for every vehicle.",
        "Nitrogen dioxide at three monitoring sites is above the legal limit.",
    ),
    (
        200,
        Maker.COMMITTEE,
        "Audit and governance committee",
        3,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        ("Approve the cyber security plan", "Cymeradwyo'r cynllun seiberddiogelwch"),
        "The committee approved the council's cyber security plan for the year.",
        "Approve; ask for changes.",
        "The plan answers last year's internal audit.",
    ),
    (
        150,
        Maker.CABINET,
        "Cabinet",
        2,
        True,
        Status.IN_FORCE,
        (2, 5, 7),
        ("population-by-ward",),
        (),
        ("Digital inclusion hubs in three wards", "Canolfannau cynhwysiant digidol mewn tair ward"),
        "Three community centres become digital inclusion hubs with free devices to borrow "
        "and help to get online.",
        "One hub in the town centre; three hubs where need is greatest.",
        "The wards chosen have the most people over 75 and the fewest homes with broadband.",
    ),
    (
        90,
        Maker.CABINET_MEMBER,
        "Cabinet member for digital and customer services",
        0,
        False,
        Status.IN_FORCE,
        (),
        ("spending-over-500",),
        (),
        ("Publish contracts over £5,000 as open data", "Cyhoeddi contractau dros £5,000"),
        "Every contract over £5,000 is published as open data when it is signed.",
        "Keep the PDF register; publish as open data.",
        "Suppliers and residents asked to search contracts with the spending data.",
    ),
    (
        40,
        Maker.CABINET,
        "Cabinet",
        1,
        True,
        Status.MADE,
        (1, 4),
        (),
        ("street-lighting",),
        ("Dim street lights after midnight", "Pylu goleuadau stryd ar ôl hanner nos"),
        "Street lights on residential roads are dimmed, not switched off, after midnight.",
        "Leave them; dim them; switch them off.",
        "Dimming saves most of the energy without leaving streets dark.",
    ),
    (
        -75,
        Maker.CABINET,
        "Cabinet",
        0,
        True,
        Status.FORTHCOMING,
        (),
        (),
        (),
        ("Choose a new customer contact system", "Dewis system cyswllt cwsmeriaid newydd"),
        "Cabinet will choose the system that handles residents' calls, emails and forms.",
        "Renew the current contract; procure a new system.",
        "The current contract ends in 2027.",
    ),
    (
        680,
        Maker.CABINET,
        "Cabinet",
        3,
        True,
        Status.IN_FORCE,
        (),
        ("budget-book-2026-27",),
        (),
        ("Set the budget for 2025 to 2026", "Pennu cyllideb 2025 i 2026"),
        "The council's budget and council tax for the year.",
        "Raise council tax by 2.99%; by 4.99%.",
        "The lower rise with savings from moving services online.",
    ),
    (
        620,
        Maker.OFFICER,
        "Director of Resources",
        3,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        ("Move finance systems to the cloud", "Symud systemau cyllid i'r cwmwl"),
        "The finance system moves to a hosted service.",
        "Keep the servers; move to the cloud.",
        "The servers reach the end of their life in 2026.",
    ),
    (
        560,
        Maker.CABINET,
        "Cabinet",
        2,
        True,
        Status.IN_FORCE,
        (2, 6),
        ("population-by-ward",),
        (),
        ("A housing allocations policy", "Polisi dyrannu tai"),
        "How the council decides who is offered social housing.",
        "Keep the banding scheme; move to choice-based lettings.",
        "Choice-based lettings let applicants see and bid for homes.",
    ),
    (
        520,
        Maker.COMMITTEE,
        "Audit and governance committee",
        3,
        False,
        Status.IN_FORCE,
        (),
        ("spending-over-500",),
        (),
        ("Accept the internal audit of card payments", "Derbyn archwiliad mewnol taliadau cerdyn"),
        "The committee accepted the audit and its six recommendations.",
        "Accept; ask for more work.",
        "The audit found no fraud and fixable weaknesses.",
    ),
    (
        470,
        Maker.CABINET_MEMBER,
        "Cabinet member for environment and transport",
        1,
        False,
        Status.IN_FORCE,
        (1,),
        ("air-quality-no2",),
        (),
        ("Add air quality sensors near schools", "Ychwanegu synwyryddion ansawdd aer ger ysgolion"),
        "Twelve sensors publish readings as open data.",
        "Diffusion tubes only; live sensors.",
        "Live readings let parents see the air near school gates.",
    ),
    (
        280,
        Maker.OFFICER,
        "Chief digital officer",
        0,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        ("Adopt the service standard", "Mabwysiadu'r safon gwasanaeth"),
        "Every new online service meets the council's service standard.",
        "No standard; the GOV.UK standard; our own based on it.",
        "Our own standard follows the GOV.UK one with Welsh language needs added.",
    ),
    (
        380,
        Maker.COMMITTEE,
        "Planning committee",
        1,
        False,
        Status.IN_FORCE,
        (5,),
        ("planning-applications",),
        (),
        (
            "Grant permission for the Riverside cycle bridge",
            "Rhoi caniatâd i bont feicio Glan yr Afon",
        ),
        "Full permission for a cycle and footbridge over the river.",
        "Grant; refuse; defer.",
        "The bridge meets policy and the flood risk is managed.",
    ),
    (
        330,
        Maker.CABINET,
        "Cabinet",
        4,
        True,
        Status.IN_FORCE,
        (4,),
        ("library-visits",),
        ("library-services",),
        ("Open a library in the leisure centre", "Agor llyfrgell yn y ganolfan hamdden"),
        "A branch library opens inside the leisure centre.",
        "No change; move the branch; open a second branch.",
        "Visits rise where libraries share a building with other services.",
    ),
    (
        270,
        Maker.CABINET_MEMBER,
        "Cabinet member for digital and customer services",
        0,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        (
            "Accept payments by bank transfer online",
            "Derbyn taliadau drwy drosglwyddiad banc ar-lein",
        ),
        "Residents can pay council bills by open banking.",
        "Cards only; add open banking.",
        "Open banking costs less per payment than cards.",
    ),
    (
        220,
        Maker.CABINET,
        "Cabinet",
        1,
        True,
        Status.IN_FORCE,
        (0, 1, 2, 3),
        ("household-recycling-rates",),
        (),
        ("Weekly food waste collections", "Casgliadau gwastraff bwyd wythnosol"),
        "Every home gets a weekly food waste collection.",
        "Fortnightly; weekly.",
        "Weekly collections recycle most food waste, as the data from the pilot wards shows.",
    ),
    (
        180,
        Maker.OFFICER,
        "Director of Resources",
        3,
        False,
        Status.IN_FORCE,
        (),
        (),
        (),
        ("Renew the cyber insurance", "Adnewyddu'r yswiriant seiber"),
        "The council's cyber insurance is renewed for a year.",
        "Renew; go without.",
        "The premium fell after the cyber security plan.",
    ),
    (
        120,
        Maker.CABINET,
        "Cabinet",
        2,
        True,
        Status.IN_FORCE,
        (6, 7),
        (),
        (),
        ("Buy homes for temporary accommodation", "Prynu cartrefi ar gyfer llety dros dro"),
        "The council buys forty homes to use as temporary accommodation.",
        "Keep renting; buy homes.",
        "Buying costs less over ten years than renting.",
    ),
    (
        -20,
        Maker.CABINET_MEMBER,
        "Cabinet member for digital and customer services",
        0,
        False,
        Status.FORTHCOMING,
        (),
        (),
        (),
        ("Publish the council's algorithms", "Cyhoeddi algorithmau'r cyngor"),
        "A public register of the algorithms the council uses in decisions.",
        "No register; publish a register.",
        "The Algorithmic Transparency Recording Standard asks for it.",
    ),
    (
        -45,
        Maker.CABINET,
        "Cabinet",
        1,
        True,
        Status.FORTHCOMING,
        (1, 4),
        (),
        (),
        ("Extend the clean air zone", "Ymestyn y parth aer glân"),
        "Cabinet will decide whether the zone covers the ring road.",
        "Keep the zone; extend it.",
        "Readings on the ring road are above the limit.",
    ),
    (
        -110,
        Maker.CABINET,
        "Cabinet",
        0,
        True,
        Status.FORTHCOMING,
        (),
        (),
        (),
        (
            "Renew the digital strategy for 2028 onwards",
            "Adnewyddu'r strategaeth ddigidol o 2028 ymlaen",
        ),
        "Cabinet will adopt the next digital strategy.",
        "Extend the current strategy; adopt a new one.",
        "The current strategy ends in 2028.",
    ),
)


def _officer() -> Any:
    user, created = get_user_model().objects.get_or_create(
        email=f"decisions.officer@{DEMO_EMAIL_DOMAIN}",
        defaults={"display_name": "Gareth Lloyd (democratic services)", "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=DECISIONS_OFFICER))
    return user


def _datasets(slugs: tuple[str, ...], officer: Any) -> list[services.DataCited]:
    """The demo's datasets with these slugs; any the open data demo did not make is left out."""
    found = (opendata_selectors.dataset_by_id_or_name(slug, user=officer) for slug in slugs)
    return [services.DataCited(dataset_id=str(dataset.pk)) for dataset in found if dataset]


def _consultations(slugs: tuple[str, ...]) -> list[str]:
    found = (participation_selectors.consultation_for_public(slug) for slug in slugs)
    return [str(consultation.public_id) for consultation in found if consultation]


def build_leadership(context) -> None:
    officer = _officer()
    for key in Decision.objects.values_list("public_id", flat=True):
        opendata.evidence_uncite(cited_by_app=services.CITED_BY_APP, cited_by_key=str(key))
    BoardMeeting.objects.all().delete()
    Decision.objects.all().delete()
    Portfolio.objects.all().delete()
    Leader.objects.all().delete()
    for position, (kind, name, title, title_cy, directorate, directorate_cy, remit) in enumerate(
        LEADERS
    ):
        services.leader_create(
            actor=officer,
            kind=kind,
            name=name,
            job_title=title,
            job_title_cy=title_cy,
            directorate=directorate,
            directorate_cy=directorate_cy,
            remit=remit,
            email=f"{name.split()[-1].lower()}@northbridge.{DEMO_EMAIL_DOMAIN}",
            position=position,
        )
    portfolios = [
        services.portfolio_create(actor=officer, name=name, name_cy=name_cy)
        for name, name_cy in PORTFOLIOS
    ]
    wards = [ward.code for ward in context.wards()]
    today = context.now.date()
    for (
        days_ago,
        maker,
        maker_name,
        portfolio,
        key,
        status,
        ward_indexes,
        datasets,
        consultations,
        (title, title_cy),
        summary,
        options,
        reasons,
    ) in DECISIONS:
        decided_on = today - timedelta(days=days_ago)
        decision = services.decision_create(
            actor=officer,
            portfolio=portfolios[portfolio],
            maker=maker,
            maker_name=maker_name,
            maker_name_cy=MAKER_NAMES_CY[maker_name],
            decided_on=decided_on,
            status=status,
            key_decision=key,
            call_in_ends_on=decided_on + timedelta(days=5) if maker == Maker.CABINET else None,
            call_in="Called in by the overview and scrutiny committee, which asked how "
            "residents without internet access will be helped."
            if status == Status.CALLED_IN
            else "",
            ward_codes=[wards[index] for index in ward_indexes if index < len(wards)],
            data=_datasets(datasets, officer),
            consultation_ids=_consultations(consultations),
            title=title,
            title_cy=title_cy,
            summary=summary,
            options=options,
            reasons=reasons,
        )
        services.decision_publish(actor=officer, decision=decision)
    _build_board(officer, today)


# The digital board: (days ago, place, agenda, actions). An agenda item is (title, title in
# Welsh, exempt paragraph or None, minutes, title of its decision in the register or "");
# an action is (what, owner's position in LEADERS, due days after the meeting, done days
# after the meeting or None). Minutes of a meeting still to come are empty.
BOARD = (
    (
        330,
        "Committee room 2, Town Hall",
        (
            (
                "Digital strategy: a year on",
                "Y strategaeth ddigidol: blwyddyn yn ddiweddarach",
                None,
                "The chief digital officer reported on the strategy's first year. The board asked "
                "for a plan to close the gaps in services' data.",
                "",
            ),
            (
                "Council tax accounts online",
                "Cyfrifon treth gyngor ar-lein",
                None,
                "The board supported moving council tax accounts online and asked for assisted "
                "digital help in every library.",
                "Move council tax accounts online",
            ),
        ),
        (
            ("Publish a plan to close the gaps in services' data", 1, 60, 50),
            ("Agree assisted digital help with every library", 3, 90, 120),
        ),
    ),
    (
        285,
        "Committee room 2, Town Hall",
        (
            (
                "Digital champions' reports",
                "Adroddiadau'r hyrwyddwyr digidol",
                None,
                "Each directorate's champion reported the services moving online this year.",
                "",
            ),
            (
                "The service standard",
                "Y safon gwasanaeth",
                None,
                "The board agreed the standard every new online service must meet.",
                "Adopt the service standard",
            ),
        ),
        (("Train every champion in the service standard", 1, 60, 55),),
    ),
    (
        240,
        "Online",
        (
            (
                "The staff intranet",
                "Mewnrwyd y staff",
                None,
                "The board recommended replacing the intranet with the council's own content "
                "platform.",
                "Replace the staff intranet",
            ),
            (
                "Contact centre contract",
                "Contract y ganolfan gyswllt",
                3,
                "The board reviewed the bidders' prices and recommended the preferred bidder.",
                "",
            ),
        ),
        (
            ("Write the intranet's migration plan", 4, 45, 40),
            ("Train a digital champion in every team", 2, 120, None),
        ),
    ),
    (
        150,
        "Committee room 2, Town Hall",
        (
            (
                "Digital inclusion hubs",
                "Canolfannau cynhwysiant digidol",
                None,
                "The board chose the three wards for the hubs from the broadband and age data.",
                "Digital inclusion hubs in three wards",
            ),
            (
                "Cyber security plan",
                "Cynllun seiberddiogelwch",
                None,
                "The board noted the plan the audit and governance committee approved.",
                "Approve the cyber security plan",
            ),
        ),
        (
            ("Open the first digital inclusion hub", 3, 60, 55),
            ("Test the cyber incident plan with every directorate", 1, 90, None),
            ("Report the hubs' first three months to the board", 3, 130, None),
        ),
    ),
    (
        60,
        "Committee room 2, Town Hall",
        (
            (
                "Contracts as open data",
                "Contractau fel data agored",
                None,
                "The board asked for contracts over £5,000 to be published every month.",
                "Publish contracts over £5,000 as open data",
            ),
            (
                "A new customer contact system",
                "System cyswllt cwsmeriaid newydd",
                None,
                "The board agreed what the new system must do before cabinet chooses it.",
                "Choose a new customer contact system",
            ),
        ),
        (
            ("Publish the first month of contracts", 4, 30, 28),
            ("Write the customer contact system's requirements", 1, 40, None),
            ("Ask residents what they need from the contact centre", 3, 90, None),
        ),
    ),
    (
        -75,
        "Committee room 2, Town Hall",
        (
            ("Action tracker review", "Adolygu’r traciwr camau gweithredu", None, "", ""),
            ("Digital strategy refresh", "Adnewyddu’r strategaeth ddigidol", None, "", ""),
        ),
        (),
    ),
)


def _paper_pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF with the paper's title: enough for the demo's papers to open."""
    name = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return SimpleUploadedFile(f"{name}.pdf", one_page_pdf(title), content_type="application/pdf")


def _build_board(officer: Any, today) -> None:
    leaders = list(Leader.objects.order_by("position"))
    for days_ago, place, agenda, actions in BOARD:
        meets_on = today - timedelta(days=days_ago)
        held = days_ago > 0
        meeting = services.board_meeting_create(
            actor=officer,
            meets_on=meets_on,
            status=BoardMeeting.Status.HELD if held else BoardMeeting.Status.SCHEDULED,
            place=place,
            place_cy="Ar-lein" if place == "Online" else "Ystafell bwyllgor 2, Neuadd y Dref",
        )
        for position, (title, title_cy, exempt, minutes, decision_title) in enumerate(
            agenda, start=1
        ):
            services.agenda_item_create(
                actor=officer,
                meeting=meeting,
                position=position,
                title=title,
                title_cy=title_cy,
                paper_file=_paper_pdf(title),
                exempt_paragraph=exempt,
                minutes=minutes,
                decision=Decision.objects.filter(title_en_gb=decision_title).first(),
            )
        for what, owner, due_after, done_after in actions:
            action = services.board_action_create(
                actor=officer,
                meeting=meeting,
                owner=leaders[owner],
                due_on=meets_on + timedelta(days=due_after),
                what=what,
            )
            if done_after is not None:
                services.board_action_done(
                    actor=officer, action=action, done_on=meets_on + timedelta(days=done_after)
                )


#: Northbridge's self-assessed answers a year ago and now: (question, then, now, evidence
#: now). The measured questions are scored from the demo's data as of each day.
SELF_ASSESSED = (
    (
        "leadership-authority",
        2,
        4,
        "A cabinet member for digital and a chief digital officer on the leadership team; "
        "the digital board meets every two months and champions sit in each directorate.",
    ),
    (
        "leadership-members",
        2,
        3,
        "Every member elected in May was briefed on digital and data; the cabinet member "
        "champions it.",
    ),
    (
        "open-data-by-default",
        2,
        3,
        "Open data policy adopted by cabinet; the catalogue publishes under the Open "
        "Government Licence.",
    ),
    (
        "inclusion-services",
        2,
        3,
        "New services follow the service standard, with research including people with "
        "access needs.",
    ),
    (
        "inclusion-support",
        1,
        3,
        "The digital help directory lists where residents can get help online.",
    ),
    (
        "participation-online",
        3,
        4,
        "Every consultation is online in English and Welsh, and its outcome links the "
        "decision it informed.",
    ),
    (
        "market-legacy",
        1,
        2,
        "A register of contracts that lock the council in, with their end dates.",
    ),
    (
        "market-engagement",
        2,
        3,
        "The procurement pipeline is published for the coming two years.",
    ),
    (
        "decisions-analysis",
        2,
        3,
        "The data team keeps shared, documented tables that analysts query.",
    ),
)


def build_maturity(context) -> None:
    """The default framework and two published assessments a year apart, showing
    progress; running it again replaces them."""
    officer = _officer()
    MaturityAssessment.objects.all().delete()
    framework = services.maturity_framework_load(
        actor=officer, data=json.loads(maturity.DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    )
    today = context.now.date()
    for assessed_on, index in ((today - timedelta(days=365), 1), (today, 2)):
        assessment = services.maturity_assessment_start(
            actor=officer, framework=framework, assessed_on=assessed_on
        )
        for question, *levels, evidence in SELF_ASSESSED:
            services.maturity_answer(
                actor=officer,
                assessment=assessment,
                question=question,
                level=levels[index - 1],
                evidence=evidence if index == 2 else "Self-assessed by the digital board.",
            )
        services.maturity_assessment_publish(actor=officer, assessment=assessment)


#: Neighbouring councils for the comparison, all fictional (their ONS codes are in ranges
#: no real council has): name, code, type, region, and the level of each question of the
#: default framework in its order; the last assesses itself against another framework.
NEIGHBOURS = (
    ("Eastmere District Council (fictional)", "E07999901", "district", "north-west", 2),
    ("Harrowfield Council (fictional)", "E06999902", "unitary", "north-west", 3),
    ("Cyngor Sir Bryn Coed (fictional)", "W06999903", "welsh-principal-area", "wales", 4),
    (
        "Ashworth Metropolitan Borough Council (fictional)",
        "E08999904",
        "metropolitan-borough",
        "yorkshire-and-the-humber",
        None,
    ),
)


# Strategy and roadmap ---------------------------------------------------------------------

#: The demo account of the cabinet member for digital (core's demo accounts make it).
CABINET_MEMBER_EMAIL = "demo.cabinet@example.org"

# An objective per area of the guide: (area, owner's name, title, title in Welsh,
# description).
OBJECTIVES = (
    (
        "leadership",
        "Anita Shah",
        ("Lead digital from the top", "Arwain digidol o'r brig"),
        "Every directorate plans its services with a digital champion and reports progress "
        "to the digital board each quarter.",
    ),
    (
        "open-data",
        "Imran Aziz",
        ("Publish the council's data by default", "Cyhoeddi data'r cyngor yn ddiofyn"),
        "Every dataset the Local Government Transparency Code asks for is published on time, "
        "with a data dictionary, and residents can ask for more.",
    ),
    (
        "inclusion",
        "Leah Morgan",
        ("No one left behind online", "Neb yn cael ei adael ar ôl ar-lein"),
        "Residents who cannot or will not go online get the same service by phone and in "
        "person, and help to get online if they want it.",
    ),
    (
        "participation",
        "Siân Roberts",
        ("Residents shape decisions", "Trigolion yn llunio penderfyniadau"),
        "Consultations, participatory budgets and petitions run online and in person, and "
        "every consultation publishes its outcome.",
    ),
    (
        "market",
        "Anita Shah",
        ("Buy open, avoid lock-in", "Prynu'n agored, osgoi cloi i mewn"),
        "New contracts require open standards and data export, and run for no more than five "
        "years.",
    ),
    (
        "data-informed-decisions",
        "Imran Aziz",
        ("Decide with evidence", "Penderfynu gyda thystiolaeth"),
        "Every key decision cites the data and consultation outcomes behind it.",
    ),
)

# (objective index, title, title in Welsh, description)
PROGRAMMES = (
    (
        0,
        ("Customer services online", "Gwasanaethau cwsmeriaid ar-lein"),
        "Move the council's most used transactions online, designed with residents.",
    ),
    (
        1,
        ("Open data platform", "Platfform data agored"),
        "Run the council's open data on its own platform, with an API for every dataset.",
    ),
    (
        2,
        ("Digital inclusion", "Cynhwysiant digidol"),
        "Help residents get online in libraries and community centres.",
    ),
)

# (programme, title, title in Welsh, stage, starts (days from today), ends, approved £,
# spent £, published, RAG history oldest first as (days ago, rag, reason), benefits as
# (description, unit, higher is better, target, actual or None), services as (service,
# change))
PROJECTS = (
    (
        0,
        ("New contact centre system", "System canolfan gyswllt newydd"),
        "beta",
        -300,
        200,
        1_250_000,
        812_500.5,
        True,
        (
            (280, "green", ""),
            (150, "amber", "The supplier's integration with council tax slipped by six weeks."),
            (
                40,
                "red",
                "Data migration failed its second test; go-live moves from March to June and "
                "the budget needs £150,000 more.",
            ),
        ),
        (
            ("Calls answered within two minutes", "%", True, 90, 71),
            ("Cost per contact", "£", False, 3.5, 4.1),
        ),
        (
            (
                "Council tax",
                "Calls, emails and forms reach one queue, and residents can track a request.",
            ),
        ),
    ),
    (
        0,
        ("Report it online", "Rhoi gwybod ar-lein"),
        "live",
        -540,
        -30,
        180_000,
        171_250,
        True,
        ((500, "green", ""),),
        (("Reports made online", "%", True, 60, 64),),
        (("Streets and bins", "Potholes, fly-tipping and missed bins are reported online."),),
    ),
    (
        0,
        ("Book a bulky waste collection", "Archebu casgliad gwastraff swmpus"),
        "alpha",
        -60,
        150,
        95_000,
        20_000,
        True,
        ((50, "green", ""),),
        (("Bookings made online", "%", True, 75, None),),
        (("Waste", "Residents book and pay for a collection without phoning."),),
    ),
    (
        0,
        ("Apply for a parking permit", "Gwneud cais am drwydded parcio"),
        "discovery",
        -20,
        120,
        40_000,
        5_000,
        True,
        ((15, "amber", "The parking team cannot release staff to the research until May."),),
        (),
        (("Parking", "Permits are applied for and renewed online."),),
    ),
    (
        0,
        ("Housing repairs tracker", "Traciwr atgyweirio tai"),
        "discovery",
        10,
        240,
        120_000,
        0,
        False,
        ((0, "green", ""),),
        (),
        (),
    ),
    (
        1,
        ("Publish the transparency datasets", "Cyhoeddi'r setiau data tryloywder"),
        "live",
        -400,
        -60,
        60_000,
        58_000,
        True,
        ((380, "green", ""),),
        (("Transparency Code datasets on time", "%", True, 100, 92),),
        (),
    ),
    (
        1,
        ("Data dictionary for every dataset", "Geiriadur data i bob set ddata"),
        "beta",
        -120,
        90,
        45_000,
        30_000,
        True,
        ((100, "green", ""),),
        (("Datasets with a data dictionary", "%", True, 80, 55),),
        (),
    ),
    (
        1,
        ("Retire the old data portal", "Ymddeol yr hen borth data"),
        "retired",
        -700,
        -350,
        25_000,
        24_000,
        True,
        ((690, "green", ""),),
        (),
        (),
    ),
    (
        2,
        ("Digital helpers in libraries", "Cynorthwywyr digidol mewn llyfrgelloedd"),
        "live",
        -200,
        160,
        75_000,
        40_000,
        True,
        ((190, "green", ""),),
        (("Residents helped online each month", "people", True, 400, 420),),
        (("Libraries", "Trained volunteers help residents with council services online."),),
    ),
    (
        2,
        ("Device lending scheme", "Cynllun benthyg dyfeisiau"),
        "alpha",
        -90,
        270,
        110_000,
        35_000,
        True,
        (
            (80, "green", ""),
            (20, "amber", "Fewer donated laptops than planned; we are asking local employers."),
        ),
        (("Devices lent", "devices", True, 300, 120),),
        (),
    ),
    (
        1,
        ("Open data API for every dataset", "API data agored ar gyfer pob set ddata"),
        "beta",
        -150,
        120,
        70_000,
        52_000,
        True,
        ((140, "green", ""),),
        (("Datasets with an API", "%", True, 100, 85),),
        (("Open data", "Every table can be queried and filtered through the API."),),
    ),
    (
        2,
        ("Free wifi in community centres", "Wifi am ddim mewn canolfannau cymunedol"),
        "discovery",
        -30,
        300,
        90_000,
        6_000,
        True,
        ((25, "green", ""),),
        (("Community centres with free wifi", "centres", True, 12, 3),),
        (),
    ),
)


def _neighbour_scorecard(
    definition: dict, name: str, code: str, base: int | None, assessed_on
) -> dict[str, Any]:
    """A published scorecard of a fictional council in the format of /api/v1/scorecard:
    levels around `base` on the default framework, or, with no base, a small framework
    of another name (so the comparison shows one it cannot match)."""
    if base is None:
        definition = {
            "slug": "example-council-maturity",
            "version": "3",
            "name": {"en": "Example council maturity model"},
            "levels": definition["levels"],
            "sections": [
                {**section, "key": f"example-{section['key']}"}
                for section in definition["sections"][:3]
            ],
        }
        base = 3
    sections = []
    for index, section in enumerate(definition["sections"]):
        questions = []
        for number, question in enumerate(section["questions"]):
            level = max(1, min(5, base + (index + number) % 3 - 1))
            questions.append(
                {
                    "key": f"example-{question['key']}"
                    if definition["slug"] == "example-council-maturity"
                    else question["key"],
                    "text": question["text"]["en"],
                    "text_cy": question["text"].get("cy", ""),
                    "weight": question["weight"],
                    "principles": question["principles"],
                    "assessment": "self",
                    "level": level,
                    "percent": maturity.percent_of_level(level),
                    "evidence": "Fictional demonstration data.",
                    "measure": None,
                    "measured_count": None,
                    "measured_total": None,
                }
            )
        percent = maturity.weighted([(item["percent"], item["weight"]) for item in questions])
        sections.append(
            {
                "key": section["key"],
                "name": section["name"]["en"],
                "name_cy": section["name"].get("cy", ""),
                "weight": section["weight"],
                "percent": round(percent, 1),
                "questions": questions,
            }
        )
    total = maturity.weighted([(item["percent"], item["weight"]) for item in sections])
    return {
        "format": "townhall-scorecard/1",
        "council": name,
        "council_code": code,
        "framework": {
            "slug": definition["slug"],
            "version": definition["version"],
            "name": definition["name"]["en"],
            "name_cy": definition["name"].get("cy", ""),
            "levels": [
                {"level": item["level"], "name": item["name"]["en"]}
                for item in definition["levels"]
            ],
        },
        "assessed_on": assessed_on.isoformat(),
        "total": round(total, 1),
        "sections": sections,
    }


def build_compared_councils(context) -> None:
    """Four fictional neighbouring councils' scorecards imported to compare with ours,
    of different types and regions, two of them with last year's as history."""
    officer = _officer()
    framework = services.maturity_framework_load(
        actor=officer, data=json.loads(maturity.DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    )
    today = context.now.date()
    for position, (name, code, council_type, region, base) in enumerate(NEIGHBOURS):
        days = (today - timedelta(days=400), today - timedelta(days=30 * position))
        for year, assessed_on in enumerate(days if position < 2 else days[1:]):
            level = base - 1 + year if base and position < 2 else base
            data = _neighbour_scorecard(framework.definition, name, code, level, assessed_on)
            services.scorecard_import(
                actor=officer,
                raw=json.dumps(data).encode(),
                council_type=council_type,
                region=region,
            )


def build_roadmap(context) -> None:
    """Northbridge's strategy: an objective in each of the guide's six areas, three
    programmes and ten projects across the stages, one red after slipping from green and
    one a draft (link_demo_accounts gives the digital portfolio its cabinet member)."""
    from decimal import Decimal

    from .models import Objective, Programme, Project

    officer = _officer()
    Project.objects.all().delete()
    Programme.objects.all().delete()
    Objective.objects.all().delete()
    today = context.now.date()
    leaders = {leader.name: leader for leader in Leader.objects.all()}
    digital = Portfolio.objects.order_by("id").first()
    objectives = [
        services.objective_save(
            actor=officer,
            area=area,
            portfolio=digital,
            owner=leaders.get(owner),
            position=position,
            title=title,
            title_cy=title_cy,
            description=description,
        )
        for position, (area, owner, (title, title_cy), description) in enumerate(OBJECTIVES)
    ]
    programmes = [
        services.programme_save(
            actor=officer,
            objective=objectives[index],
            title=title,
            title_cy=title_cy,
            description=description,
        )
        for index, (title, title_cy), description in PROGRAMMES
    ]
    for (
        programme,
        (title, title_cy),
        stage,
        starts,
        ends,
        approved,
        spent,
        published,
        history,
        benefits,
        changes,
    ) in PROJECTS:
        (first_day, first_rag, first_reason), *later = history
        project = services.project_create(
            actor=officer,
            programme=programmes[programme],
            title=title,
            title_cy=title_cy,
            description=f"{title}: part of the {PROGRAMMES[programme][1][0].lower()} programme.",
            stage=stage,
            starts_on=today + timedelta(days=starts),
            ends_on=today + timedelta(days=ends),
            rag=first_rag,
            rag_reason=first_reason,
            budget_approved_pence=round(approved * 100),
            budget_spent_pence=round(spent * 100),
            published=published,
            rag_recorded_on=today - timedelta(days=first_day),
        )
        for days_ago, rag, reason in later:
            services.project_rag_update(
                actor=officer,
                project=project,
                rag=rag,
                reason=reason,
                recorded_on=today - timedelta(days=days_ago),
            )
        for description, unit, higher, target, actual in benefits:
            benefit = services.benefit_create(
                actor=officer,
                project=project,
                description=description,
                unit=unit,
                higher_is_better=higher,
                target_value=Decimal(str(target)),
                target_on=today + timedelta(days=ends),
            )
            if actual is not None:
                services.benefit_actual(
                    actor=officer,
                    benefit=benefit,
                    actual_value=Decimal(str(actual)),
                    measured_on=today - timedelta(days=7),
                )
        for service, change in changes:
            services.service_change_add(
                actor=officer, project=project, service=service, change=change
            )


#: The demo's councillors' accounts (core's demo accounts make them), linked in turn to a
#: councillor of each of the first wards, so that their home shows a ward.
COUNCILLOR_EMAILS = ("demo.councillor@example.org", CABINET_MEMBER_EMAIL)


def link_demo_accounts(context) -> None:
    """Once core's demo accounts exist (a late step): the digital portfolio's cabinet
    member is the demo cabinet member, and each demo councillor is linked to a serving
    councillor of a different ward. Nothing for accounts the demo did not make."""
    officer = _officer()
    found = get_user_model().objects.filter(email__in=COUNCILLOR_EMAILS)
    accounts = {account.email: account for account in found}
    digital = Portfolio.objects.order_by("id").first()
    if CABINET_MEMBER_EMAIL in accounts and digital is not None:
        services.portfolio_cabinet_member(
            actor=officer, portfolio=digital, member=accounts[CABINET_MEMBER_EMAIL]
        )
    CouncillorAccount.objects.all().delete()
    first_of_ward = {}
    for councillor, _account in selectors.councillor_accounts():
        first_of_ward.setdefault(councillor.ward_code, councillor)
    for councillor, email in zip(first_of_ward.values(), COUNCILLOR_EMAILS, strict=False):
        if email in accounts:
            services.councillor_account_link(
                actor=officer, councillor_id=councillor.pk, member=accounts[email]
            )
