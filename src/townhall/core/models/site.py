import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..branding import MAX_LOGO_BYTES, LogoRejected, check_logo, contrast_ratio


def _validate_svg_or_png(upload) -> None:
    """Accept a real PNG or a script-free SVG of at most 1 MB (see core.branding.check_logo).

    Only a new upload is read: a file already stored was checked when it arrived.
    """
    if getattr(upload, "_committed", False):
        return
    upload.seek(0)
    content = upload.read(MAX_LOGO_BYTES + 1)
    upload.seek(0)
    try:
        check_logo(upload.name, content)
    except LogoRejected as rejection:
        raise ValidationError(str(rejection)) from rejection


class SiteSettings(models.Model):
    """The council's identity, edited by an administrator. There is exactly one row."""

    class Phase(models.TextChoices):
        ALPHA = "alpha", _("Alpha")
        BETA = "beta", _("Beta")
        LIVE = "live", _("Live")

    council_name = models.CharField(_("council name"), max_length=120)
    council_name_cy = models.CharField(_("council name in Welsh"), max_length=120, blank=True)
    service_name = models.CharField(_("service name"), max_length=120, default="Townhall")
    logo = models.FileField(
        _("logo"),
        upload_to="branding/",
        blank=True,
        validators=[_validate_svg_or_png],
        help_text=_("An SVG or PNG shown in the header. Leave empty to show the name alone."),
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1d4f91",
        validators=[
            RegexValidator(
                re.compile(r"^#[0-9a-fA-F]{6}$"),
                _("Enter a colour as # followed by six hexadecimal digits, like #1d4f91."),
            )
        ],
        help_text=_("Used for the header and links' accents. Must contrast with white text."),
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase, default=Phase.BETA)
    feedback_url = models.URLField(_("feedback link"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    contact_address = models.TextField(_("postal address"), blank=True)
    local_authority_code = models.CharField(
        _("local authority code"),
        max_length=9,
        blank=True,
        help_text=_(
            "The ONS code of the council (for example E07000123); postcodes outside it are refused."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self) -> str:
        return self.council_name

    def clean(self) -> None:
        super().clean()
        readable = re.fullmatch(r"#[0-9a-fA-F]{6}", self.brand_colour or "")
        if readable and contrast_ratio(self.brand_colour, "#ffffff") < 4.5:
            message = _(
                "White text on this colour would be hard to read. Choose a darker colour "
                "(contrast of at least 4.5 to 1)."
            )
            raise ValidationError({"brand_colour": message})


class Page(models.Model):
    """A page the council writes: accessibility statement, privacy notice, cookies, contact."""

    slug = models.SlugField(_("address"), unique=True)
    # In English and Welsh (title_en_gb, title_cy, ...): see core/translation.py.
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    show_in_footer = models.BooleanField(_("show in footer"), default=True)
    footer_order = models.PositiveSmallIntegerField(default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["footer_order", "title"]

    def __str__(self) -> str:
        return self.title
