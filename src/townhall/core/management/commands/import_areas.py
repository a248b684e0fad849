"""`townhall import_areas FILE --kind ward`: load boundaries from a GeoJSON FeatureCollection.

The file must be in WGS84 longitude and latitude (ONS boundary downloads offer it as
GeoJSON). Properties are guessed from ONS names (WD24CD, WD24NM, WD24NMW) unless given.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...models import Area
from ...services.geography import AreaProperties, GeographyImportError, areas_import


class Command(BaseCommand):
    help = "Import wards or other areas from a GeoJSON file of polygons (WGS84)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The GeoJSON FeatureCollection.")
        parser.add_argument("--kind", required=True, choices=Area.Kind.values)
        parser.add_argument("--code-property", help="Property with the area's code (WD24CD).")
        parser.add_argument("--name-property", help="Property with the area's name (WD24NM).")
        parser.add_argument(
            "--name-cy-property", default="", help="Property with the Welsh name (WD24NMW)."
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        properties = None
        if options["code_property"] or options["name_property"]:
            if not (options["code_property"] and options["name_property"]):
                raise CommandError("Give both --code-property and --name-property, or neither.")
            properties = AreaProperties(
                code=options["code_property"],
                name=options["name_property"],
                name_cy=options["name_cy_property"],
            )
        try:
            report = areas_import(path=path, kind=options["kind"], properties=properties)
        except GeographyImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Stored {report.stored} areas ({report.created} new).")
        )
