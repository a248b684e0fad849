"""Elections and their ballots, named by Democracy Club's identifiers, and the candidates.

Identifiers, the voting system and the voter ID rule are never typed: the services make
them with the `uk-election-ids` package (ADR 0080) from the organisation, ward and date.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Election(models.Model):
    """One council's poll on one day (`local.northbridge.2027-05-06`) and its key dates."""

    class Nation(models.TextChoices):
        ENGLAND = "ENG", _("England")
        WALES = "WLS", _("Wales")
        SCOTLAND = "SCT", _("Scotland")

    identifier = models.CharField(_("identifier"), max_length=100, unique=True)
    organisation = models.SlugField(_("organisation"), max_length=60)
    nation = models.CharField(_("nation"), max_length=3, choices=Nation, default=Nation.ENGLAND)
    name = models.CharField(_("name"), max_length=200)
    poll_date = models.DateField(_("polling day"))
    notice_of_election = models.DateField(_("notice of election"))
    registration_deadline = models.DateField(_("registration deadline"))
    postal_vote_deadline = models.DateField(_("postal vote application deadline"))
    proxy_vote_deadline = models.DateField(_("proxy vote application deadline"))
    voting_system = models.CharField(_("voting system"), max_length=10)
    voter_id = models.CharField(_("voter ID rule"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-poll_date", "identifier"]

    def __str__(self) -> str:
        return self.name


class Ballot(models.Model):
    """One ward's ballot paper in an election (`local.northbridge.riverside.2027-05-06`)."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("election")
    )
    identifier = models.CharField(_("identifier"), max_length=150, unique=True)
    ward_code = models.CharField(_("ward code"), max_length=20)
    ward_name = models.CharField(_("ward"), max_length=200)
    ward_name_cy = models.CharField(_("ward in Welsh"), max_length=200, blank=True)
    seats_contested = models.PositiveSmallIntegerField(_("seats contested"), default=1)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["election", "ward_name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "ward_code"], name="one_ballot_per_ward")
        ]

    def __str__(self) -> str:
        return self.identifier


class Candidate(models.Model):
    """A person standing on a ballot, as the statement of persons nominated lists them."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("ballot")
    )
    name = models.CharField(_("name"), max_length=200)
    party = models.CharField(_("party"), max_length=200, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["ballot", "name"]

    def __str__(self) -> str:
        return self.name


class BallotResult(models.Model):
    """The declared count of a ballot: the candidates' votes are on each Candidate; this
    holds the figures of the ballot as a whole, from which turnout is worked out."""

    ballot = models.OneToOneField(
        Ballot, on_delete=models.CASCADE, related_name="result", verbose_name=_("ballot")
    )
    electorate = models.PositiveIntegerField(_("electorate"))
    ballot_papers_issued = models.PositiveIntegerField(_("ballot papers issued"))
    rejected_ballots = models.PositiveIntegerField(_("rejected ballots"), default=0)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        verbose_name = _("ballot result")
        verbose_name_plural = _("ballot results")
        ordering = ["ballot"]

    def __str__(self) -> str:
        return str(self.ballot)

    @property
    def turnout(self) -> float:
        """Ballot papers issued as a percentage of the electorate (as returning officers
        report it), to one decimal place."""
        return (
            round(100 * self.ballot_papers_issued / self.electorate, 1) if self.electorate else 0.0
        )


class Councillor(models.Model):
    """A member of the council for a ward, for a term. Made from an elected candidate when
    a result is declared, or by an officer (a by-election, a member before the results
    were kept here). Name, party and contact details are published: they hold public office."""

    class Route(models.TextChoices):
        ELECTION = "election", _("Elected at the ordinary election")
        BY_ELECTION = "by_election", _("Elected at a by-election")

    ward_code = models.CharField(_("ward code"), max_length=20, db_index=True)
    ward_name = models.CharField(_("ward"), max_length=200)
    ward_name_cy = models.CharField(_("ward in Welsh"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200)
    party = models.CharField(_("party"), max_length=200, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    route = models.CharField(_("elected at"), max_length=20, choices=Route, default=Route.ELECTION)
    candidate = models.OneToOneField(
        Candidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="councillor",
        verbose_name=_("candidacy"),
    )

    class Meta:
        verbose_name = _("councillor")
        verbose_name_plural = _("councillors")
        ordering = ["ward_name", "name"]

    def __str__(self) -> str:
        return self.name


class Surgery(models.Model):
    """A time and place where residents can see their councillor without an appointment."""

    councillor = models.ForeignKey(
        Councillor, on_delete=models.CASCADE, related_name="surgeries", verbose_name=_("councillor")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255)

    class Meta:
        verbose_name = _("surgery")
        verbose_name_plural = _("surgeries")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.place


class PollingStation(models.Model):
    """A place where people vote, as the council's electoral management system names it."""

    council_id = models.CharField(_("council's station reference"), max_length=100, unique=True)
    address = models.TextField(_("address"))
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    accessibility = models.TextField(_("accessibility"), blank=True)

    class Meta:
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        ordering = ["council_id"]

    def __str__(self) -> str:
        return self.address.split("\n", 1)[0]


class PollingDistrict(models.Model):
    """A polling district, by the reference the electoral register gives it, with its
    boundary (a GeoJSON Polygon or MultiPolygon in WGS84) once one has been imported.

    The station is kept as the council's station reference, not a link: an address import
    replaces every station, and the district's station must outlive it.
    """

    code = models.CharField(_("reference"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    station_council_id = models.CharField(
        _("council's station reference"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("polling district")
        verbose_name_plural = _("polling districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class PollingAddress(models.Model):
    """An address on the electoral register (by UPRN) and the station its voters go to."""

    uprn = models.CharField(_("UPRN"), max_length=12, unique=True)
    address = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=8, db_index=True)
    station = models.ForeignKey(
        PollingStation,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("polling station"),
    )
    district = models.ForeignKey(
        PollingDistrict,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="addresses",
        verbose_name=_("polling district"),
    )

    class Meta:
        verbose_name = _("polling address")
        verbose_name_plural = _("polling addresses")
        ordering = ["postcode", "address"]

    def __str__(self) -> str:
        return self.address


class ReminderSent(models.Model):
    """A reminder emailed to one subscriber to an address's reminders (core's subscription
    of kind `election_reminders`). Written in the transaction that sends the email, so a
    reminder goes once however often the worker's job runs and however many workers run
    it; it goes with the subscription (unsubscribed, or purged after polling day)."""

    class Reminder(models.TextChoices):
        REGISTER_WEEK = "register_week", _("A week before the registration deadline")
        REGISTER_DAY = "register_day", _("The day before the registration deadline")
        POLLING_DAY = "polling_day", _("The morning of polling day")

    subscription = models.ForeignKey(
        "core.Subscription",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("subscription"),
    )
    reminder = models.CharField(_("reminder"), max_length=20, choices=Reminder)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "reminder"], name="reminder_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.reminder} {self.subscription_id}"
