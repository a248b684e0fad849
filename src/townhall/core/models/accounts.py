import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: a resident, supplier, councillor or member of staff.

    We hold the least we need: an email address to sign in and be told of changes, and
    an optional display name. Everything else a module needs it asks for when it needs it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en-gb", _("English")), ("cy", _("Welsh"))],
        default="en-gb",
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person can sign in to the administration pages."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_(
            "The council must keep this person's records (for a claim, an investigation or "
            "a request under the law): their account cannot be deleted until the hold is "
            "lifted."
        ),
    )
    legal_hold_reason = models.CharField(
        _("reason for the legal hold"),
        max_length=300,
        blank=True,
        help_text=_("For administrators only: why the records must be kept, and until when."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]

    def __str__(self) -> str:
        """The name the person chose. Never their email address: a string of a person may
        be shown to anyone (beside a comment, say), and an address, or the part before
        its "@", is often their real name."""
        return self.display_name or gettext("Unnamed person")

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.legal_hold and not self.legal_hold_reason.strip():
            raise ValidationError(
                {"legal_hold_reason": _("Say why this person's records must be kept.")}
            )

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)
