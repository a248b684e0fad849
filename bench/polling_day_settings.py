"""Settings for the polling day benchmark: the demo's own (served as production serves it),
with the per-visitor limits lifted, since every request comes from one loopback client.

The cache and the databases come from the environment as in production: CACHE_URL
(a folder by default, Redis with --redis), DATABASE_URL and DATABASE_REPLICA_URL.
"""

from townhall.settings.demo import *  # noqa: F403

TOWNHALL_API_RATE = "1000000/s"
ELECTIONS_LOOKUP_RATE = "1000000/s"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
