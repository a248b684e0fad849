from django.apps import AppConfig


class BenchVisibilityConfig(AppConfig):
    name = "datastore_bench_visibility"

    def ready(self) -> None:
        from townhall.datastore import services

        services.register_visibility(lambda table_id, user: True)
