"""The DataStore: typed, indexed tables ingested from CSV, TSV and XLSX files, and queried.

Other modules use it only through `services` (ingest, drop, visibility) and `selectors`
(table info, search, facets, streamed downloads, read-only SQL).
"""
