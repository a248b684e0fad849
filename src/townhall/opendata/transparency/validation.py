"""Checking an upload against its Transparency Code schema, row by row.

The `frictionless` library checks the cells (its error vocabulary: type-error, missing-cell,
extra-cell, constraint-error, ...). The header is checked here first, because councils' files
differ in ways Table Schema's positional matching reports badly: a recommended column left
out, columns in another order, a heading in the wrong case. Columns are matched by name, so
order does not matter; a missing required column is a `missing-label` error, a heading that
differs only in case, spacing or punctuation an `incorrect-label` error, and an unknown
column a warning (the Code sets a minimum, so extra columns are allowed).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
Files are read as a stream, so a file of any size is checked in constant memory; the check
stops after `ERROR_LIMIT` errors so a wholly wrong file gives a short report quickly.
"""

import codecs
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from .kinds import TransparencyKind, kind

ERROR_LIMIT = 1000
TABULAR_FORMATS = {".csv": "csv", ".tsv": "tsv", ".xlsx": "xlsx"}
_CHUNK = 1024 * 1024

# Errors about the whole file rather than one row or column.
FILE_ERRORS = {"format-error", "encoding-error", "source-error", "scheme-error", "error"}


@dataclass(frozen=True)
class Problem:
    """One finding about an upload. `type` uses the Frictionless error names.

    `row` counts the header as row 1 (as a spreadsheet shows it); `column` is the column's
    heading (or, for a missing column, the heading the schema expects). `detail` holds what
    the message needs: the expected type, the failed constraint, the expected heading.
    """

    type: str
    row: int | None = None
    column: str | None = None
    column_number: int | None = None
    cell: str | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        """What is wrong, for a person, in the current language."""
        return _describe(self)


@dataclass
class ValidationReport:
    """The result of checking one upload against one mandated dataset's schema."""

    kind: str
    filename: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_checked: int = 0
    encoding: str | None = None
    truncated: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        """How many errors of each type, most frequent first."""
        return dict(Counter(problem.type for problem in self.errors).most_common())

    def summary(self) -> str:
        """One sentence saying whether the file passed and, if not, how badly."""
        if self.valid:
            return ngettext(
                "The file meets the schema: %(rows)d row checked.",
                "The file meets the schema: %(rows)d rows checked.",
                self.rows_checked,
            ) % {"rows": self.rows_checked}
        message = ngettext(
            "The file does not meet the schema: %(errors)d problem found",
            "The file does not meet the schema: %(errors)d problems found",
            len(self.errors),
        ) % {"errors": len(self.errors)}
        if self.truncated:
            message += " " + _("(checking stopped there, so there may be more)")
        return message + "."

    def as_dict(self) -> dict[str, Any]:
        """A JSON-safe form, for the cache and for the API."""
        return {
            "kind": self.kind,
            "filename": self.filename,
            "valid": self.valid,
            "rows_checked": self.rows_checked,
            "encoding": self.encoding,
            "truncated": self.truncated,
            "counts": self.counts(),
            "errors": [asdict(problem) | {"message": problem.message} for problem in self.errors],
            "warnings": [
                asdict(problem) | {"message": problem.message} for problem in self.warnings
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ValidationReport":
        def problems(items):
            return [Problem(**{k: v for k, v in item.items() if k != "message"}) for item in items]

        return cls(
            kind=data["kind"],
            filename=data["filename"],
            errors=problems(data["errors"]),
            warnings=problems(data["warnings"]),
            rows_checked=data["rows_checked"],
            encoding=data["encoding"],
            truncated=data["truncated"],
        )


def validate_upload(kind_slug: str, path: str | Path, filename: str) -> ValidationReport:
    """Check the file at `path` (named `filename` by whoever uploaded it) against a schema.

    `filename` decides the format: .csv, .tsv or .xlsx; anything else is a `format-error`.
    CSV and TSV may be UTF-8 (with or without a byte order mark) or Windows-1252; the
    encoding found is recorded on the report. Raises UnknownKind for an unknown slug.
    """
    schema_kind = kind(kind_slug)
    report = ValidationReport(kind=schema_kind.slug, filename=filename)
    file_format = TABULAR_FORMATS.get(Path(filename).suffix.lower())
    if file_format is None:
        report.errors.append(Problem(type="format-error", detail=Path(filename).suffix))
        return report
    if file_format != "xlsx":
        report.encoding = detect_encoding(path)
    from frictionless import FrictionlessException

    try:
        labels = _read_labels(path, file_format, report.encoding)
    except (FrictionlessException, OSError, ValueError) as failure:
        report.errors.append(_file_problem(failure))
        return report
    if not labels:
        report.errors.append(Problem(type="source-error", detail="empty"))
        return report
    fields = _match_header(schema_kind, labels, report)
    _check_rows(path, file_format, report.encoding, fields, report)
    return report


def detect_encoding(path: str | Path) -> str:
    """ "utf-8-sig" for a byte order mark, "utf-8" when every byte decodes, else "cp1252".

    The whole file is decoded incrementally (a chunk at a time), so a stray Windows-1252
    "£" on the millionth row is still noticed.
    """
    with open(path, "rb") as stream:
        if stream.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        stream.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            for chunk in iter(lambda: stream.read(_CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


@contextmanager
def local_copy(field_file) -> Iterator[Path]:
    """A path on this machine for a stored file, copying it when storage is elsewhere (S3)."""
    try:
        local = Path(field_file.path)
    except NotImplementedError:
        local = None
    if local is not None and local.is_file():
        yield local
        return
    suffix = Path(field_file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.open("rb") as source:
            shutil.copyfileobj(source, copy, _CHUNK)
        copy.flush()
        yield Path(copy.name)


def _resource(path, file_format: str, encoding: str | None, schema=None):
    from frictionless import Dialect, Resource, formats

    options: dict[str, Any] = {"format": "csv" if file_format == "tsv" else file_format}
    if encoding:
        options["encoding"] = encoding
    # Guessing the header row and the delimiter from a small sample goes wrong on short
    # files, so both are fixed: the first row is the header, and CSV means commas.
    controls = []
    if file_format != "xlsx":
        controls.append(formats.CsvControl(delimiter="\t" if file_format == "tsv" else ","))
    options["dialect"] = Dialect(header_rows=[1], controls=controls)
    if schema is not None:
        options["schema"] = schema
    # Frictionless refuses absolute paths unless told the folder is trusted (its basepath).
    path = Path(path)
    return Resource(path.name, basepath=str(path.parent), **options)


def _read_labels(path, file_format: str, encoding: str | None) -> list[str]:
    with _resource(path, file_format, encoding) as resource:
        return [str(label) for label in resource.labels]


def _normalise(label: str) -> str:
    return re.sub(r"[^a-z0-9£]", "", label.lower())


def _match_header(
    schema_kind: TransparencyKind, labels: list[str], report: ValidationReport
) -> list[dict[str, Any]]:
    """One Table Schema field per column of the file, recording header problems.

    A column with a schema heading gets that heading's field; any other column is read as
    text (so its cells are still counted, but not typed).
    """
    by_name = {spec["name"]: spec for spec in schema_kind.fields}
    near = {_normalise(name): name for name in by_name}
    seen: set[str] = set()
    fields: list[dict[str, Any]] = []
    for number, label in enumerate(labels, start=1):
        name = label.strip()
        if not name:
            report.errors.append(Problem(type="blank-label", column_number=number))
            fields.append({"name": _("Column %(number)s") % {"number": number}})
        elif name in seen:
            report.errors.append(Problem(type="duplicate-label", column=name, column_number=number))
            fields.append({"name": f"{name} ({number})"})
        elif name in by_name:
            fields.append(by_name[name])
        elif near.get(_normalise(name)) not in (None, *labels):
            # Read the column as the one it was meant to be, so its cells are still checked.
            expected = near[_normalise(name)]
            report.errors.append(
                Problem(type="incorrect-label", column=name, column_number=number, detail=expected)
            )
            fields.append(by_name[expected] | {"name": name})
            seen.add(expected)
        else:
            report.warnings.append(Problem(type="extra-label", column=name, column_number=number))
            fields.append({"name": name})
        seen.add(name)
    for name in schema_kind.column_names:
        if name in seen:
            continue
        if name in schema_kind.optional_columns:
            report.warnings.append(Problem(type="missing-label", column=name, detail="optional"))
        else:
            report.errors.append(Problem(type="missing-label", column=name))
    return fields


def _check_rows(path, file_format, encoding, fields, report: ValidationReport) -> None:
    from frictionless import Checklist, Schema

    schema = Schema.from_descriptor({"fields": fields, "missingValues": [""]})
    resource = _resource(path, file_format, encoding, schema=schema)
    # Header problems were found above, by name; frictionless would compare by position.
    checklist = Checklist(skip_errors=["#label", "#header"])
    limit = max(ERROR_LIMIT - len(report.errors), 1)
    result = resource.validate(checklist, limit_errors=limit)
    task = result.tasks[0] if result.tasks else None
    if task is not None:
        report.rows_checked = max(int(task.stats.get("rows") or 0), 0)
    problems = [
        _row_problem(error, fields) for error in result.errors + (task.errors if task else [])
    ]
    # A short row gives both missing-cell and "required" for the same cell; keep the first.
    short = {
        (problem.row, problem.column) for problem in problems if problem.type == "missing-cell"
    }
    for problem in problems:
        if problem.detail.startswith("required:") and (problem.row, problem.column) in short:
            continue
        if problem.type == "blank-row":
            report.warnings.append(problem)
        else:
            report.errors.append(problem)
    report.truncated = len(report.errors) >= ERROR_LIMIT


def _row_problem(error, fields: list[dict[str, Any]]) -> Problem:
    if error.type in FILE_ERRORS:
        return Problem(type=error.type, detail=getattr(error, "note", "") or "")
    number = getattr(error, "field_number", None)
    column = None
    detail = ""
    if number and number <= len(fields):
        spec = fields[number - 1]
        column = spec["name"]
        detail = _expected(spec)
    if error.type == "constraint-error":
        match = re.match(r'constraint "(\w+)" is "(.*)"', getattr(error, "note", "") or "")
        detail = f"{match.group(1)}:{match.group(2)}" if match else ""
    cell = getattr(error, "cell", None)
    return Problem(
        type=error.type,
        row=getattr(error, "row_number", None),
        column=column,
        column_number=number,
        cell=None if cell is None else str(cell)[:200],
        detail=detail,
    )


def _expected(spec: dict[str, Any]) -> str:
    return spec.get("type", "string")


def _file_problem(failure: Exception) -> Problem:
    error = getattr(failure, "error", None)
    error_type = getattr(error, "type", "source-error")
    return Problem(type=error_type if error_type in FILE_ERRORS else "source-error")


_TYPE_HINTS = {
    "date": gettext_noop("a date written as YYYY-MM-DD, like 2025-03-31"),
    "number": gettext_noop("an amount, like 1234.56 (a £ sign and commas are allowed)"),
    "integer": gettext_noop("a whole number, like 12"),
    "boolean": gettext_noop("Yes or No"),
    "string": gettext_noop("text"),
}


def _describe(problem: Problem) -> str:
    """A plain-English sentence for a problem (see GOV.UK's guidance on error messages)."""
    where = {"row": problem.row, "column": problem.column, "number": problem.column_number}
    match problem.type:
        case "type-error":
            expected = _(_TYPE_HINTS.get(problem.detail, _TYPE_HINTS["string"]))
            return _('Row %(row)s, "%(column)s": "%(cell)s" is not %(expected)s.') % (
                where | {"cell": problem.cell, "expected": expected}
            )
        case "constraint-error":
            return _constraint_message(problem, where)
        case "missing-cell":
            return _('Row %(row)s stops before the "%(column)s" column.') % where
        case "extra-cell":
            return _("Row %(row)s has more cells than the file has columns.") % where
        case "blank-row":
            return _("Row %(row)s is empty.") % where
        case "missing-label" if problem.detail == "optional":
            return (
                _('The file has no "%(column)s" column. It is recommended, not required.') % where
            )
        case "missing-label":
            return _('The file has no "%(column)s" column.') % where
        case "incorrect-label":
            return _('Column %(number)s is headed "%(column)s" but should be "%(expected)s".') % (
                where | {"expected": problem.detail}
            )
        case "extra-label":
            return (
                _(
                    'Column %(number)s, "%(column)s", is not in the schema. It will be published '
                    "as it is."
                )
                % where
            )
        case "blank-label":
            return _("Column %(number)s has no heading.") % where
        case "duplicate-label":
            return _('Column %(number)s repeats the heading "%(column)s".') % where
        case "format-error":
            return _("Upload the data as a CSV, TSV or XLSX file.")
        case "encoding-error":
            return _("The file's text could not be read. Save it as UTF-8 CSV and upload it again.")
        case _:
            return _("The file could not be read as a table. Check it opens in a spreadsheet.")


def _constraint_message(problem: Problem, where: dict[str, Any]) -> str:
    constraint, _sep, value = problem.detail.partition(":")
    if constraint == "required":
        return _('Row %(row)s, "%(column)s" is blank but must be filled in.') % where
    if constraint == "enum":
        allowed = ", ".join(re.findall(r"'([^']*)'", value)) or value
        return _('Row %(row)s, "%(column)s" must be one of: %(allowed)s.') % (
            where | {"allowed": allowed}
        )
    if constraint == "minimum":
        return _('Row %(row)s, "%(column)s" must be at least %(minimum)s.') % (
            where | {"minimum": value}
        )
    return _('Row %(row)s, "%(column)s": "%(cell)s" is not in the expected form.') % (
        where | {"cell": problem.cell}
    )
