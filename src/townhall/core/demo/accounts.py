"""People to sign in as in the demo: one of each kind, with a known password.

They exist only where the setting TOWNHALL_DEMO_ACCOUNTS is true (the demo and
development settings). A known password on a public server would hand anyone the
administrator's keys, so the system check townhall.core.E003 refuses to start a
deployment that holds any of these accounts while the setting is false, and E002 refuses
the setting itself unless DEBUG is on or the server answers to loopback names alone.
"""

from dataclasses import dataclass

from django.conf import settings

from .. import roles

# Roles named by slug belong to other modules (participation declares consultation_lead and
# moderator, news news_editor, elections elections_officer, market procurement_officer
# and supplier, inclusion directory_officer and directory_partner): core imports no
# module, and a role whose module is not installed has no group, so the account is made
# without it.

#: Every demo account's password. Public on purpose: see the module's docstring.
DEMO_PASSWORD = "northbridge-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    kind: str
    email: str
    display_name: str
    roles: tuple[str, ...]
    is_staff: bool


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "Administrator",
        "demo.administrator@example.org",
        "Alex Morgan",
        (roles.ADMINISTRATOR,),
        True,
    ),
    DemoAccount(
        "Data publisher", "demo.publisher@example.org", "Dana Hughes", (roles.DATA_PUBLISHER,), True
    ),
    DemoAccount(
        "Consultation lead",
        "demo.lead@example.org",
        "Sam Okafor",
        ("consultation_lead",),
        True,
    ),
    DemoAccount("Moderator", "demo.moderator@example.org", "Mo Khan", ("moderator",), True),
    DemoAccount("News editor", "demo.news@example.org", "Nia Pritchard", ("news_editor",), True),
    DemoAccount(
        "Elections officer",
        "demo.elections@example.org",
        "Owen Price",
        ("elections_officer",),
        True,
    ),
    DemoAccount(
        "Decisions officer",
        "demo.decisions@example.org",
        "Gareth Lloyd",
        ("decisions_officer",),
        True,
    ),
    DemoAccount(
        "Procurement officer",
        "demo.procurement@example.org",
        "Priya Shah",
        ("procurement_officer",),
        True,
    ),
    DemoAccount("Supplier", "demo.supplier@example.org", "Tom Reed", ("supplier",), False),
    DemoAccount(
        "Directory officer",
        "demo.directory@example.org",
        "Ffion Davies",
        ("directory_officer",),
        True,
    ),
    # Inclusion links this account to Northbridge Libraries: it keeps their directory entries.
    DemoAccount(
        "Directory partner",
        "demo.partner@example.org",
        "Carys Lewis",
        ("directory_partner",),
        False,
    ),
    DemoAccount(
        "Assisted digital helper",
        "demo.helper@example.org",
        "Bethan Jones",
        (roles.ASSISTED_DIGITAL_HELPER,),
        True,
    ),
    DemoAccount(
        "Councillor", "demo.councillor@example.org", "Cllr Rhian Evans", (roles.COUNCILLOR,), False
    ),
    # Leadership links this account to the digital portfolio: its cabinet member.
    DemoAccount(
        "Cabinet member",
        "demo.cabinet@example.org",
        "Cllr Gareth Price",
        (roles.COUNCILLOR,),
        False,
    ),
    DemoAccount("Resident", "demo.resident@example.org", "Jo Baker", (roles.RESIDENT,), False),
)
DEMO_ACCOUNT_EMAILS = tuple(account.email for account in DEMO_ACCOUNTS)


def demo_accounts_enabled() -> bool:
    return bool(getattr(settings, "TOWNHALL_DEMO_ACCOUNTS", False))


def build_demo_accounts(context) -> None:
    """Make (or reset) the demo accounts, each with its roles, a confirmed address and the
    demo password; nothing when TOWNHALL_DEMO_ACCOUNTS is false."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from ..models import User

    if not demo_accounts_enabled():
        return
    hashed = make_password(DEMO_PASSWORD)  # Once: hashing is slow on purpose.
    for account in DEMO_ACCOUNTS:
        person, _created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "display_name": account.display_name,
                "is_staff": account.is_staff,
                "is_active": True,
                "date_joined": context.now,
                "password": hashed,
            },
        )
        person.groups.set(Group.objects.filter(name__in=account.roles))
        EmailAddress.objects.filter(user=person).exclude(email=account.email).delete()
        EmailAddress.objects.update_or_create(
            user=person, email=account.email, defaults={"verified": True, "primary": True}
        )


def sign_in_details() -> list[str]:
    """What `townhall demo` prints at its end: who to sign in as, and the password."""
    if not demo_accounts_enabled():
        return []
    width = max(len(account.kind) for account in DEMO_ACCOUNTS)
    return [
        "",
        "Sign in at http://127.0.0.1:8000/accounts/login/ as any of these people,",
        f'each with the password "{DEMO_PASSWORD}":',
        *(
            f"  {account.kind:<{width}}  {account.email}  ({account.display_name})"
            for account in DEMO_ACCOUNTS
        ),
        "Staff find their tools and the work waiting for them under Manage.",
    ]


#: Residents the demo helper signed up for the council's news, and how each got in touch.
ASSISTED_DEMO = (
    ("eira.williams@example.org", "cy", "phone"),
    ("dave.collins@example.org", "en-gb", "in_person"),
    ("mair.roberts@example.org", "cy", "partner"),
    ("ken.osei@example.org", "en-gb", "paper"),
)


def build_assisted_submissions(context) -> None:
    """A few residents' forms the demo helper filled in for them, by channel (ADR 0107):
    subscriptions to all the council's news, confirmed as if each resident had opened
    their link. Nothing when there is no demo helper or no module offers news to follow."""
    from django.utils import timezone

    from ..audit import acting_as
    from ..models import Subscription, User
    from ..selectors.subscriptions import followed_item
    from ..services.assisted import assisted_submission_record

    helper = User.objects.filter(email="demo.helper@example.org").first()
    if helper is None or followed_item("news", "all") is None:
        return
    with acting_as(helper):
        for email, language, channel in ASSISTED_DEMO:
            subscription, _created = Subscription.objects.get_or_create(
                email=email,
                kind="news",
                key="all",
                defaults={"language": language, "confirmed_at": timezone.now()},
            )
            assisted_submission_record(
                actor=helper, form="news.subscriptions", channel=channel, instance=subscription
            )
