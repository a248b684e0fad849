"""What digital inclusion adds to the platform: the directory officer, the "Digital help"
pages, each ward's help, and the Open Referral UK API at /openreferral/."""

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import Action, Manifest, Role

DIRECTORY_OFFICER = "directory_officer"
MANAGE_DIRECTORY = "inclusion.manage_directory"

MANIFEST = Manifest(
    app_label="inclusion",
    name=_("Digital inclusion"),
    description=_("A directory of digital help: free Wi-Fi, devices, data and skills."),
    roles=(
        Role(
            slug=DIRECTORY_OFFICER,
            name=_("Directory officer"),
            description=_("Keeps the directory of digital help: organisations, services, places"),
            staff=True,
        ),
    ),
    actions=(
        Action(
            name=MANAGE_DIRECTORY,
            description=_(
                "Add and edit organisations, their services, the places they are given and "
                "their opening times, and publish or withdraw a service"
            ),
            roles=(DIRECTORY_OFFICER,),
        ),
    ),
    root_urls="townhall.inclusion.root_urls",
)
