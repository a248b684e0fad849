"""Townhall: a self-hostable platform for a UK council of the future."""

__version__ = "0.1.0"
