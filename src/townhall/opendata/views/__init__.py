"""Pages of the data catalogue: residents' pages (catalogue, dataset, preview, downloads)
and publishers' pages (datasets, resources, uploads, tokens)."""

#: What a table downloads as: the extension in its address, and the response's type.
DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
