"""A tiny app for the DataStore benchmarks: it makes every DataStore table public.

In Townhall open data decides which tables are public; the benchmark's table belongs to
no dataset, so the benchmark server installs this app last to allow reading it.
"""
