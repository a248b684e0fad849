"""Shared page components other modules build pages from: charts and maps (see each module)."""
