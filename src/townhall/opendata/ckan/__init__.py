"""A CKAN-compatible read API (Action API v3) at /api/3/action/<action>, so CKAN clients,
harvesters and tools read Townhall's catalogue and DataStore unchanged."""
