"""Challenges the council puts to the market, the suppliers who answer them, their private
questions and the published answers, the procurement pipeline and the contracts awarded.

A challenge keeps the ids of the open datasets it offers suppliers as evidence; open data
holds the citations (cited by "market" and the challenge's public id) once it is public,
so a draft never shows on a dataset's page (as leadership's decisions, ADR 0090); money is integer pence; moments are stored in UTC and shown in
Europe/London.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core.text import multi_line_text, single_line_text
from townhall.core.uploads import private_storage, unguessable_name

#: What suppliers say they can do and challenges say they need: the council's own
#: CPV-like categories, by stable code.
CAPABILITIES = (
    ("digital", _("Digital services and software")),
    ("data", _("Data, analytics and research")),
    ("waste", _("Waste collection and recycling")),
    ("highways", _("Highways, transport and parking")),
    ("buildings", _("Buildings, energy and maintenance")),
    ("care", _("Social care and health")),
    ("community", _("Community, voluntary and advice services")),
    ("consultancy", _("Consultancy and training")),
)


def _private_storage() -> FileSystemStorage:
    """Expressions of interest are never public: only `response_document`, which checks
    who is asking, serves them."""
    return private_storage("market")


def _response_upload_to(response: "ExpressionOfInterest", filename: str) -> str:
    return unguessable_name("responses", filename)


class Supplier(models.Model):
    """An organisation that registered to work with the council, and the account that did."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supplier",
        verbose_name=_("account"),
    )
    name = models.CharField(_("organisation name"), max_length=200, validators=[single_line_text])
    company_number = models.CharField(_("Companies House number"), max_length=8, blank=True)
    sme = models.BooleanField(_("small or medium-sized enterprise"), default=False)
    voluntary_sector = models.BooleanField(_("voluntary or community sector"), default=False)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    areas_served = models.JSONField(_("areas served"), default=list, blank=True)
    contact_name = models.CharField(
        _("contact name"), max_length=200, blank=True, validators=[single_line_text]
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~models.Q(company_number=""),
                name="market_supplier_company_number_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    """A problem a service area puts to the market before any procurement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Open")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    service_area = models.CharField(
        _("service area"), max_length=200, validators=[single_line_text]
    )
    problem = models.TextField(_("the problem"), validators=[multi_line_text])
    affected = models.TextField(_("who it affects"), validators=[multi_line_text])
    outcomes = models.TextField(_("outcomes sought"), validators=[multi_line_text])
    constraints = models.TextField(_("constraints"), blank=True, validators=[multi_line_text])
    timeline = models.TextField(_("timeline"), blank=True, validators=[multi_line_text])
    market_questions = models.TextField(
        _("questions for the market"), blank=True, validators=[multi_line_text]
    )
    capabilities = models.JSONField(_("capabilities needed"), default=list, blank=True)
    dataset_ids = models.JSONField(_("open datasets offered"), default=list, blank=True)
    budget_min_pence = models.BigIntegerField(_("lowest budget"), null=True, blank=True)
    budget_max_pence = models.BigIntegerField(_("highest budget"), null=True, blank=True)
    questions_deadline = models.DateTimeField(_("deadline for questions"))
    response_deadline = models.DateTimeField(_("deadline for responses"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ExpressionOfInterest(models.Model):
    """A supplier's short proposal or expression of interest in a challenge: theirs and
    the council's alone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="responses")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="responses")
    summary = models.TextField(_("your proposal"), validators=[multi_line_text])
    attachment = models.FileField(
        _("supporting document"),
        storage=_private_storage,
        upload_to=_response_upload_to,
        blank=True,
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "supplier"], name="market_response_once_per_supplier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.challenge}"


class Question(models.Model):
    """A supplier's private clarification question, and the council's anonymised answer
    published to everyone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    text = models.TextField(_("question asked"), validators=[multi_line_text])
    published_question = models.TextField(
        _("question as published"), blank=True, validators=[multi_line_text]
    )
    answer = models.TextField(_("answer"), blank=True, validators=[multi_line_text])
    asked_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{_('Question')} {self.pk}"


class Procurement(models.Model):
    """A forthcoming procurement in the council's pipeline."""

    class Route(models.TextChoices):
        OPEN = "open", _("Open procedure")
        COMPETITIVE_FLEXIBLE = "competitive_flexible", _("Competitive flexible procedure")
        DIRECT_AWARD = "direct_award", _("Direct award")
        FRAMEWORK = "framework", _("Call-off from a framework")
        BELOW_THRESHOLD = "below_threshold", _("Below-threshold quotation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        TENDERING = "tendering", _("Tendering")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), validators=[multi_line_text])
    service_area = models.CharField(
        _("service area"), max_length=200, validators=[single_line_text]
    )
    estimated_value_pence = models.BigIntegerField(_("estimated value"))
    route = models.CharField(_("procurement route"), max_length=30, choices=Route)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PLANNED, db_index=True
    )
    tender_publication_on = models.DateField(_("tender to be published"))
    contract_start_on = models.DateField(_("contract starts"))
    contract_end_on = models.DateField(_("contract ends"))
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="procurements",
        verbose_name=_("challenge it follows"),
    )
    uk2_omitted_reason = models.TextField(
        _("why no preliminary market engagement notice was published"),
        blank=True,
        validators=[multi_line_text],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("pipeline procurement")
        verbose_name_plural = _("pipeline procurements")
        ordering = ["tender_publication_on", "id"]

    def __str__(self) -> str:
        return self.title


class Contract(models.Model):
    """A contract awarded at the end of a procurement."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procurement = models.ForeignKey(Procurement, on_delete=models.PROTECT, related_name="contracts")
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("supplier")
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    value_pence = models.BigIntegerField(_("contract value"))
    awarded_on = models.DateField(_("date awarded"))
    start_on = models.DateField(_("contract starts"))
    end_on = models.DateField(_("contract ends"))
    competed = models.BooleanField(_("awarded after an invitation to quote or tender"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("awarded contract")
        verbose_name_plural = _("awarded contracts")
        ordering = ["-awarded_on", "-id"]

    def __str__(self) -> str:
        return self.title


# Procurement Act 2023 notices ------------------------------------------------------------------


class NoticeChanged(Exception):
    """A published notice was about to be changed: notices are immutable (ADR 0115)."""


class Notice(models.Model):
    """A Procurement Act 2023 early-engagement notice as published: the OCDS planning
    release is stored as it was released and never changed; a correction is a new notice
    with a new release id (ADR 0115)."""

    class Kind(models.TextChoices):
        UK1 = "UK1", _("UK1 pipeline notice")
        UK2 = "UK2", _("UK2 preliminary market engagement notice")
        UK3 = "UK3", _("UK3 planned procurement notice")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("notice"), max_length=3, choices=Kind, db_index=True)
    ocid = models.CharField(max_length=120, db_index=True)
    release_id = models.CharField(max_length=200, unique=True)
    procurement = models.ForeignKey(
        Procurement, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    purpose = models.TextField(
        _("purpose of the engagement"), blank=True, validators=[multi_line_text]
    )
    participation = models.TextField(
        _("how suppliers take part"), blank=True, validators=[multi_line_text]
    )
    engagement_start_on = models.DateField(_("engagement starts"), null=True, blank=True)
    engagement_end_on = models.DateField(_("engagement ends"), null=True, blank=True)
    release = models.JSONField()
    published_at = models.DateTimeField(db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("procurement notice")
        verbose_name_plural = _("procurement notices")
        ordering = ["published_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(procurement__isnull=False) | models.Q(challenge__isnull=False),
                name="market_notice_about_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.release_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise NoticeChanged(f"Notice {self.release_id} is published and cannot change.")
        super().save(*args, **kwargs)


# Market engagement events (#12 item 4) -------------------------------------------------------


class EngagementEvent(models.Model):
    """A supplier day or webinar, for one challenge or for the market in general.

    `capacity` counts people, not organisations: a registration takes as many places as it
    names attendees. Slides and notes are published after the event, to everyone at once.
    """

    class Kind(models.TextChoices):
        SUPPLIER_DAY = "supplier_day", _("Supplier day")
        WEBINAR = "webinar", _("Webinar")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("challenge"),
    )
    kind = models.CharField(_("kind of event"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), validators=[multi_line_text])
    venue = models.TextField(_("place"), blank=True, validators=[multi_line_text])
    online_url = models.URLField(_("link to join online"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    registration_deadline = models.DateTimeField(_("registration closes"))
    capacity = models.PositiveIntegerField(_("places"))
    attendees_per_supplier = models.PositiveSmallIntegerField(
        _("most attendees per organisation"), default=2
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    slides = models.FileField(_("slides"), upload_to="market/events/", blank=True)
    notes = models.TextField(_("notes of the event"), blank=True, validators=[multi_line_text])
    materials_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("market engagement event")
        verbose_name_plural = _("market engagement events")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    """One supplier organisation's places at an event: confirmed, on the waiting list or
    cancelled by the supplier (the row stays, so registering again reuses it)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Place confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        EngagementEvent, on_delete=models.CASCADE, related_name="registrations"
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.CASCADE, related_name="event_registrations"
    )
    attendee_names = models.JSONField(_("attendees"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=Status, db_index=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "supplier"], name="market_event_registration_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier} – {self.event}"


# Evaluation of expressions of interest (#12 item 7) ------------------------------------------

#: Every criterion is scored on this scale; a response's total weights each score by its
#: criterion's weight (the weights of a challenge's criteria add up to 100).
SCORE_SCALE = (0, 1, 2, 3, 4, 5)
SCORERS_PER_RESPONSE = 2


class EvaluationCriterion(models.Model):
    """A published criterion, with its weight in percent, against which a challenge's
    expressions of interest are scored."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("criterion"), max_length=200, validators=[single_line_text])
    description = models.TextField(
        _("what scorers look for"), blank=True, validators=[multi_line_text]
    )
    weight = models.PositiveSmallIntegerField(_("weight (per cent)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["challenge", "position", "id"]

    def __str__(self) -> str:
        return self.title


class InterestDeclaration(models.Model):
    """What a scorer declares before scoring a challenge's responses: any conflict of
    interest (a scorer who declares one may not score that challenge)."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="interest_declarations"
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="market_declarations",
    )
    conflict = models.BooleanField(_("I have a conflict of interest"))
    details = models.TextField(_("details"), blank=True, validators=[multi_line_text])
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declaration of interest")
        verbose_name_plural = _("declarations of interest")
        ordering = ["declared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "scorer"], name="market_declaration_once_per_scorer"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Declaration')} {self.pk}"


class Score(models.Model):
    """One scorer's independent score of one response against one criterion."""

    response = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.PROTECT, related_name="scores"
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="market_scores",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("reason for the score"), validators=[multi_line_text])
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["response", "criterion", "scored_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "criterion", "scorer"], name="market_score_once_per_scorer"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Score')} {self.pk}"


class ModeratedScore(models.Model):
    """The score the scorers agreed, with the reason, where their scores differed."""

    response = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="moderated_scores"
    )
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.PROTECT, related_name="moderated_scores"
    )
    score = models.PositiveSmallIntegerField(_("agreed score"))
    reason = models.TextField(_("reason for the agreed score"), validators=[multi_line_text])
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="market_moderations",
    )
    moderated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("agreed score")
        verbose_name_plural = _("agreed scores")
        ordering = ["response", "criterion", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "criterion"], name="market_moderated_once")
        ]

    def __str__(self) -> str:
        return f"{_('Agreed score')} {self.pk}"
