"""Consultations, their surveys and the responses residents give.

A consultation follows the Consultation Principles' lifecycle (see `Consultation.State`);
the rules for moving between states live in services.py. Answers are stored one row per
value (a multiple-choice answer is one row per option ticked) so that every analysis is
a SQL GROUP BY, never a loop over responses.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from townhall.core.assisted import Channel as AssistedChannel
from townhall.core.uploads import private_storage

#: Weeks from closing to the published outcome (Consultation Principles: normally 12).
OUTCOME_DUE_WEEKS = 12


class Consultation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ANALYSING = "analysing", _("Analysing responses")
        OUTCOME_PUBLISHED = "outcome_published", _("Outcome published")

    class ResponseMode(models.TextChoices):
        ANYONE = "anyone", _("Anyone, signed in or not")
        SIGNED_IN = "signed_in", _("Only people who are signed in")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = models.TextField(_("what we are proposing and why"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State, default=State.DRAFT, db_index=True
    )
    service_area = models.CharField(_("service area"), max_length=120)
    ward_codes = models.JSONField(_("wards affected"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    response_mode = models.CharField(
        _("who can respond"), max_length=20, choices=ResponseMode, default=ResponseMode.ANYONE
    )
    decision_title = models.CharField(_("decision it will inform"), max_length=300, blank=True)
    decision_url = models.URLField(_("link to the decision"), blank=True)
    # Empty once the person's account is erased: the consultation is the council's record.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome_published_at = models.DateTimeField(_("outcome published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="participation_consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def outcome_due_at(self):
        """When the outcome should be published: 12 weeks after the consultation closed."""
        return (self.closed_at or self.closes_at) + timedelta(weeks=OUTCOME_DUE_WEEKS)


class ConsultationDocument(models.Model):
    """A document about the proposal; Easy Read and Welsh versions are flagged."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Full document")
        EASY_READ = "easy_read", _("Easy Read")
        WELSH = "welsh", _("Welsh (Cymraeg)")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("version"), max_length=20, choices=Kind, default=Kind.STANDARD)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="participation/documents/", blank=True)

    class Meta:
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class DatasetReference(models.Model):
    """An open dataset behind the proposal, by its catalogue slug and address."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="datasets"
    )
    dataset_slug = models.SlugField(_("dataset"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=500)

    class Meta:
        verbose_name = _("dataset behind a proposal")
        verbose_name_plural = _("datasets behind proposals")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "dataset_slug"], name="participation_dataset_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SurveyPage(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("survey page")
        verbose_name_plural = _("survey pages")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale (agree to disagree)")
        RANKING = "ranking", _("Ranking")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        POSTCODE = "postcode", _("Postcode")
        FILE = "file", _("File upload")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    page = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("type of answer"), max_length=20, choices=Kind)
    text = models.CharField(_("question"), max_length=500)
    hint = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # The options are also the values answers store, so they stay in English; the Welsh
    # labels are a list of the same length (see translation.py).
    choices = models.JSONField(_("options"), default=list, blank=True)
    choices_cy = models.JSONField(_("options in Welsh"), default=list, blank=True)
    condition_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("show only when the answer to"),
    )
    condition_value = models.CharField(_("is"), max_length=255, blank=True)
    monitoring_topic = models.CharField(_("equality monitoring topic"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["page__position", "page_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One person's submitted answers. Stored exactly once per idempotency key."""

    class Channel(models.TextChoices):
        """Online, or one of core's assisted digital channels (ADR 0108), by which staff
        record a response for a resident; "event" is kept for responses recorded before
        the vocabulary was shared (it is now "in person")."""

        ONLINE = "online", _("Online")
        PHONE = AssistedChannel.PHONE.value, AssistedChannel.PHONE.label
        IN_PERSON = AssistedChannel.IN_PERSON.value, AssistedChannel.IN_PERSON.label
        PAPER = AssistedChannel.PAPER.value, AssistedChannel.PAPER.label
        PARTNER = AssistedChannel.PARTNER.value, AssistedChannel.PARTNER.label
        EMAIL = AssistedChannel.EMAIL.value, AssistedChannel.EMAIL.label
        OTHER = AssistedChannel.OTHER.value, AssistedChannel.OTHER.label
        EVENT = "event", _("Drop-in event")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: What the resident quotes ("TH-7K3M-Q9XD"): short, readable aloud, and random, so
    #: that it tells nobody how many responded or whose it is (services.records).
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.ONLINE)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_on = models.DateField(_("day submitted"))
    ward_code = models.CharField(_("ward"), max_length=20, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent"],
                condition=Q(respondent__isnull=False),
                name="participation_one_response_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["consultation", "submitted_on"], name="participation_resp_day"),
            models.Index(fields=["consultation", "channel"], name="participation_resp_channel"),
            models.Index(fields=["consultation", "ward_code"], name="participation_resp_ward"),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


def answer_files_storage() -> FileSystemStorage:
    """Files residents upload as answers are their personal data: kept out of MEDIA_ROOT,
    which the web server publishes, and read only through `manage_answer_file`, which
    checks who is asking."""
    return private_storage("participation")


class Answer(models.Model):
    """One value of an answer: `choice` for options (indexed), `text`, `number`, `rank`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    number = models.FloatField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    file = models.FileField(
        storage=answer_files_storage, upload_to="participation/answers/", blank=True
    )
    codes = models.ManyToManyField("Code", blank=True, related_name="answers")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["question", "choice"], name="participation_answer_choice"),
            models.Index(fields=["question", "response"], name="participation_answer_resp"),
            models.Index(fields=["question", "number"], name="participation_answer_number"),
        ]

    def __str__(self) -> str:
        return self.choice or self.text[:60]


class QuestionTally(models.Model):
    """How many responses answered a question, counted as each response is stored, so the
    results page reads one row per question however many responses there are."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="tally")
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("question tally")
        verbose_name_plural = _("question tallies")

    def __str__(self) -> str:
        return f"{self.question}: {self.answered}"


class OptionTally(models.Model):
    """How many responses chose an option (and, for ranking, ranked it first, and the sum of
    its ranks), counted as each response is stored."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="option_tallies")
    choice = models.CharField(max_length=255)
    count = models.PositiveIntegerField(default=0)
    ranked_first = models.PositiveIntegerField(default=0)
    rank_total = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("option tally")
        verbose_name_plural = _("option tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "choice"], name="participation_option_tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.choice}: {self.count}"


class Code(models.Model):
    """A theme officers tag free-text answers with while analysing them."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="codes")
    label = models.CharField(_("code"), max_length=100)

    class Meta:
        verbose_name = _("analysis code")
        verbose_name_plural = _("analysis codes")
        ordering = ["label"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "label"], name="participation_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.label


class ResponseDraft(models.Model):
    """Answers a resident has saved but not yet submitted.

    A signed-in resident has one draft per consultation; an anonymous one holds a resume
    link whose token we keep only as a hash.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="drafts")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict)
    submission_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved draft response")
        verbose_name_plural = _("saved draft responses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent"],
                condition=Q(respondent__isnull=False),
                name="participation_one_draft_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Draft for {self.consultation}"


class Outcome(models.Model):
    """ "We asked, you said, we did": what the council heard and what changed."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="outcome"
    )
    you_said = models.TextField(_("you said"))
    we_did = models.TextField(_("we did"))
    what_changed = models.TextField(_("what changed because of the consultation"))
    decision_title = models.CharField(_("decision informed"), max_length=300)
    decision_url = models.URLField(_("link to the decision"), blank=True)
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"Outcome of {self.consultation}"


class Moderated(models.Model):
    """Content residents write, which moderators may hold for review or hide."""

    class Visibility(models.TextChoices):
        VISIBLE = "visible", _("Published")
        PENDING = "pending", _("Waiting for a moderator")
        HIDDEN = "hidden", _("Hidden by a moderator")

    visibility = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Visibility,
        default=Visibility.VISIBLE,
        db_index=True,
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    report_count = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ProposalProcess(models.Model):
    """A call for residents' ideas on one subject ("Ideas for our parks")."""

    class Moderation(models.TextChoices):
        POST = "post", _("Publish at once; moderators review what is reported")
        PRE = "pre", _("A moderator approves everything before it is published")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    accepting_proposals = models.BooleanField(_("taking new proposals"), default=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation, default=Moderation.POST
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposals process")
        verbose_name_plural = _("proposals processes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Proposal(Moderated):
    class Status(models.TextChoices):
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")
        DONE = "done", _("Done")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    process = models.ForeignKey(ProposalProcess, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("your proposal"), max_length=5000)
    # Empty once the author's account is erased: the proposal stays, by "a former participant".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.UNDER_REVIEW, db_index=True
    )
    council_response = models.TextField(_("the council's response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-support_count", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    """One person's support for a proposal; the database keeps it to one each."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "person"], name="participation_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} supports {self.proposal_id}"


class Comment(Moderated):
    """A comment on a proposal, or a reply to another comment (threads of any depth)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # Empty once the author's account is erased: the thread still reads.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the proposal's followers were told of it: once, the first time it was public.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Report(models.Model):
    """A resident's report of a proposal or comment; one per person per item."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or abusive")
        OFF_TOPIC = "off_topic", _("Off topic")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=True) ^ Q(comment__isnull=True),
                name="participation_report_one_target",
            ),
            models.UniqueConstraint(
                fields=["proposal", "reporter"],
                condition=Q(proposal__isnull=False),
                name="participation_report_proposal_once",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False),
                name="participation_report_comment_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class Appeal(models.Model):
    """An author's appeal against hiding their proposal or comment."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        RESTORED = "restored", _("Restored")
        UPHELD = "upheld", _("Hiding upheld")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("why it should be published"), max_length=2000)
    state = models.CharField(max_length=20, choices=State, default=State.OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=True) ^ Q(comment__isnull=True),
                name="participation_appeal_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


# Participatory budgeting ------------------------------------------------------------------


class Budget(models.Model):
    """A participatory budget: residents propose projects and vote on how to spend it."""

    class Phase(models.TextChoices):
        PROPOSALS = "proposals", _("Proposals")
        FEASIBILITY = "feasibility", _("Feasibility review")
        VOTING = "voting", _("Voting")
        RESULTS = "results", _("Results")

    class BallotKind(models.TextChoices):
        KNAPSACK = "knapsack", _("Choose projects that fit within the budget")
        APPROVAL = "approval", _("Choose up to a number of projects")

    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    ward_code = models.CharField(_("ward (empty for the whole borough)"), max_length=20, blank=True)
    total_pence = models.PositiveBigIntegerField(_("budget in pence"))
    ballot_kind = models.CharField(_("ballot"), max_length=20, choices=BallotKind)
    approvals_allowed = models.PositiveSmallIntegerField(
        _("projects each voter may choose"), default=3
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase, default=Phase.PROPOSALS)
    skipped_phases = models.JSONField(_("phases skipped"), default=list, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participatory budget")
        verbose_name_plural = _("participatory budgets")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class BudgetProject(models.Model):
    class Assessment(models.TextChoices):
        PENDING = "pending", _("Not yet reviewed")
        FEASIBLE = "feasible", _("Feasible")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")

    class Delivery(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    cost_pence = models.PositiveBigIntegerField(_("cost in pence"))
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessment = models.CharField(max_length=20, choices=Assessment, default=Assessment.PENDING)
    assessment_note = models.TextField(blank=True)
    votes = models.PositiveIntegerField(default=0)
    selected = models.BooleanField(default=False)
    delivery = models.CharField(max_length=20, choices=Delivery, default=Delivery.NOT_STARTED)
    progress_percent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        ordering = ["-selected", "-votes", "cost_pence", "id"]

    def __str__(self) -> str:
        return self.title


class EligibleVoter(models.Model):
    """Someone entitled to one ballot: a row of the register or census extract, or a code
    sent by post. Only a hash of what identifies them is kept."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="voters")
    key_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("eligible voter")
        verbose_name_plural = _("eligible voters")
        constraints = [
            models.UniqueConstraint(fields=["budget", "key_hash"], name="participation_voter_once")
        ]

    def __str__(self) -> str:
        return self.key_hash[:8]


class Ballot(models.Model):
    """A cast ballot. One per eligible voter, kept so by the database."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    voter = models.OneToOneField(EligibleVoter, on_delete=models.PROTECT, related_name="ballot")
    projects = models.ManyToManyField(BudgetProject, related_name="ballots")
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return f"Ballot {self.pk}"
