"""The form an officer fills in to add or change a harvest source."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import HarvestSource, Organisation


class HarvestSourceForm(forms.Form):
    title = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter a name for the source")},
        help_text=_("What staff will call it, for example: County council open data"),
    )
    kind = forms.ChoiceField(
        label=_("Type of catalogue"), choices=HarvestSource.Kind.choices, widget=forms.RadioSelect
    )
    url = forms.URLField(
        label=_("Address"),
        max_length=1000,
        assume_scheme="https",
        error_messages={
            "required": _("Enter the catalogue's address"),
            "invalid": _("Enter a web address, like https://data.county.gov.uk"),
        },
        help_text=_(
            "For a CKAN API, the site's address, for example https://data.county.gov.uk. "
            "For DCAT, the catalogue file, for example https://data.county.gov.uk/catalog.ttl"
        ),
    )
    organisation_filter = forms.CharField(
        label=_("Only this organisation (optional)"),
        max_length=100,
        required=False,
        help_text=_(
            "CKAN only: the short name of one organisation to gather from. Leave empty for all."
        ),
    )
    publisher = forms.ModelChoiceField(
        label=_("File the datasets under"),
        queryset=Organisation.objects.order_by("title"),
        empty_label=None,
        help_text=_("The publisher the harvested datasets are listed under here."),
    )
    schedule = forms.ChoiceField(
        label=_("How often"), choices=HarvestSource.Schedule.choices, widget=forms.RadioSelect
    )

    @classmethod
    def initial_for(cls, source: HarvestSource) -> dict:
        return {
            "title": source.title,
            "kind": source.kind,
            "url": source.url,
            "organisation_filter": source.organisation_filter,
            "publisher": source.publisher_id,
            "schedule": source.schedule,
        }
