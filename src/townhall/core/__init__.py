"""The shared platform every Townhall module stands on (see docs/modules/core.md)."""
