"""`townhall reindex_search`: rebuild the site search index from every module's manifest.

Safe to run at any time and as often as you like; search keeps answering while it runs.
"""

from django.core.management.base import BaseCommand, CommandError

from ...services.search import SearchIndexError, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the site search index from every module's registered search resources."

    def handle(self, *args, **options) -> None:
        try:
            counts = rebuild_index()
        except SearchIndexError as error:
            raise CommandError(str(error)) from None
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{kind}: {count} documents")
        self.stdout.write(self.style.SUCCESS(f"Indexed {sum(counts.values())} documents."))
