"""Run the aggregators' own harvester code against a running Townhall (issue #16, item 2).

Not a benchmark of speed but of fidelity: ckanext-harvest's CKANHarvester.gather_stage
and its _get_organization/_get_group, and ckanext-dcat's RDFParser (parse, datasets,
next_page), imported from their PyPI packages, are pointed at a live site. Only what
needs CKAN's own database is replaced: the harvest job and its last error-free run, the
HarvestObject rows gathered, and gather errors (recorded instead of stored).

They need CKAN itself, so they live in an environment of their own, never Townhall's:

    python3.12 -m venv .venv-harvest
    .venv-harvest/bin/pip install -r bench/harvesters-requirements.txt  # plus CKAN's own requirements.txt
    DATABASE_URL=sqlite:///var/harvest-demo.sqlite3 .venv/bin/townhall demo --size small
    DATABASE_URL=sqlite:///var/harvest-demo.sqlite3 .venv/bin/townhall runserver 8765 &
    .venv-harvest/bin/python bench/ckan_harvesters.py --url http://127.0.0.1:8765

It prints what each run gathered against what the site's package_list says is public,
and exits non-zero when a run misses a dataset, gathers one twice or reports an error.
"""

import argparse
import datetime
import json
import sys
import types
from unittest import mock
from urllib.parse import urlencode
from urllib.request import urlopen


def package_list(url: str) -> list[str]:
    with urlopen(f"{url}/api/3/action/package_list") as response:  # noqa: S310 (a chosen site)
        return json.load(response)["result"]


def packages(url: str) -> dict[str, dict]:
    """Every public dataset's package dict (id, modified, organisation, groups)."""
    found = {}
    for name in package_list(url):
        with urlopen(f"{url}/api/3/action/package_show?id={name}") as response:  # noqa: S310
            found[name] = json.load(response)["result"]
    return found


def ckan_gather(url: str, config: dict, last_run: datetime.datetime | None):
    """ckanext-harvest's real gather_stage; returns (package dicts, errors, search URLs)."""
    from ckanext.harvest.harvesters import ckanharvester

    gathered, errors, urls = [], [], []

    class HarvestObject:  # the row gather_stage saves for each dataset found
        def __init__(self, guid, job, content):
            self.id = guid
            gathered.append(json.loads(content))

        def save(self):
            pass

    harvester = ckanharvester.CKANHarvester()
    job = types.SimpleNamespace(source=types.SimpleNamespace(url=url, config=json.dumps(config)))
    last_job = types.SimpleNamespace(gather_started=last_run) if last_run else None
    real_get = harvester._get_content

    def get_content(address):
        urls.append(address)
        return real_get(address)

    with (
        mock.patch.object(ckanharvester, "HarvestObject", HarvestObject),
        mock.patch.object(harvester, "last_error_free_job", lambda job: last_job),
        mock.patch.object(
            harvester, "_save_gather_error", lambda message, job: errors.append(message)
        ),
        mock.patch.object(harvester, "_get_content", get_content),
        mock.patch.object(ckanharvester.toolkit, "requires_ckan_version", lambda **kwargs: None),
    ):
        harvester.gather_stage(job)
    return gathered, errors, urls, harvester


def _guid(dataset: dict) -> str | None:
    """The dataset's identifier, where the harvester's _get_guid looks for it."""
    extras = {extra["key"]: extra["value"] for extra in dataset.get("extras", [])}
    return dataset.get("identifier") or extras.get("identifier") or extras.get("uri")


def dcat_gather(source_url: str) -> tuple[list[str], list[str]]:
    """ckanext-dcat's RDFParser following hydra:next from the catalogue's first page."""
    from ckanext.dcat.processors import RDFParser

    identifiers, urls, next_page = [], [], source_url
    while next_page:
        urls.append(next_page)
        with urlopen(next_page) as response:  # noqa: S310 (a chosen site)
            content = response.read().decode()
            media_type = response.headers["Content-Type"].split(";")[0]
        parser = RDFParser()
        parser.parse(content, _format=media_type)
        identifiers.extend(_guid(dataset) for dataset in parser.datasets())
        next_page = parser.next_page()
    return identifiers, urls


def check(label: str, got: list[str], expected: list[str], errors: list[str], failures: list):
    ok = sorted(got) == sorted(expected) and len(got) == len(set(got)) and not errors
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {len(got)} gathered, {len(expected)} expected")
    for error in errors:
        print(f"     error: {error}")
    if not ok:
        failures.append(label)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--url", default="http://127.0.0.1:8765")
    url = arguments.parse_args().url.rstrip("/")
    public = packages(url)
    failures: list[str] = []

    gathered, errors, urls, harvester = ckan_gather(url, {}, None)
    check("CKAN harvester, full run", [p["name"] for p in gathered], list(public), errors, failures)
    print(f"     requests: {urls}")

    modified = sorted(
        datetime.datetime.fromisoformat(p["metadata_modified"]) for p in public.values()
    )
    last_run = modified[len(modified) // 2] + datetime.timedelta(hours=1, microseconds=123456)
    since = last_run - datetime.timedelta(hours=1)
    recent = [
        n
        for n, p in public.items()
        if datetime.datetime.fromisoformat(p["metadata_modified"]) >= since
    ]
    gathered, errors, urls, _ = ckan_gather(url, {}, last_run)
    check(
        "CKAN harvester, incremental run", [p["name"] for p in gathered], recent, errors, failures
    )
    print(f"     requests: {urls}")

    organisations = sorted({p["organization"]["name"] for p in public.values()})
    include = organisations[:2]
    for config, wanted in [
        ({"organizations_filter_include": include}, lambda p: p["organization"]["name"] in include),
        (
            {"organizations_filter_exclude": include},
            lambda p: p["organization"]["name"] not in include,
        ),
    ]:
        gathered, errors, urls, _ = ckan_gather(url, config, None)
        expected = [n for n, p in public.items() if wanted(p)]
        check(
            f"CKAN harvester, {json.dumps(config)}",
            [p["name"] for p in gathered],
            expected,
            errors,
            failures,
        )

    # The import stage's remote reads (remote_orgs / remote_groups "create").
    bad = []
    for package in public.values():
        if harvester._get_organization(url, package["owner_org"])["id"] != package["owner_org"]:
            bad.append(package["name"])
        for group in package["groups"]:
            if harvester._get_group(url, group)["name"] != group["name"]:
                bad.append(package["name"])
    check("organization_show and group_show for each dataset", bad, [], [], failures)

    try:
        identifiers, urls = dcat_gather(f"{url}/catalog.rdf")
    except ImportError:
        print("skip DCAT harvester: ckanext-dcat is not installed")
        return 1 if failures else 0
    check("DCAT RDF harvester", identifiers, [p["id"] for p in public.values()], [], failures)
    print(f"     requests: {urls}")
    fq = f"organization:{include[0]} OR organization:{include[1]}"
    identifiers, urls = dcat_gather(f"{url}/catalog.ttl?{urlencode({'fq': fq})}")
    expected = [p["id"] for p in public.values() if p["organization"]["name"] in include]
    check(f"DCAT RDF harvester, fq={fq}", identifiers, expected, [], failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
