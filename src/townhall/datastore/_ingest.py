"""Loading a file into a new physical table, then serving it in place of the old one.

The load is built to be fast and to lose nothing:
- types are inferred from the first rows, then checked on every cell as it loads;
- an inferred type that a later cell contradicts is widened (integer to decimal to text,
  date to datetime to text) and the file is loaded again, once, with the wider types;
- a type the publisher chose is kept, and a cell that does not fit is stored empty and
  reported with its row and column;
- a CSV that turns out not to be UTF-8 is read again as Windows-1252 and the report says so;
- rows go in batches (COPY on PostgreSQL), committed as they go so other writers are not
  held up, into a staging table that nobody reads until it is complete, indexed and swapped.
"""

import gc
import itertools
import operator
import secrets
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import _readers as readers
from . import _types as types
from ._backends import Backend, backend
from .errors import IngestFailed
from .models import Ingest, Table
from .results import IngestReport

SAMPLE_ROWS = 10_000
BATCH_ROWS = 50_000
MAX_PASSES = 3
Progress = Callable[[int, int | None], None]
_NUMBER, _CELLS = operator.itemgetter(0), operator.itemgetter(1)

_LIMITS = {"MAX_REPORTED_PROBLEMS": 1000, "MAX_INDEXED_COLUMNS": 32, "FULL_TEXT": 1}


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while rows load. Every row is a new list, so the
    collector would run every few hundred rows and walk the whole batch each time (a fifth
    of the load's time), yet rows of strings never form cycles; it runs again after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def configured(name: str) -> int:
    from django.conf import settings

    return int(getattr(settings, f"DATASTORE_{name}", _LIMITS[name]))


def physical_prefix(table_id: uuid.UUID) -> str:
    return f"ds_{table_id.hex}_"


@dataclass
class _Pass:
    """The outcome of reading the file once."""

    staging: str
    columns: list[dict]
    rows: int = 0
    blank_rows: int = 0
    problems: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    widen: dict[str, str] = field(default_factory=dict)


class _Loader:
    def __init__(self, report: IngestReport, table_id: uuid.UUID, engine: Backend):
        self.report = report
        self.table_id = table_id
        self.engine = engine
        self.max_problems = configured("MAX_REPORTED_PROBLEMS")

    def problem(self, outcome: _Pass, row: int, column: str | None, code: str, message: str):
        outcome.counts[code] = outcome.counts.get(code, 0) + 1
        if len(outcome.problems) < self.max_problems:
            outcome.problems.append(
                {"row": row, "column": column, "code": code, "message": message}
            )

    def read(
        self,
        path: str,
        format: str,
        *,
        encoding: str | None,
        chosen: dict[str, str],
        widened: dict[str, str],
        on_progress: Progress | None,
    ) -> _Pass:
        source = readers.open_source(path, format, encoding=encoding)
        self.report.format, self.report.encoding = source.format, source.encoding
        self.report.delimiter = source.delimiter
        staging = ""
        try:
            names, header_problems = readers.clean_headers(source.header)
            unknown = sorted(set(chosen) - set(names))
            if unknown:
                raise readers.refuse(
                    "unknown_column",
                    _("There is no column called %(names)s to set a type for.")
                    % {"names": ", ".join(f"“{name}”" for name in unknown)},
                    columns=unknown,
                )
            sample: list[tuple[int, list[str]]] = []
            for numbered in source.rows:
                sample.append(numbered)
                if len(sample) >= SAMPLE_ROWS:
                    break
            columns = self._columns(names, source.header, sample, chosen, widened)
            staging = physical_prefix(self.table_id) + secrets.token_hex(4)
            outcome = _Pass(staging=staging, columns=columns)
            for entry in header_problems:
                self.problem(outcome, 1, entry["column"], entry["code"], entry["message"])
            text_columns = [c["id"] for c in columns if c["type"] == types.TEXT]
            full_text = bool(text_columns) and bool(configured("FULL_TEXT"))
            self.engine.create_table(
                staging, [(c["id"], c["type"]) for c in columns], text_columns if full_text else ()
            )
            with _no_cycle_collection():
                self._load_rows(outcome, itertools.chain(sample, source.rows), source, on_progress)
            if not outcome.widen:
                self._finish_table(outcome, text_columns if full_text else [])
            return outcome
        except BaseException:
            if staging:
                self.engine.drop(staging)
            raise
        finally:
            source.close()

    def _columns(self, names, header, sample, chosen, widened) -> list[dict]:
        columns = []
        for position, name in enumerate(names):
            label = header[position].strip() if position < len(header) else ""
            if name in chosen:
                inferred = None
                final = chosen[name]
            else:
                cells = [
                    (row[position].strip() or None) if position < len(row) else None
                    for _, row in sample
                ]
                inferred = types.infer(cells)
                final = widened.get(name) or inferred
            columns.append(
                {
                    "id": name,
                    "label": label or name,
                    "inferred_type": widened.get(name) or inferred,
                    "type": final,
                    "chosen": name in chosen,
                }
            )
        return columns

    def _load_rows(self, outcome: _Pass, rows, source, on_progress) -> None:
        """Read, fit, convert and write the rows in batches.

        A batch is checked for short, long and blank rows with C-speed passes over it; only
        a batch that has one is fitted row by row."""
        width = len(outcome.columns)
        ids = [c["id"] for c in outcome.columns]
        max_rows = readers.limit("MAX_ROWS")
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, BATCH_ROWS)):
            numbers = list(map(_NUMBER, chunk))
            batch = list(map(_CELLS, chunk))
            if not (all(map(width.__eq__, map(len, batch))) and all(map(any, batch))):
                numbers, batch = self._fit_batch(outcome, numbers, batch, width, ids)
                if not batch:
                    continue
            self._write(outcome, ids, numbers, batch, source, on_progress)
            if outcome.rows > max_rows:
                raise readers.refuse(
                    "too_many_rows",
                    _("The table has more than %(max)s rows, the most that can be loaded.")
                    % {"max": f"{max_rows:,}"},
                )

    def _fit_batch(self, outcome, numbers, batch, width, ids):
        """The batch with short rows padded, long rows cut and blank rows left out."""
        kept_numbers, kept = [], []
        for number, row in zip(numbers, batch, strict=True):
            if len(row) != width or not any(row):
                row = self._fit(outcome, number, row, width, ids)
                if row is None:
                    continue
            kept_numbers.append(number)
            kept.append(row)
        return kept_numbers, kept

    def _convert(self, outcome: _Pass, numbers: list[int], batch: list[list[str]]) -> list:
        """The batch's cells converted, as a list of columns (each a sequence of values)."""
        converted = []
        for column, cells in zip(outcome.columns, zip(*batch, strict=True), strict=True):
            strict = not column["chosen"]
            values = types.convert_batch(column["type"], strict, cells)
            if values is None:
                values = self._convert_each(outcome, numbers, cells, column)
            if column["type"] == types.DECIMAL:
                column["scale"] = types.decimal_scale(values, column.get("scale", 0))
            converted.append(values)
        return converted

    def _fit(self, outcome, number, row, width, ids):
        """Pad a short row or cut a long one, reporting it; None for a blank row."""
        if not any(cell.strip() for cell in row):
            outcome.blank_rows += 1
            return None
        if len(row) < width:
            self.problem(
                outcome,
                number,
                ids[len(row)],
                "missing-cell",
                _("Row %(row)s has %(found)s cells, not %(expected)s; the rest are left empty.")
                % {"row": number, "found": len(row), "expected": width},
            )
            return row + [""] * (width - len(row))
        if any(cell.strip() for cell in row[width:]):
            self.problem(
                outcome,
                number,
                None,
                "extra-cell",
                _("Row %(row)s has %(found)s cells, not %(expected)s; the extra ones are left out.")
                % {"row": number, "found": len(row), "expected": width},
            )
        return row[:width]

    def _convert_each(self, outcome: _Pass, numbers, cells, column) -> list:
        """Convert one column cell by cell. A cell that does not fit widens an inferred type
        (the pass will be repeated) or, for a type the publisher chose, is left empty and
        reported."""
        convert = types.converter(column["type"], strict=not column["chosen"])
        values = []
        for number, cell in zip(numbers, cells, strict=True):
            try:
                values.append(convert(cell))
                continue
            except ValueError:
                values.append(None)
            if not column["chosen"]:
                current = outcome.widen.get(column["id"], column["type"])
                outcome.widen[column["id"]] = types.join(current, types.kind_of(cell.strip()))
                continue
            self.problem(
                outcome,
                number,
                column["id"],
                "type-error",
                _("“%(value)s” in row %(row)s is not a %(type)s; the cell is left empty.")
                % {"value": cell.strip()[:100], "row": number, "type": column["type"]},
            )
        return values

    def _write(self, outcome, ids, numbers, batch, source, on_progress) -> None:
        converted = self._convert(outcome, numbers, batch)
        outcome.rows += len(batch)
        if outcome.widen:
            return  # The pass will be repeated with wider types; stop writing.
        with transaction.atomic():
            self.engine.load(outcome.staging, ids, converted)
        if on_progress is not None:
            estimate = source.estimated_rows
            on_progress(outcome.rows, max(estimate, outcome.rows) if estimate else None)

    def _finish_table(self, outcome: _Pass, text_columns: list[str]) -> None:
        most = configured("MAX_INDEXED_COLUMNS")
        for number, column in enumerate(outcome.columns, start=1):
            column["indexed"] = number <= most and self.engine.create_index(
                outcome.staging, number, column["id"]
            )
        if text_columns:
            with transaction.atomic():
                self.engine.create_full_text(outcome.staging, text_columns)
        self.engine.analyse(outcome.staging)


def run(
    *,
    table_id: uuid.UUID,
    path: str,
    filename: str,
    format: str | None,
    type_overrides: dict[str, str] | None,
    on_progress: Progress | None,
) -> IngestReport:
    """Load the file and swap it in; see services.ingest_file for the contract."""
    started = time.monotonic()
    report = IngestReport(
        table_id=str(table_id), filename=filename, started_at=timezone.now().isoformat()
    )
    record = Ingest.objects.create(
        table_id=table_id, filename=filename[:255], started_at=timezone.now()
    )
    engine = backend()
    loader = _Loader(report, table_id, engine)
    try:
        readers.check_size(path)
        chosen_format = readers.detect_format(path, filename, format)
        chosen = _chosen_types(type_overrides or {})
        outcome = _load(loader, path, chosen_format, chosen, on_progress, report)
        _swap(table_id, outcome)
        report.status, report.message = (
            "ok",
            _("Loaded %(rows)s rows.") % {"rows": f"{outcome.rows:,}"},
        )
        if on_progress is not None:
            on_progress(outcome.rows, outcome.rows)
    except IngestFailed as error:
        report.status, report.message = "failed", error.message
        report.code = error.details.get("code", error.code)
    except Exception:
        report.status, report.code = "failed", "internal_error"
        report.message = _("The file could not be loaded because of an error on our side.")
        raise
    finally:
        report.duration_seconds = round(time.monotonic() - started, 3)
        report.finished_at = timezone.now().isoformat()
        Ingest.objects.filter(pk=record.pk).update(
            status=report.status if report.status in ("ok", "failed") else "failed",
            report=report.to_dict(),
            finished_at=timezone.now(),
        )
    return report


def _chosen_types(overrides: dict[str, str]) -> dict[str, str]:
    chosen = {}
    for column, type_name in overrides.items():
        try:
            chosen[column] = types.canonical(type_name)
        except ValueError:
            raise readers.refuse(
                "unknown_type",
                _("“%(type)s” is not a column type. Use one of: %(types)s.")
                % {"type": type_name, "types": ", ".join(types.TYPES)},
            ) from None
    return chosen


def _load(loader, path, format, chosen, on_progress, report) -> _Pass:
    encoding = None
    widened: dict[str, str] = {}
    for attempt in range(1, MAX_PASSES + 1):
        report.passes = attempt
        try:
            outcome = loader.read(
                path,
                format,
                encoding=encoding,
                chosen=chosen,
                widened=widened,
                on_progress=on_progress,
            )
        except UnicodeDecodeError:
            if encoding == readers.WINDOWS_1252:
                raise
            encoding = readers.WINDOWS_1252
            continue
        if not outcome.widen:
            _fill_report(report, outcome)
            return outcome
        widened.update(outcome.widen)
    raise readers.refuse("unstable_types", _("The column types could not be settled."))


def _fill_report(report: IngestReport, outcome: _Pass) -> None:
    report.rows, report.blank_rows = outcome.rows, outcome.blank_rows
    report.problems, report.problem_counts = outcome.problems, outcome.counts
    report.problems_truncated = sum(outcome.counts.values()) > len(outcome.problems)
    report.columns = [
        {key: column.get(key) for key in ("id", "label", "inferred_type", "type", "indexed")}
        for column in outcome.columns
    ]


def _swap(table_id: uuid.UUID, outcome: _Pass) -> None:
    """Serve the staging table in place of the old one, in one transaction."""
    engine = backend()
    columns = [
        {"id": c["id"], "type": c["type"], "label": c["label"]}
        | ({"scale": c.get("scale", 0)} if c["type"] == types.DECIMAL else {})
        for c in outcome.columns
    ]
    full_text = any(c["type"] == types.TEXT for c in columns) and bool(configured("FULL_TEXT"))
    with transaction.atomic():
        table = Table.objects.select_for_update().filter(pk=table_id).first()
        old = table.physical_name if table else None
        if table is None:
            table = Table(id=table_id)
        table.physical_name = outcome.staging
        table.columns = columns
        table.full_text = full_text
        table.row_count = outcome.rows
        table.generation += 1
        table.updated_at = timezone.now()
        table.save()
        if old:
            engine.drop(old)
