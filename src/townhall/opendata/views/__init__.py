"""Pages of the data catalogue: residents' pages (catalogue, dataset, preview, downloads)
and publishers' pages (datasets, resources, uploads, tokens)."""
