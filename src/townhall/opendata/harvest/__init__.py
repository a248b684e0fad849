"""Harvesting: gathering the datasets of other catalogues (CKAN APIs and DCAT documents)
into this one, as links to their files, on a schedule (ADR 0033)."""
