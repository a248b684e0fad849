"""Settings split by environment: base (shared), dev (default), test and prod.

Every value that differs between deployments comes from the environment; see
`.env.example` and the configuration table in the README.
"""
