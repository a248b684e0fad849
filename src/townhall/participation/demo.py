"""Northbridge's consultations: the library service redesign (open, hundreds of responses),
garden waste charges (outcome published) and street lighting (closed, outcome overdue).

Structure is built through the services (so the rules hold); responses, counted in
hundreds, are written with bulk_create.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from townhall.core.demo import DEMO_EMAIL_DOMAIN

from . import services
from .manifest import CONSULTATION_LEAD
from .models import Answer, Consultation, Question, Response
from .services.records import reference_draw

Kind = Question.Kind
#: Northbridge's six libraries, named as the open data's "Libraries" dataset names them
#: (opendata/demo.py), so the consultation and the data tell one story.
LIBRARIES = [
    "Northbridge Central Library",
    "Abbey Library",
    "Castle Hill Library",
    "Riverside Library",
    "Millfield Library",
    "Old Town Community Library",
]
LIBRARIES_CY = [
    "Llyfrgell Ganolog Northbridge",
    "Llyfrgell Abbey",
    "Llyfrgell Castle Hill",
    "Llyfrgell Riverside",
    "Llyfrgell Millfield",
    "Llyfrgell Gymunedol Old Town",
]
FREQUENCY = ["Every week", "Every month", "A few times a year", "Never"]
FREQUENCY_CY = ["Bob wythnos", "Bob mis", "Ychydig o weithiau'r flwyddyn", "Byth"]
PRIORITIES = [
    "Longer opening hours",
    "More computers and free wifi",
    "Activities for children",
    "Quiet space to study",
]
PRIORITIES_CY = [
    "Oriau agor hirach",
    "Mwy o gyfrifiaduron a wifi am ddim",
    "Gweithgareddau i blant",
    "Lle tawel i astudio",
]
COMMENTS = [
    "Please keep Millfield open. It is the only place my mum goes to see people.",
    "Sunday opening would help working families like ours.",
    "The computers are always busy after school. More of them please.",
    "I use the library to print forms for the council. Do not take that away.",
    "A café would make the central library feel more welcoming.",
    "Parking at Castle Hill is impossible, so I stopped going.",
    "Self-service is fine but we still need staff who can help.",
    "Rhymetime is brilliant, my toddler loves it.",
    "Opening at 8 would let me visit before work.",
    "The study space is too noisy since the refurbishment.",
]
WHY_NOT = [
    "I did not know what the library offers now.",
    "The opening hours do not fit around my shifts.",
    "I buy ebooks instead.",
    "It is too far without a car.",
]


def _staff(email: str, name: str) -> Any:
    user, created = get_user_model().objects.get_or_create(
        email=f"{email}@{DEMO_EMAIL_DOMAIN}", defaults={"display_name": name, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=CONSULTATION_LEAD))
    return user


def _consultation(context, author, *, slug: str, opened_days_ago: int, weeks: int, **fields):
    """A consultation taken through its lifecycle up to open, as its leads would."""
    opens_at = context.days_ago(opened_days_ago)
    consultation = services.consultation_create(
        actor=author,
        slug=slug,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(weeks=weeks),
        **fields,
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        public_id=uuid.UUID(int=context.random.getrandbits(128))
    )
    return consultation


def _advance(consultation, approver, *, until: str, closed_at=None) -> Consultation:
    consultation = services.consultation_approve(actor=approver, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        state=until, opened_at=consultation.opens_at, closed_at=closed_at
    )
    consultation.refresh_from_db()
    return consultation


def _library_survey(author, consultation) -> dict[str, Question]:
    page = services.survey_page_add(
        actor=author, consultation=consultation, title="Your library", title_cy="Eich llyfrgell"
    )
    frequency = services.question_add(
        actor=author,
        page=page,
        kind=Kind.SINGLE_CHOICE,
        required=True,
        text="How often do you use a Northbridge library?",
        text_cy="Pa mor aml ydych chi'n defnyddio un o lyfrgelloedd Northbridge?",
        choices=FREQUENCY,
        choices_cy=FREQUENCY_CY,
    )
    questions = {
        "frequency": frequency,
        "libraries": services.question_add(
            actor=author,
            page=page,
            kind=Kind.MULTIPLE_CHOICE,
            text="Which libraries do you use?",
            text_cy="Pa lyfrgelloedd ydych chi'n eu defnyddio?",
            choices=LIBRARIES,
            choices_cy=LIBRARIES_CY,
        ),
        "why_not": services.question_add(
            actor=author,
            page=page,
            kind=Kind.LONG_TEXT,
            text="What would make you use a library?",
            text_cy="Beth fyddai'n gwneud i chi ddefnyddio llyfrgell?",
            condition_question=frequency,
            condition_value="Never",
        ),
    }
    page = services.survey_page_add(
        actor=author, consultation=consultation, title="Our proposals", title_cy="Ein cynigion"
    )
    questions["sundays"] = services.question_add(
        actor=author,
        page=page,
        kind=Kind.SCALE,
        text="Northbridge Central Library should open on Sundays",
        text_cy="Dylai Llyfrgell Ganolog Northbridge agor ar ddydd Sul",
    )
    questions["priorities"] = services.question_add(
        actor=author,
        page=page,
        kind=Kind.RANKING,
        text="Rank these in order of importance to you",
        text_cy="Rhowch y rhain yn nhrefn eu pwysigrwydd i chi",
        choices=PRIORITIES,
        choices_cy=PRIORITIES_CY,
    )
    questions["visits"] = services.question_add(
        actor=author,
        page=page,
        kind=Kind.NUMBER,
        text="How many books did you borrow in the last month?",
        text_cy="Sawl llyfr a fenthycoch chi yn ystod y mis diwethaf?",
    )
    questions["comments"] = services.question_add(
        actor=author,
        page=page,
        kind=Kind.LONG_TEXT,
        text="Is there anything else you want to tell us?",
        text_cy="Oes unrhyw beth arall yr hoffech ei ddweud wrthym?",
    )
    page = services.survey_page_add(
        actor=author,
        consultation=consultation,
        title="Where you live",
        title_cy="Ble rydych chi'n byw",
    )
    questions["postcode"] = services.question_add(
        actor=author,
        page=page,
        kind=Kind.POSTCODE,
        text="What is your postcode?",
        text_cy="Beth yw eich cod post?",
        hint="We use this only to see which areas responses come from",
        hint_cy="Dim ond i weld o ba ardaloedd y daw ymatebion y byddwn yn defnyddio hwn",
    )
    services.survey_add_equality_monitoring(actor=author, consultation=consultation)
    return questions


def _library_answers(context, questions: dict[str, Question], postcode: str) -> list[tuple]:
    """(question, choice, text, number, rank) rows for one resident's answers."""
    rng = context.random
    rows = []
    frequency = rng.choices(FREQUENCY, weights=[30, 30, 25, 15])[0]
    rows.append((questions["frequency"], frequency, "", None, None))
    if frequency == "Never":
        rows.append((questions["why_not"], "", rng.choice(WHY_NOT), None, None))
    else:
        for library in rng.sample(LIBRARIES, rng.randint(1, 2)):
            rows.append((questions["libraries"], library, "", None, None))
    scale = questions["sundays"].choices
    rows.append(
        (questions["sundays"], rng.choices(scale, weights=[35, 30, 15, 12, 8])[0], "", None, None)
    )
    ranking = sorted(PRIORITIES, key=lambda item: rng.random() * (PRIORITIES.index(item) + 2))
    rows.extend(
        (questions["priorities"], item, "", None, rank) for rank, item in enumerate(ranking, 1)
    )
    books = rng.choice([0, 0, 1, 2, 3, 4, 6, 10])
    rows.append((questions["visits"], "", str(books), float(books), None))
    if rng.random() < 0.35:
        rows.append((questions["comments"], "", rng.choice(COMMENTS), None, None))
    if postcode:
        rows.append((questions["postcode"], postcode, "", None, None))
    for question in questions["monitoring"]:
        if rng.random() < 0.6:
            rows.append((question, rng.choice(question.choices), "", None, None))
    return rows


def _responses(
    context,
    consultation: Consultation,
    questions,
    count: int,
    *,
    start,
    end,
    signed_in: list,
    answer=_library_answers,
):
    rng = context.random
    postcodes = context.postcodes()
    channels = rng.choices(
        # The channels the demo has always drawn, so that its data stays the same.
        ["online", "paper", "phone", "email", "event"],
        weights=[80, 9, 5, 3, 3],
        k=count,
    )
    responses, answers = [], []
    for number, channel in enumerate(channels):
        submitted_at = context.random_moment(start, end)
        postcode = rng.choice(postcodes) if postcodes and rng.random() < 0.9 else None
        online_person = (
            signed_in[number] if number < len(signed_in) and channel == "online" else None
        )
        responses.append(
            Response(
                public_id=uuid.UUID(int=rng.getrandbits(128)),
                reference=reference_draw(rng.choice),
                consultation=consultation,
                respondent=online_person,
                channel=channel,
                submitted_at=submitted_at,
                submitted_on=timezone.localdate(submitted_at),
                ward_code=postcode.ward_code if postcode else "",
                idempotency_key=f"demo-{consultation.slug}-{number}",
            )
        )
        answers.append(answer(context, questions, postcode.postcode if postcode else ""))
    Response.objects.bulk_create(responses, batch_size=500)
    created = Response.objects.filter(consultation=consultation).order_by("idempotency_key")
    by_key = {response.idempotency_key: response for response in created}
    Answer.objects.bulk_create(
        (
            Answer(
                response=by_key[response.idempotency_key],
                question=question,
                choice=choice,
                text=text,
                number=number,
                rank=rank,
            )
            for response, rows in zip(responses, answers, strict=True)
            for question, choice, text, number, rank in rows
        ),
        batch_size=2000,
    )
    services.tallies_rebuild(consultation=consultation)


GARDEN_PAY = ["Yes", "Yes, if the price is right", "No, I compost it at home", "No"]
GARDEN_PAY_CY = [
    "Byddwn",
    "Byddwn, os yw'r pris yn iawn",
    "Na fyddwn, rwy'n ei gompostio gartref",
    "Na fyddwn",
]
GARDEN_PRICE = ["Nothing", "Up to £30", "£30 to £50", "More than £50"]
GARDEN_PRICE_CY = ["Dim byd", "Hyd at £30", "£30 i £50", "Mwy na £50"]
GARDEN_COMMENTS = [
    "I already pay Council Tax for this.",
    "Fine if it stays under £50 and the lorry turns up.",
    "Pensioners on a fixed income cannot afford another bill.",
    "People will just burn it or fly-tip it.",
]


def _closing_questions(author, page) -> dict[str, Question]:
    """The free comment and postcode questions the shorter demo surveys end with."""
    return {
        "comments": services.question_add(
            actor=author,
            page=page,
            kind=Kind.LONG_TEXT,
            text="Is there anything else you want to tell us?",
            text_cy="Oes unrhyw beth arall yr hoffech ei ddweud wrthym?",
        ),
        "postcode": services.question_add(
            actor=author,
            page=page,
            kind=Kind.POSTCODE,
            text="What is your postcode?",
            text_cy="Beth yw eich cod post?",
        ),
    }


def _closing_answers(rng, questions: dict[str, Question], postcode: str, comments) -> list[tuple]:
    """Answers to _closing_questions: a comment from three residents in ten, the postcode."""
    rows = []
    if rng.random() < 0.3:
        rows.append((questions["comments"], "", rng.choice(comments), None, None))
    if postcode:
        rows.append((questions["postcode"], postcode, "", None, None))
    return rows


def _garden_survey(author, consultation) -> dict[str, Question]:
    page = services.survey_page_add(
        actor=author,
        consultation=consultation,
        title="Garden waste",
        title_cy="Gwastraff gardd",
    )
    questions = {
        "pay": services.question_add(
            actor=author,
            page=page,
            kind=Kind.SINGLE_CHOICE,
            required=True,
            text="Would you pay to have your garden waste collected?",
            text_cy="A fyddech chi'n talu i gael casglu eich gwastraff gardd?",
            choices=GARDEN_PAY,
            choices_cy=GARDEN_PAY_CY,
        ),
        "price": services.question_add(
            actor=author,
            page=page,
            kind=Kind.SINGLE_CHOICE,
            text="What is the most you would pay a year?",
            text_cy="Beth yw'r mwyaf y byddech yn ei dalu bob blwyddyn?",
            choices=GARDEN_PRICE,
            choices_cy=GARDEN_PRICE_CY,
        ),
        "discount": services.question_add(
            actor=author,
            page=page,
            kind=Kind.SCALE,
            text="People on low incomes should pay less",
            text_cy="Dylai pobl ar incwm isel dalu llai",
        ),
        **_closing_questions(author, page),
    }
    services.survey_add_equality_monitoring(actor=author, consultation=consultation)
    return questions


def _garden_answers(context, questions: dict[str, Question], postcode: str) -> list[tuple]:
    """(question, choice, text, number, rank) rows: most accept a charge under £50."""
    rng = context.random
    scale = questions["discount"].choices
    rows = [
        (questions["pay"], rng.choices(GARDEN_PAY, weights=[25, 35, 15, 25])[0], "", None, None),
        (
            questions["price"],
            rng.choices(GARDEN_PRICE, weights=[25, 30, 35, 10])[0],
            "",
            None,
            None,
        ),
        (questions["discount"], rng.choices(scale, weights=[40, 30, 15, 10, 5])[0], "", None, None),
    ]
    rows.extend(_closing_answers(rng, questions, postcode, GARDEN_COMMENTS))
    for question in questions["monitoring"]:
        if rng.random() < 0.6:
            rows.append((question, rng.choice(question.choices), "", None, None))
    return rows


LIGHTING_SUPPORT = ["Yes", "Yes, but not on main roads", "No", "Not sure"]
LIGHTING_SUPPORT_CY = ["Ydw", "Ydw, ond nid ar y prif ffyrdd", "Nac ydw", "Ddim yn siŵr"]
LIGHTING_OUT = ["Most nights", "Once or twice a week", "Rarely", "Never"]
LIGHTING_OUT_CY = [
    "Y rhan fwyaf o nosweithiau",
    "Unwaith neu ddwywaith yr wythnos",
    "Anaml",
    "Byth",
]
LIGHTING_COMMENTS = [
    "I walk home from the late shift at the hospital. Please keep the lights on.",
    "Saving energy is right, but not near the station.",
    "Our street is quiet; nobody is out at 2am. Dim them.",
    "Dimmed lights would make the underpass feel unsafe.",
    "Good idea if the money goes back into fixing broken lights.",
    "Could you use motion sensors instead of dimming everything?",
]


def _lighting_survey(author, consultation) -> dict[str, Question]:
    page = services.survey_page_add(
        actor=author,
        consultation=consultation,
        title="Street lights at night",
        title_cy="Goleuadau stryd yn y nos",
    )
    return {
        "support": services.question_add(
            actor=author,
            page=page,
            kind=Kind.SINGLE_CHOICE,
            required=True,
            text="Do you support dimming street lights between midnight and 5am?",
            text_cy="Ydych chi'n cefnogi pylu goleuadau stryd rhwng hanner nos a 5am?",
            choices=LIGHTING_SUPPORT,
            choices_cy=LIGHTING_SUPPORT_CY,
        ),
        "out": services.question_add(
            actor=author,
            page=page,
            kind=Kind.SINGLE_CHOICE,
            text="How often are you out on foot after midnight?",
            text_cy="Pa mor aml ydych chi allan ar droed ar ôl hanner nos?",
            choices=LIGHTING_OUT,
            choices_cy=LIGHTING_OUT_CY,
        ),
        "safe": services.question_add(
            actor=author,
            page=page,
            kind=Kind.SCALE,
            text="I would feel safe walking in my area with dimmed lights",
            text_cy="Byddwn yn teimlo'n ddiogel yn cerdded yn fy ardal gyda goleuadau wedi'u pylu",
        ),
        **_closing_questions(author, page),
    }


def _lighting_answers(context, questions: dict[str, Question], postcode: str) -> list[tuple]:
    """(question, choice, text, number, rank) rows for one resident's view on dimming."""
    rng = context.random
    rows = [
        (
            questions["support"],
            rng.choices(LIGHTING_SUPPORT, weights=[35, 30, 28, 7])[0],
            "",
            None,
            None,
        ),
        (questions["out"], rng.choices(LIGHTING_OUT, weights=[8, 17, 40, 35])[0], "", None, None),
    ]
    scale = questions["safe"].choices
    rows.append(
        (questions["safe"], rng.choices(scale, weights=[15, 25, 20, 25, 15])[0], "", None, None)
    )
    rows.extend(_closing_answers(rng, questions, postcode, LIGHTING_COMMENTS))
    return rows


PROPOSALS = [
    (
        "Drinking fountains in every park",
        "Refill stations by the play areas would cut plastic bottles.",
    ),
    ("Later closing for Eastgate Park in summer", "The gates shut at 6pm even in June."),
    (
        "A dog-free area in Riverside Park",
        "Children need somewhere to play safely off the lead area.",
    ),
    ("Wildflower verges instead of mowing", "Less mowing saves money and helps bees."),
    ("Outdoor gym equipment", "Free exercise for people who cannot afford a gym."),
    ("Better lighting on the river path", "The path is very dark on winter evenings."),
    ("Community growing beds", "Raised beds residents can adopt and look after."),
    ("More bins near the bandstand", "The bins overflow every weekend."),
]
PROPOSAL_COMMENTS = [
    "Yes please, I walk here every day.",
    "Would this cost much to maintain?",
    "Great idea, my children would love it.",
    "Could the council ask local businesses to sponsor it?",
]


def _proposals(context, lead) -> None:
    from .models import Comment, Proposal, ProposalProcess, Support

    ProposalProcess.objects.filter(slug="parks-ideas").delete()
    process = services.proposals_process_create(
        actor=lead,
        slug="parks-ideas",
        title="Ideas for Northbridge's parks",
        title_cy="Syniadau ar gyfer parciau Northbridge",
        description_cy=("Dywedwch wrthym sut i wella ein parciau. Byddwn yn ymateb i bob cynnig."),
        description="Tell us how to make our parks better. We will respond to every proposal.",
    )
    # The process has been taking ideas for four months: its proposals, supports and
    # comments are spread over that time, each after what it answers.
    opened = context.days_ago(120)
    ProposalProcess.objects.filter(pk=process.pk).update(created_at=opened, opens_at=opened)
    people = context.people(context.scale(small=30, large=100))
    held_comment = "Cheap loans, buy now at www.loans.example www.loans.example www.loans.example"
    statuses = [choice for choice, _label in Proposal.Status.choices]
    for number, (title, body) in enumerate(PROPOSALS):
        author = people[number % len(people)]
        proposal = Proposal.objects.create(
            process=process,
            title=title,
            body=body,
            author=author,
            public_id=uuid.UUID(int=context.random.getrandbits(128)),
            status=statuses[number % len(statuses)],
        )
        if proposal.status == Proposal.Status.NOT_TAKEN_FORWARD:
            proposal.council_response = "We cannot fund this in 2027; we will look again next year."
        elif proposal.status != Proposal.Status.UNDER_REVIEW:
            proposal.council_response = "Thank you. We are adding this to the parks plan."
        supporters = context.random.sample(people, context.random.randint(0, len(people) // 2))
        supports = Support.objects.bulk_create(
            Support(proposal=proposal, person=person) for person in supporters
        )
        proposal.support_count = len(supporters)
        proposal.save()
        services.proposal_follow(actor=author, proposal=proposal)
        posted = context.random_moment(opened, context.days_ago(20))
        if proposal.council_response:
            proposal.responded_at = context.random_moment(posted, context.days_ago(3))
            Proposal.objects.filter(pk=proposal.pk).update(responded_at=proposal.responded_at)
        Proposal.objects.filter(pk=proposal.pk).update(created_at=posted)
        for support in supports:
            Support.objects.filter(pk=support.pk).update(
                created_at=context.random_moment(posted, context.now)
            )
        if number == 0:
            held = Comment.objects.create(
                proposal=proposal,
                author=people[-1],
                body=held_comment,
                visibility=Comment.Visibility.PENDING,
                report_count=2,
            )
            Comment.objects.filter(pk=held.pk).update(
                created_at=context.random_moment(context.days_ago(4), context.days_ago(1))
            )
        parent, said_at = None, posted
        for text in context.random.sample(PROPOSAL_COMMENTS, context.random.randint(0, 3)):
            # Each comment comes after the one before it (so a reply after its parent),
            # within about a fortnight, and before the demo's "now".
            said_at = context.random_moment(
                said_at + timedelta(minutes=5),
                min(said_at + timedelta(days=14), context.days_ago(1)),
            )
            parent = Comment.objects.create(
                proposal=proposal,
                author=context.pick(people),
                body=text,
                parent=parent if context.random.random() < 0.5 else None,
            )
            Comment.objects.filter(pk=parent.pk).update(created_at=said_at)


BUDGET_PROJECTS = [
    ("New play equipment at Millbrook Rec", 85_000_00),
    ("Repair the Eastgate skate park", 40_000_00),
    ("Street trees along Station Road", 30_000_00),
    ("Free swimming lessons for year 6", 25_000_00),
    ("Community fridge at Riverside Hall", 12_000_00),
    ("Bike shelters at three schools", 18_000_00),
    ("Youth club evening sessions", 60_000_00),
    ("Accessible toilets at the bandstand", 95_000_00),
]


def _budget(context, lead) -> None:
    """The Neighbourhood Fund, voted on and in delivery: proposals to results."""
    from .models import Ballot, Budget, BudgetProject, EligibleVoter

    Ballot.objects.filter(budget__slug="neighbourhood-fund").delete()
    Budget.objects.filter(slug="neighbourhood-fund").delete()
    budget = services.budget_create(
        actor=lead,
        slug="neighbourhood-fund",
        title="Northbridge Neighbourhood Fund 2026",
        title_cy="Cronfa Gymdogaeth Northbridge 2026",
        description_cy=(
            "£250,000 ar gyfer prosiectau y mae trigolion yn eu dewis. Gall pob preswylydd "
            "16 oed neu hŷn bleidleisio unwaith."
        ),
        description="£250,000 for projects residents choose. Every resident aged 16 or over can vote once.",
        total_pence=250_000_00,
        ballot_kind=Budget.BallotKind.KNAPSACK,
    )
    people = context.people(context.scale(small=30, large=100))
    for number, (title, cost) in enumerate(BUDGET_PROJECTS):
        BudgetProject.objects.create(
            budget=budget,
            title=title,
            description=f"{title}, proposed by a resident.",
            cost_pence=cost,
            proposer=people[number % len(people)],
            assessment=BudgetProject.Assessment.FEASIBLE
            if number != 7
            else BudgetProject.Assessment.NOT_FEASIBLE,
            assessment_note=""
            if number != 7
            else "The bandstand is listed; the design needs consent first.",
        )
    feasible = list(budget.projects.filter(assessment=BudgetProject.Assessment.FEASIBLE))
    voters = EligibleVoter.objects.bulk_create(
        EligibleVoter(budget=budget, key_hash=f"demo-{number:05d}")
        for number in range(context.scale(small=80, large=400))
    )
    Budget.objects.filter(pk=budget.pk).update(phase=Budget.Phase.VOTING)
    ballots = Ballot.objects.bulk_create(Ballot(budget=budget, voter=voter) for voter in voters)
    choices = []
    for ballot in ballots:
        remaining = budget.total_pence
        for project in context.random.sample(feasible, len(feasible)):
            if project.cost_pence <= remaining and context.random.random() < 0.5:
                remaining -= project.cost_pence
                choices.append(Ballot.projects.through(ballot=ballot, budgetproject=project))
    Ballot.projects.through.objects.bulk_create(choices)
    budget.refresh_from_db()
    budget = services.budget_advance(actor=lead, budget=budget, phase=Budget.Phase.RESULTS)
    Budget.objects.filter(pk=budget.pk).update(results_published_at=context.days_ago(60))
    for project, (delivery, percent) in zip(
        budget.projects.filter(selected=True),
        [("done", 100), ("in_progress", 60), ("in_progress", 20)],
        strict=False,
    ):
        services.project_progress(actor=lead, project=project, delivery=delivery, percent=percent)


#: The Green Streets Fund, open for voting: (title, Welsh title, description, Welsh
#: description, cost in pence). Together they cost more than the fund, so a voter chooses.
GREEN_STREETS_PROJECTS = [
    (
        "Planters and benches on Market Street",
        "Planwyr a meinciau ar Stryd y Farchnad",
        "Twelve large planters with seating along Market Street, planted with "
        "bee-friendly flowers and looked after by the Market Street traders.",
        "Deuddeg planwr mawr gyda seddi ar hyd Stryd y Farchnad, wedi'u plannu â blodau "
        "sy'n dda i wenyn a than ofal masnachwyr Stryd y Farchnad.",
        18_000_00,
    ),
    (
        "Safer crossing outside Millbrook Primary",
        "Croesfan fwy diogel y tu allan i Ysgol Gynradd Millbrook",
        "A raised zebra crossing with flashing beacons on Mill Lane, where parents say "
        "cars do not slow down at school time.",
        "Croesfan sebra uchel gyda goleuadau sy'n fflachio ar Lôn y Felin, lle mae rhieni'n "
        "dweud nad yw ceir yn arafu adeg yr ysgol.",
        32_000_00,
    ),
    (
        "Street trees in Eastgate",
        "Coed stryd yn Eastgate",
        "Twenty new street trees on the terraced streets of Eastgate, which have almost "
        "no shade in summer, with three years of watering.",
        "Ugain o goed stryd newydd ar strydoedd teras Eastgate, lle nad oes fawr ddim "
        "cysgod yn yr haf, gyda thair blynedd o ddyfrio.",
        24_000_00,
    ),
    (
        "Community garden at Riverside Hall",
        "Gardd gymunedol yn Neuadd Riverside",
        "Raised beds, a shed and a water butt behind Riverside Hall, so neighbours "
        "without gardens can grow food together.",
        "Gwelyau uchel, sied a chasgen ddŵr y tu ôl i Neuadd Riverside, fel y gall "
        "cymdogion heb erddi dyfu bwyd gyda'i gilydd.",
        9_500_00,
    ),
    (
        "Cycle racks at the high street and station",
        "Raciau beiciau ar y stryd fawr ac yn yr orsaf",
        "Forty covered cycle racks at the high street and Northbridge station, where "
        "bikes are now locked to railings.",
        "Deugain o raciau beiciau dan do ar y stryd fawr ac yng ngorsaf Northbridge, lle "
        "mae beiciau'n cael eu cloi wrth reiliau ar hyn o bryd.",
        12_000_00,
    ),
    (
        "Wildflower verges along the ring road",
        "Ymylon blodau gwyllt ar hyd y ffordd gylch",
        "Sowing wildflowers on two kilometres of ring-road verges and mowing them twice "
        "a year instead of every month.",
        "Hau blodau gwyllt ar ddau gilometr o ymylon y ffordd gylch a'u torri ddwywaith "
        "y flwyddyn yn lle bob mis.",
        6_500_00,
    ),
]
#: How many demo postal codes the Green Streets Fund accepts: DEMO-VOTE-0001 to this.
GREEN_STREETS_DEMO_CODES = 50


def _budget_in_voting(context, lead) -> None:
    """The Green Streets Fund, open for voting, so anyone trying the demo can vote: with a
    postal code from DEMO-VOTE-0001 to DEMO-VOTE-0050 (each good for one ballot)."""
    from .models import Ballot, Budget, BudgetProject, EligibleVoter
    from .services.budgeting import voter_code_key

    Ballot.objects.filter(budget__slug="green-streets-fund").delete()
    Budget.objects.filter(slug="green-streets-fund").delete()
    budget = services.budget_create(
        actor=lead,
        slug="green-streets-fund",
        title="Green Streets Fund 2027",
        title_cy="Cronfa Strydoedd Gwyrdd 2027",
        description=(
            "£60,000 for greener, safer streets. Choose the projects you would fund, as "
            "long as together they cost no more than £60,000.\n\n"
            "In this demo, vote with one of the codes DEMO-VOTE-0001 to DEMO-VOTE-0050 "
            "(each works once)."
        ),
        description_cy=(
            "£60,000 ar gyfer strydoedd gwyrddach a mwy diogel. Dewiswch y prosiectau y "
            "byddech yn eu hariannu, cyn belled nad ydynt gyda'i gilydd yn costio mwy na "
            "£60,000.\n\n"
            "Yn y demo hwn, pleidleisiwch gydag un o'r codau DEMO-VOTE-0001 i DEMO-VOTE-0050 "
            "(mae pob un yn gweithio unwaith)."
        ),
        total_pence=60_000_00,
        ballot_kind=Budget.BallotKind.KNAPSACK,
    )
    people = context.people(context.scale(small=30, large=100))
    for number, (title, title_cy, description, description_cy, cost) in enumerate(
        GREEN_STREETS_PROJECTS
    ):
        BudgetProject.objects.create(
            budget=budget,
            title=title,
            title_cy=title_cy,
            description=description,
            description_cy=description_cy,
            cost_pence=cost,
            proposer=people[(number * 7) % len(people)],
            assessment=BudgetProject.Assessment.FEASIBLE,
        )
    EligibleVoter.objects.bulk_create(
        EligibleVoter(budget=budget, key_hash=voter_code_key(budget, f"DEMO-VOTE-{number:04d}"))
        for number in range(1, GREEN_STREETS_DEMO_CODES + 1)
    )
    services.budget_advance(actor=lead, budget=budget, phase=Budget.Phase.VOTING)


def _remove_previous(slugs: list[str]) -> None:
    Answer.objects.filter(response__consultation__slug__in=slugs).delete()
    Response.objects.filter(consultation__slug__in=slugs).delete()
    Consultation.objects.filter(slug__in=slugs).delete()


def build_participation(context) -> None:
    slugs = ["library-services", "garden-waste-charges", "street-lighting"]
    _remove_previous(slugs)
    author = _staff("consultation.lead", "Priya Patel (consultation lead)")
    approver = _staff("head.of.engagement", "Gareth Morgan (head of engagement)")
    wards = [ward.code for ward in context.wards()]

    library = _consultation(
        context,
        author,
        slug="library-services",
        title="Redesigning Northbridge's library service",
        title_cy="Ailgynllunio gwasanaeth llyfrgell Northbridge",
        summary_cy=(
            "Rydym am wybod sut rydych chi'n defnyddio llyfrgelloedd cyn i ni benderfynu ar "
            "oriau agor, safleoedd a gwasanaethau ar gyfer 2027 i 2030."
        ),
        description_cy=(
            "Mae ein chwe llyfrgell yn costio £3.1 miliwn y flwyddyn i'w rhedeg. Mae nifer yr "
            "ymweliadau wedi gostwng o draean ers 2019, tra bo'r defnydd o gyfrifiaduron a "
            "gweithgareddau i blant wedi cynyddu.\n\n"
            "Rydym yn cynnig:\n\n- agor Llyfrgell Ganolog Northbridge ar ddydd Sul\n- adeilad "
            "a rennir ar gyfer Llyfrgell Millfield a'r ganolfan gymunedol\n- mwy o "
            "hunanwasanaeth yn llyfrgelloedd Abbey, Castle Hill a Riverside"
        ),
        decision_title_cy="Cabinet: Strategaeth Llyfrgelloedd 2027 i 2030 (Mawrth 2027)",
        summary="We want to know how you use libraries before we decide opening hours, sites and services for 2027 to 2030.",
        description=(
            "Our six libraries cost £3.1 million a year to run. Visits have fallen by a third "
            "since 2019 while use of computers and children's activities has grown.\n\n"
            "We are proposing:\n\n- Sunday opening at Northbridge Central Library\n- a "
            "shared building for Millfield Library and the community centre\n- more "
            "self-service at Abbey, Castle Hill and Riverside libraries"
        ),
        service_area="Libraries and culture",
        ward_codes=[],
        decision_title="Cabinet: Library Strategy 2027 to 2030 (March 2027)",
        decision_url="https://democracy.northbridge.example/library-strategy-2027",
        opened_days_ago=42,
        weeks=12,
    )
    questions = _library_survey(author, library)
    questions["monitoring"] = list(library.questions.exclude(monitoring_topic=""))
    services.document_add(
        actor=author,
        consultation=library,
        title="Library strategy consultation document",
        title_cy="Dogfen ymgynghori strategaeth y llyfrgelloedd",
        url="https://www.northbridge.example/documents/library-strategy.pdf",
    )
    services.document_add(
        actor=author,
        consultation=library,
        title="Library strategy in Easy Read",
        title_cy="Strategaeth y llyfrgelloedd mewn fformat Hawdd ei Ddeall",
        kind="easy_read",
        url="https://www.northbridge.example/documents/library-strategy-easy-read.pdf",
    )
    services.document_add(
        actor=author,
        consultation=library,
        title="Library strategy in Welsh",
        title_cy="Strategaeth y llyfrgelloedd",
        kind="welsh",
        url="https://www.northbridge.example/documents/library-strategy-cy.pdf",
    )
    services.dataset_reference_add(
        actor=author,
        consultation=library,
        dataset_slug="library-visits",
        title="Library visits and loans by branch",
    )
    library = _advance(library, approver, until=Consultation.State.OPEN)
    signed_in = context.people(context.scale(small=30, large=100))
    _responses(
        context,
        library,
        questions,
        context.scale(small=120, large=600),
        start=library.opens_at,
        end=context.now,
        signed_in=signed_in,
    )

    garden = _consultation(
        context,
        author,
        slug="garden-waste-charges",
        title="Charging for garden waste collections",
        title_cy="Codi tâl am gasglu gwastraff gardd",
        summary="Should the council charge for collecting garden waste, and how much?",
        summary_cy="A ddylai'r cyngor godi tâl am gasglu gwastraff gardd, a faint?",
        decision_title_cy="Cabinet: Gwasanaeth gwastraff gardd (Mehefin 2026)",
        service_area="Waste and recycling",
        ward_codes=wards[:6],
        decision_title="Cabinet: Garden waste service (June 2026)",
        opened_days_ago=300,
        weeks=8,
    )
    garden_questions = _garden_survey(author, garden)
    garden_questions["monitoring"] = list(garden.questions.exclude(monitoring_topic=""))
    closed_at = garden.closes_at
    garden = _advance(garden, approver, until=Consultation.State.ANALYSING, closed_at=closed_at)
    _responses(
        context,
        garden,
        garden_questions,
        context.scale(small=40, large=120),
        start=garden.opens_at,
        end=closed_at,
        signed_in=[],
        answer=_garden_answers,
    )
    services.outcome_publish(
        actor=author,
        consultation=garden,
        you_said="Most of you accepted a charge if it stayed under £50 a year, and asked for a discount for people on low incomes.",
        we_did="Cabinet set the charge at £45 a year with a half-price discount for people on Council Tax Support.",
        what_changed="The proposed charge came down from £60 to £45, and the discount was added because of what you said.",
        decision_title="Cabinet: Garden waste service (June 2026)",
        decision_url="https://democracy.northbridge.example/garden-waste-2026",
        you_said_cy=(
            "Roedd y rhan fwyaf ohonoch yn derbyn tâl pe bai'n aros o dan £50 y flwyddyn, a "
            "gofynnoch am ostyngiad i bobl ar incwm isel."
        ),
        we_did_cy=(
            "Pennodd y Cabinet y tâl ar £45 y flwyddyn, gyda gostyngiad o hanner pris i bobl "
            "sy'n cael Cymorth Treth Gyngor."
        ),
        what_changed_cy=(
            "Gostyngodd y tâl arfaethedig o £60 i £45, ac ychwanegwyd y gostyngiad oherwydd yr "
            "hyn a ddywedoch chi."
        ),
        decision_title_cy="Cabinet: Gwasanaeth gwastraff gardd (Mehefin 2026)",
    )
    published_at = closed_at + timedelta(weeks=10)
    Consultation.objects.filter(pk=garden.pk).update(outcome_published_at=published_at)
    garden.outcome.__class__.objects.filter(consultation=garden).update(published_at=published_at)

    _proposals(context, author)
    _budget(context, author)
    _budget_in_voting(context, author)

    lighting = _consultation(
        context,
        author,
        slug="street-lighting",
        title="Dimming street lights after midnight",
        title_cy="Pylu goleuadau stryd ar ôl hanner nos",
        summary="We proposed dimming street lights between midnight and 5am to save energy.",
        summary_cy=("Fe wnaethom gynnig pylu goleuadau stryd rhwng hanner nos a 5am i arbed ynni."),
        service_area="Highways",
        ward_codes=wards[6:],
        opened_days_ago=200,
        weeks=6,
    )
    lighting_questions = _lighting_survey(author, lighting)
    lighting = _advance(
        lighting, approver, until=Consultation.State.ANALYSING, closed_at=lighting.closes_at
    )
    # Closed and under analysis, with its outcome overdue: its responses are in for the
    # lead to analyse.
    _responses(
        context,
        lighting,
        lighting_questions,
        context.scale(small=60, large=240),
        start=lighting.opens_at,
        end=lighting.closes_at,
        signed_in=[],
        answer=_lighting_answers,
    )
