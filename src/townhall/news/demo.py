"""Northbridge's news: a dozen updates over the past months, across services and wards,
most with their Welsh, written and published through the services as an editor would;
and a log-only social account, so that an update published in the demo is cross-posted
to the log."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from townhall.core.demo import DEMO_EMAIL_DOMAIN

from . import services
from .manifest import NEWS_EDITOR
from .models import Service, SocialAccount, Update

SERVICES = (
    ("Bins and recycling", "Biniau ac ailgylchu"),
    ("Libraries", "Llyfrgelloedd"),
    ("Roads and transport", "Ffyrdd a thrafnidiaeth"),
    ("Parks and open spaces", "Parciau a mannau agored"),
    ("Housing", "Tai"),
    ("Council tax", "Treth gyngor"),
)

# (days ago, services by index, wards by index in the demo's ward list, English, Welsh)
# where English and Welsh are (title, summary, body); Welsh may be None.
UPDATES: tuple[tuple[int, tuple[int, ...], tuple[int, ...], tuple, tuple | None], ...] = (
    (
        3,
        (0,),
        (),
        (
            "Christmas bin collections",
            "Collections move by one or two days over Christmas and New Year.",
            "Bins due on Christmas Day are collected on **Saturday 27 December**; those due "
            "on New Year's Day on Saturday 3 January.\n\nReal trees are collected from "
            "kerbsides in the first two weeks of January.",
        ),
        (
            "Casgliadau biniau dros y Nadolig",
            "Bydd casgliadau'n symud ddiwrnod neu ddau dros y Nadolig a'r Flwyddyn Newydd.",
            "Bydd biniau sydd i fod i gael eu casglu ar Ddydd Nadolig yn cael eu casglu ddydd "
            "**Sadwrn 27 Rhagfyr**; y rhai ar Ddydd Calan ddydd Sadwrn 3 Ionawr.\n\nCaiff "
            "coed go iawn eu casglu o ymyl y ffordd yn ystod pythefnos cyntaf mis Ionawr.",
        ),
    ),
    (
        9,
        (2,),
        (3,),
        (
            "Riverside Road resurfacing starts in January",
            "Riverside Road closes overnight for four weeks while it is resurfaced.",
            "Work runs from 8pm to 6am, Monday to Friday. Buses divert along Mill Lane.\n\n"
            "- Access for residents is kept at all times\n- Parking bays are suspended "
            "section by section",
        ),
        (
            "Gwaith ail-wynebu Ffordd Glan yr Afon yn dechrau ym mis Ionawr",
            "Bydd Ffordd Glan yr Afon ar gau dros nos am bedair wythnos tra caiff ei hail-wynebu.",
            "Bydd y gwaith rhwng 8pm a 6am, o ddydd Llun i ddydd Gwener. Bydd bysiau'n "
            "dargyfeirio ar hyd Lôn y Felin.\n\n- Bydd mynediad i breswylwyr bob amser\n- "
            "Caiff mannau parcio eu hatal fesul darn",
        ),
    ),
    (
        16,
        (1,),
        (0, 1),
        (
            "Central Library opens on Sundays",
            "From January, Northbridge Central Library opens on Sundays from 11am to 4pm.",
            "Sunday opening was the change most asked for in this year's library "
            "consultation. Computers, the children's library and the café are all open.",
        ),
        (
            "Y Llyfrgell Ganolog ar agor ar ddydd Sul",
            "O fis Ionawr, bydd Llyfrgell Ganolog Northbridge ar agor ar ddydd Sul rhwng "
            "11am a 4pm.",
            "Agor ar y Sul oedd y newid y gofynnwyd amdano fwyaf yn ymgynghoriad y "
            "llyfrgelloedd eleni. Bydd y cyfrifiaduron, y llyfrgell blant a'r caffi i gyd ar "
            "agor.",
        ),
    ),
    (
        24,
        (3,),
        (2,),
        (
            "New play area at Abbey Park",
            "The play area at Abbey Park reopens with equipment for children of all abilities.",
            "The new area has a wheelchair-accessible roundabout, a sensory garden and more "
            "benches for parents and carers.",
        ),
        (
            "Ardal chwarae newydd ym Mharc yr Abaty",
            "Mae'r ardal chwarae ym Mharc yr Abaty yn ailagor gydag offer i blant o bob gallu.",
            "Mae gan yr ardal newydd gylchfan y gall cadeiriau olwyn ei defnyddio, gardd "
            "synhwyraidd a rhagor o feinciau i rieni a gofalwyr.",
        ),
    ),
    (
        37,
        (5,),
        (),
        (
            "Council tax support: apply before 31 March",
            "If your income is low you may pay less council tax. Apply online in 10 minutes.",
            "You can apply whether you rent or own your home and whether or not you work. "
            "Have your last two payslips or benefit letters to hand.",
        ),
        (
            "Cymorth y dreth gyngor: gwnewch gais cyn 31 Mawrth",
            "Os yw eich incwm yn isel, efallai y byddwch yn talu llai o dreth gyngor. Gwnewch "
            "gais ar-lein mewn 10 munud.",
            "Gallwch wneud cais p'un a ydych yn rhentu neu'n berchen ar eich cartref a ph'un "
            "a ydych yn gweithio ai peidio. Cadwch eich dwy slip cyflog neu lythyr budd-dal "
            "diwethaf wrth law.",
        ),
    ),
    (
        45,
        (0,),
        (6, 7),
        (
            "Food waste collections reach Northgate and Hillside",
            "Weekly food waste collections start in Northgate and Hillside on 1 December.",
            "Every home gets a kitchen caddy, an outdoor bin and a roll of liners. Put the "
            "outdoor bin out on your usual collection day.",
        ),
        None,
    ),
    (
        58,
        (4,),
        (4,),
        (
            "Forty new council homes at Priory Fields",
            "Building starts on 40 energy-efficient council homes at Priory Fields.",
            "The homes, half of them for families, should be ready by spring 2028. Heat pumps "
            "and solar panels keep bills low.",
        ),
        (
            "Deugain o gartrefi cyngor newydd ym Meysydd y Priordy",
            "Mae'r gwaith adeiladu'n dechrau ar 40 o gartrefi cyngor effeithlon o ran ynni "
            "ym Meysydd y Priordy.",
            "Dylai'r cartrefi, gyda hanner ohonynt ar gyfer teuluoedd, fod yn barod erbyn "
            "gwanwyn 2028. Bydd pympiau gwres a phaneli solar yn cadw biliau'n isel.",
        ),
    ),
    (
        72,
        (2,),
        (5,),
        (
            "20mph limit around St Mary's schools",
            "Streets around St Mary's primary and secondary schools become 20mph zones.",
            "The new limit applies at all times from 3 November, with signs and road "
            "markings at each entrance to the zone.",
        ),
        None,
    ),
    (
        90,
        (3,),
        (8, 9),
        (
            "Tree planting days in Westfield and Brookside",
            "Join us to plant 500 trees along the Brook Walk this autumn.",
            "Tools, gloves and hot drinks are provided. Sessions run on Saturday mornings "
            "in November; book a place at your library.",
        ),
        (
            "Diwrnodau plannu coed yn Westfield a Brookside",
            "Ymunwch â ni i blannu 500 o goed ar hyd Llwybr y Nant yr hydref hwn.",
            "Darperir offer, menig a diodydd poeth. Cynhelir sesiynau ar fore Sadwrn ym mis "
            "Tachwedd; archebwch le yn eich llyfrgell.",
        ),
    ),
    (
        110,
        (1, 3),
        (10,),
        (
            "Summer reading challenge: record numbers",
            "Over 2,000 children finished the summer reading challenge at our libraries.",
            "Oakwood Library had the most finishers for the second year running. Thank you to "
            "the volunteers who listened to children read.",
        ),
        None,
    ),
    (
        135,
        (0,),
        (11,),
        (
            "Moorend recycling centre open seven days a week",
            "The recycling centre at Moorend now opens every day from 8am to 6pm.",
            "Booking is no longer needed for cars. Vans and trailers still need a permit.",
        ),
        (
            "Canolfan ailgylchu Moorend ar agor saith diwrnod yr wythnos",
            "Mae'r ganolfan ailgylchu yn Moorend bellach ar agor bob dydd rhwng 8am a 6pm.",
            "Nid oes angen archebu lle i geir mwyach. Mae angen trwydded o hyd ar faniau a "
            "threlars.",
        ),
    ),
    (
        160,
        (5, 4),
        (),
        (
            "Your council tax explained",
            "Where each pound of your council tax goes this year, service by service.",
            "Of every pound, 41p goes to adult social care, 18p to children's services and "
            "9p to bins and recycling. The full breakdown is in the open data catalogue.",
        ),
        (
            "Esbonio eich treth gyngor",
            "I ble mae pob punt o'ch treth gyngor yn mynd eleni, fesul gwasanaeth.",
            "O bob punt, mae 41c yn mynd i ofal cymdeithasol oedolion, 18c i wasanaethau plant "
            "a 9c i finiau ac ailgylchu. Mae'r dadansoddiad llawn yn y catalog data agored.",
        ),
    ),
)


def _editor() -> Any:
    user, created = get_user_model().objects.get_or_create(
        email=f"news.editor@{DEMO_EMAIL_DOMAIN}",
        defaults={"display_name": "Ceri Lewis (communications officer)", "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=NEWS_EDITOR))
    return user


def build_news(context) -> None:
    """The services, then the updates, each written as a draft and published on its day
    (never later than now, should the demo's clock be ahead of the machine's)."""
    editor = _editor()
    Update.objects.all().delete()
    Service.objects.all().delete()
    SocialAccount.objects.all().delete()
    tags = [
        services.service_create(actor=editor, name_en=english, name_cy=welsh)
        for english, welsh in SERVICES
    ]
    wards = [ward.code for ward in context.wards()]
    for days_ago, service_indexes, ward_indexes, english, welsh in UPDATES:
        title_cy, summary_cy, body_cy = welsh or ("", "", "")
        update = services.update_create(
            actor=editor,
            title_en=english[0],
            summary_en=english[1],
            body_en=english[2],
            title_cy=title_cy,
            summary_cy=summary_cy,
            body_cy=body_cy,
            services=[tags[index] for index in service_indexes],
            ward_codes=[wards[index] for index in ward_indexes if index < len(wards)],
        )
        published_at = min(context.days_ago(days_ago), timezone.now())
        services.update_publish(actor=editor, update=update, published_at=published_at)
    # Added after the dozen, so that only what is published in the demo is cross-posted.
    SocialAccount.objects.create(kind=SocialAccount.Kind.LOG, name="Demo log channel")
