"""The Local Government Transparency Code 2015: mandated datasets, their schemas and checks.

What other parts of the open data app call:

- `kinds()`, `kind(slug)`: the mandated datasets and their Table Schemas.
- `validate_upload(kind_slug, path, filename) -> ValidationReport`: check a file.
- `validate_version(version, kind_slug)`: the same for a stored upload, cached.
- `check_publishable(dataset) -> list[PublishProblem]`: called before publishing.
- `compliance(datasets, today=...)`: which mandated datasets are published, due or overdue.
- `demo_rows(kind_slug, context, count)`: rows for the demo council that meet a schema.
"""

from .compliance import ComplianceRow, compliance
from .demo import demo_rows
from .kinds import TransparencyKind, UnknownKind, kind, kind_choices, kinds
from .publishing import PublishProblem, check_publishable, validate_version
from .validation import Problem, ValidationReport, validate_upload

__all__ = [
    "ComplianceRow",
    "Problem",
    "PublishProblem",
    "TransparencyKind",
    "UnknownKind",
    "ValidationReport",
    "check_publishable",
    "compliance",
    "demo_rows",
    "kind",
    "kind_choices",
    "kinds",
    "validate_upload",
    "validate_version",
]
