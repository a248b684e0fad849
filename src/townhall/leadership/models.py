"""Who leads digital at the council, and the register of the council's decisions.

A decision names the wards it affects by their codes in core's geography, and its
evidence by key: a dataset's id (open data keeps the citation itself, with any saved
view or chart) or a consultation's public id (participation keeps the outcome). The
decision keeps only the keys, so that the register can say what it cites without asking
other modules for their models.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from townhall.core.text import multi_line_text, single_line_text
from townhall.core.uploads import private_storage, unguessable_name


class Leader(models.Model):
    """A person who leads digital: the cabinet member for digital, the chief digital
    officer, a directorate's digital champion or a member of the digital board."""

    class Kind(models.TextChoices):
        CABINET_MEMBER = "cabinet_member", _("Cabinet member for digital")
        CHIEF_DIGITAL_OFFICER = "chief_digital_officer", _("Chief digital officer")
        CHAMPION = "champion", _("Digital champion")
        BOARD_MEMBER = "board_member", _("Digital board member")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("role"), max_length=30, choices=Kind)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    job_title = models.CharField(_("job title"), max_length=200, validators=[single_line_text])
    directorate = models.CharField(
        _("directorate"), max_length=200, blank=True, validators=[single_line_text]
    )
    remit = models.TextField(_("remit"), validators=[multi_line_text])
    email = models.EmailField(_("contact email"), blank=True)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digital leader")
        verbose_name_plural = _("digital leaders")
        ordering = ["position", "name", "id"]

    def __str__(self) -> str:
        return self.name


class Portfolio(models.Model):
    """A cabinet portfolio decisions belong to (digital, housing, environment, ...)."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=[single_line_text])
    cabinet_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leadership_portfolios",
        verbose_name=_("cabinet member's account"),
    )

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CouncillorAccount(models.Model):
    """Which of elections' councillors a person's account belongs to, so that their
    councillor's home shows their ward. Elections keeps the councillor by id (it has no
    accounts); the link is leadership's, kept by democratic services."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="leadership_councillor",
        verbose_name=_("account"),
    )
    councillor_id = models.PositiveIntegerField(_("councillor"), unique=True)

    class Meta:
        verbose_name = _("councillor's account")
        verbose_name_plural = _("councillors' accounts")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.councillor_id}"


class Decision(models.Model):
    """A decision of the cabinet, a committee or an officer, from the forward plan to
    its call-in; public once published."""

    class Maker(models.TextChoices):
        CABINET = "cabinet", _("Cabinet")
        CABINET_MEMBER = "cabinet_member", _("Cabinet member")
        COMMITTEE = "committee", _("Committee")
        OFFICER = "officer", _("Officer")

    class Status(models.TextChoices):
        FORTHCOMING = "forthcoming", _("Forthcoming")
        MADE = "made", _("Made")
        CALLED_IN = "called_in", _("Called in")
        IN_FORCE = "in_force", _("In force")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    summary = models.TextField(_("what was decided"), validators=[multi_line_text])
    maker = models.CharField(_("decision maker"), max_length=20, choices=Maker)
    maker_name = models.CharField(
        _("name of the decision maker"), max_length=200, validators=[single_line_text]
    )
    portfolio = models.ForeignKey(
        Portfolio,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("portfolio"),
    )
    decided_on = models.DateField(_("date of decision"), db_index=True)
    key_decision = models.BooleanField(_("key decision"), default=False)
    options = models.TextField(_("options considered"), validators=[multi_line_text])
    reasons = models.TextField(_("reasons"), validators=[multi_line_text])
    status = models.CharField(_("status"), max_length=20, choices=Status, db_index=True)
    call_in_ends_on = models.DateField(_("call-in period ends"), null=True, blank=True)
    call_in = models.TextField(_("call-in"), blank=True, validators=[multi_line_text])
    published = models.BooleanField(_("published"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.title


class DecisionWard(models.Model):
    """A ward a decision affects, by its code in core's geography."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="wards")
    ward_code = models.CharField(_("ward code"), max_length=20, db_index=True)

    class Meta:
        verbose_name = _("ward affected")
        verbose_name_plural = _("wards affected")
        constraints = [
            models.UniqueConstraint(fields=["decision", "ward_code"], name="decision_ward_once")
        ]

    def __str__(self) -> str:
        return self.ward_code


class DecisionEvidence(models.Model):
    """What a decision cites: a dataset by id, whole or as a saved view or chart of one
    of its resources (open data holds the citation once the decision is published), or a
    consultation by public id (participation holds its outcome)."""

    class Kind(models.TextChoices):
        DATASET = "dataset", _("Data")
        CONSULTATION = "consultation", _("Consultation outcome")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    key = models.CharField(_("reference"), max_length=100)
    resource_id = models.CharField(_("resource"), max_length=40, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    chart = models.JSONField(_("chart"), default=dict, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class DecisionRevision(models.Model):
    """A change to a decision after it was published, shown on its page: which fields
    changed, and what they said before (`changes`: {field: {"before", "after"}})."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("change to a decision")
        verbose_name_plural = _("changes to decisions")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.decision} ({self.changed_at:%Y-%m-%d})"


# The digital board -------------------------------------------------------------------------


def board_papers_storage() -> FileSystemStorage:
    """Board papers are kept outside MEDIA_ROOT, which the web server publishes as it is:
    an exempt paper must never be reachable by address, so every paper is served by
    leadership's own view, which checks who is asking."""
    return private_storage("board-papers")


def _paper_upload_to(item: "AgendaItem", filename: str) -> str:
    return unguessable_name("papers", filename)


class BoardMeeting(models.Model):
    """A meeting of the digital board, scheduled and then held; its minutes are kept item
    by item on its agenda."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=40, unique=True)
    meets_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200, validators=[single_line_text])
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["-meets_on", "-id"]

    def __str__(self) -> str:
        return f"{self.meets_on:%Y-%m-%d}"


class AgendaItem(models.Model):
    """An item on a meeting's agenda with its paper (a file or a link) and its minutes.
    An exempt item names the paragraph of Schedule 12A to the Local Government Act 1972
    that exempts it: residents see its title and that paragraph, nothing else."""

    class Exemption(models.IntegerChoices):
        INDIVIDUAL = 1, _("Information relating to any individual")
        IDENTITY = 2, _("Information likely to reveal the identity of an individual")
        FINANCIAL = 3, _("Information relating to anyone's financial or business affairs")
        LABOUR_RELATIONS = 4, _("Consultations or negotiations on a labour relations matter")
        LEGAL_PRIVILEGE = 5, _("Information subject to legal professional privilege")
        NOTICES = 6, _("A proposed notice, order or direction under any enactment")
        CRIME = 7, _("The prevention, investigation or prosecution of crime")

    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position on the agenda"), default=1)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    paper_file = models.FileField(
        _("paper"),
        upload_to=_paper_upload_to,
        storage=board_papers_storage,
        max_length=300,
        blank=True,
    )
    paper_url = models.URLField(_("link to the paper"), max_length=500, blank=True)
    exempt_paragraph = models.PositiveSmallIntegerField(
        _("exempt under paragraph"), choices=Exemption, null=True, blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True, validators=[multi_line_text])
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_items",
        verbose_name=_("decision in the register"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def exempt(self) -> bool:
        return self.exempt_paragraph is not None


class BoardAction(models.Model):
    """Something the board asked a leader to do by a date; done on the day it was marked
    done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meeting")
    )
    what = models.TextField(_("action"), validators=[multi_line_text])
    owner = models.ForeignKey(
        Leader, on_delete=models.PROTECT, related_name="board_actions", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("board action")
        verbose_name_plural = _("board actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.what[:60]


class MaturityFramework(models.Model):
    """A digital maturity framework as loaded from its file (ADR 0095): `definition` is
    the parsed file, sections, questions, levels, descriptors and weights."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    version = models.CharField(_("version"), max_length=40)
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("maturity framework")
        verbose_name_plural = _("maturity frameworks")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.definition["name"]["en"]


class MaturityAssessment(models.Model):
    """The council's digital maturity on a day, against one framework: a draft staff
    answer, then a published snapshot that is never changed (history is the list)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        MaturityFramework,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework"),
    )
    assessed_on = models.DateField(_("date of the assessment"), db_index=True)
    published = models.BooleanField(_("published"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("maturity assessment")
        verbose_name_plural = _("maturity assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.framework} ({self.assessed_on:%Y-%m-%d})"


class MaturityAnswer(models.Model):
    """The level an assessment gives one question (by its key in the framework): chosen
    by staff with their evidence, or measured from the platform's data (`measured`:
    {"count", "total"})."""

    assessment = models.ForeignKey(
        MaturityAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(_("question"), max_length=80)
    level = models.PositiveSmallIntegerField(_("level"))
    evidence = models.TextField(_("evidence"), blank=True, validators=[multi_line_text])
    measured = models.JSONField(_("measured"), default=dict, blank=True)

    class Meta:
        verbose_name = _("maturity answer")
        verbose_name_plural = _("maturity answers")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="maturity_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.level}"


class ComparedCouncil(models.Model):
    """Another council whose published scorecard staff imported to compare with ours
    (ADR 0098), known by its ONS (GSS) code."""

    class Type(models.TextChoices):
        COUNTY = "county", _("County council")
        DISTRICT = "district", _("District council")
        UNITARY = "unitary", _("Unitary authority")
        METROPOLITAN = "metropolitan-borough", _("Metropolitan borough")
        LONDON = "london-borough", _("London borough")
        WELSH = "welsh-principal-area", _("Welsh principal area")
        SCOTTISH = "scottish-council", _("Scottish council")
        NORTHERN_IRISH = "northern-ireland-district", _("Northern Ireland district")

    class Region(models.TextChoices):
        NORTH_EAST = "north-east", _("North East")
        NORTH_WEST = "north-west", _("North West")
        YORKSHIRE = "yorkshire-and-the-humber", _("Yorkshire and the Humber")
        EAST_MIDLANDS = "east-midlands", _("East Midlands")
        WEST_MIDLANDS = "west-midlands", _("West Midlands")
        EAST = "east-of-england", _("East of England")
        LONDON = "london", _("London")
        SOUTH_EAST = "south-east", _("South East")
        SOUTH_WEST = "south-west", _("South West")
        WALES = "wales", _("Wales")
        SCOTLAND = "scotland", _("Scotland")
        NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")

    gss_code = models.CharField(
        _("ONS code"),
        max_length=9,
        unique=True,
        validators=[
            RegexValidator(
                r"^[ENSW][0-9]{8}\Z",
                _("Give the ONS code: a letter and eight digits, like E07000123"),
            )
        ],
    )
    name = models.CharField(_("council"), max_length=200, validators=[single_line_text])
    council_type = models.CharField(_("type of council"), max_length=30, choices=Type)
    region = models.CharField(_("region"), max_length=30, choices=Region)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compared council")
        verbose_name_plural = _("compared councils")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.gss_code})"


class ComparedScorecard(models.Model):
    """One of another council's published scorecards, as its file gave it (`data`, in the
    shape of our /api/v1/scorecard), one per assessment date: importing the same council
    and date again replaces it, other dates are its history."""

    council = models.ForeignKey(
        ComparedCouncil, on_delete=models.CASCADE, related_name="scorecards"
    )
    assessed_on = models.DateField(_("date of the assessment"))
    framework_slug = models.CharField(_("framework"), max_length=80)
    framework_version = models.CharField(_("framework version"), max_length=40)
    total = models.FloatField(_("total"))
    data = models.JSONField(_("scorecard"))
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        verbose_name = _("compared scorecard")
        verbose_name_plural = _("compared scorecards")
        ordering = ["council", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "assessed_on"], name="compared_scorecard_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} ({self.assessed_on:%Y-%m-%d})"


# Strategy and roadmap ----------------------------------------------------------------------


class Objective(models.Model):
    """What the digital strategy sets out to achieve, in one of the guide's six areas
    (`area` is a key of maturity.guide_areas()), owned by a leader, in a portfolio."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), validators=[multi_line_text])
    area = models.CharField(_("area of the guide"), max_length=40, db_index=True)
    owner = models.ForeignKey(
        Leader,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("owner"),
    )
    portfolio = models.ForeignKey(
        Portfolio, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("portfolio")
    )
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    """A group of projects that together meet an objective."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(
        Objective, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), validators=[multi_line_text])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Rag(models.TextChoices):
    """A project's delivery confidence: red, amber or green."""

    GREEN = "green", _("Green: on track")
    AMBER = "amber", _("Amber: at risk")
    RED = "red", _("Red: off track")


class Project(models.Model):
    """A piece of work in a programme, from discovery to retirement, with its RAG status
    (the reason required for amber and red; each change kept in ProjectStatus), budget in
    pence, benefits and the services it changes. A draft until published."""

    class Stage(models.TextChoices):
        DISCOVERY = "discovery", _("Discovery")
        ALPHA = "alpha", _("Alpha")
        BETA = "beta", _("Beta")
        LIVE = "live", _("Live")
        RETIRED = "retired", _("Retired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), validators=[multi_line_text])
    stage = models.CharField(_("stage"), max_length=20, choices=Stage, db_index=True)
    rag = models.CharField(_("RAG status"), max_length=10, choices=Rag, db_index=True)
    rag_reason = models.TextField(_("reason"), blank=True, validators=[multi_line_text])
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    budget_approved_pence = models.PositiveBigIntegerField(_("budget approved"), default=0)
    budget_spent_pence = models.PositiveBigIntegerField(_("budget spent"), default=0)
    published = models.BooleanField(_("published"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectStatus(models.Model):
    """One RAG status a project was given, on a day and why: its history, so that a
    slip stays visible after the project recovers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="statuses")
    rag = models.CharField(_("RAG status"), max_length=10, choices=Rag)
    reason = models.TextField(_("reason"), blank=True, validators=[multi_line_text])
    recorded_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("RAG status")
        verbose_name_plural = _("RAG statuses")
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return f"{self.rag} ({self.recorded_on:%Y-%m-%d})"


class Benefit(models.Model):
    """What a project is to deliver, measured: a target value by a day and the latest
    actual, in a unit; `higher_is_better` says which way is behind."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="benefits")
    description = models.CharField(_("benefit"), max_length=200, validators=[single_line_text])
    unit = models.CharField(_("unit"), max_length=40, validators=[single_line_text])
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_on = models.DateField(_("target date"))
    actual_value = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def behind(self) -> bool:
        """Measured and short of the target (on the wrong side of it)."""
        if self.actual_value is None:
            return False
        if self.higher_is_better:
            return self.actual_value < self.target_value
        return self.actual_value > self.target_value


class ServiceChange(models.Model):
    """A council service a project changes, and how."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=200, validators=[single_line_text])
    change = models.TextField(_("what changes"), validators=[multi_line_text])

    class Meta:
        verbose_name = _("service changed")
        verbose_name_plural = _("services changed")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.service
