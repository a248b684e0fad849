"""A tiny app for the DataStore benchmarks: it owns the benchmark's table and lets anyone
read it.

In Townhall each table's owning module says who may read it (its manifest's
`datastore_readers`); the benchmark's table belongs to no dataset, so the benchmark server
installs this app last, and the benchmark loads its table as this app's.
"""

from django.apps import AppConfig


class BenchVisibilityConfig(AppConfig):
    name = "datastore_bench_visibility"

    def ready(self) -> None:
        from townhall.core.registry import Manifest, registry

        registry.register(
            Manifest(
                app_label=self.name,
                name="DataStore benchmark",
                datastore_readers=lambda table_id, user: True,
            )
        )
