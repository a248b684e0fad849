"""Loading a file into a new physical table, then serving it in place of the old one.

The load is built to be fast and to lose nothing:
- types are inferred from the first rows, then checked on every cell as it loads;
- a cell that does not fit its column's type is stored empty and reported with its row,
  its column and its text as written (the original file keeps it; ADR 0036);
- an inferred type that the whole column no longer fits (see `types.choose`: fewer than 98%
  of its cells, or a wider type holds more) is widened (integer to decimal to text, date
  to datetime to text) and the file is loaded again with the wider types; a type the
  publisher chose is kept;
- a CSV that turns out not to be UTF-8 is read again as Windows-1252 and the report says so;
- a file Arrow's reader would read differently is read again row by row (ADR 0021);
- rows go in batches through three threads (reading and converting, preparing, writing),
  committed as they go so other writers are not held up, into a staging table that nobody
  reads until it is complete, indexed and swapped.
"""

import ctypes
import gc
import itertools
import logging
import operator
import queue
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import _grants, _paired, _recovery
from . import _readers as readers
from . import _types as types
from ._backends import Backend, backend, in_callers_transaction
from .errors import IngestFailed, NothingHeld
from .models import Ingest, Table
from .results import IngestReport

logger = logging.getLogger("townhall.datastore")

SAMPLE_ROWS = 10_000
BATCH_ROWS = 50_000
MAX_PASSES = 4
Progress = Callable[[int, int | None], None]
_NUMBER, _CELLS = operator.itemgetter(0), operator.itemgetter(1)

_LIMITS = {
    "MAX_REPORTED_PROBLEMS": 1000,
    "MAX_INDEXED_COLUMNS": 32,
    "FULL_TEXT": 1,
    "PAIRED_INDEXES": 3,
    "PAIRED_INDEX_MIN_ROWS": 100_000,
    "PAIRED_INDEX_AFTER": 20,
}


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


def _find_malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return None


_MALLOC_TRIM = _find_malloc_trim()


def _release_memory() -> None:
    """Hand the memory a load used back to the system, so a worker does not keep the peak
    of its largest load for the rest of its life.

    The cycle collector is paused while rows load, and an openpyxl workbook is a cycle, so
    its shared strings stay reachable until a collection; what is freed then sits in
    Arrow's pool and the C library's heap until each is told to let it go.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


# A batch on its way to the database: the file's row numbers and one Arrow array of text
# per column (null for an empty cell).
_Batch = tuple[Sequence[int], list[pa.Array]]


def _first_rows(batches: Iterator[_Batch], count: int, width: int) -> tuple[list, Iterator[_Batch]]:
    """Each column's first `count` cells, as text or None, and all the batches still to
    be loaded (the ones read to find them included)."""
    taken: list[_Batch] = []
    rows = 0
    for batch in batches:
        taken.append(batch)
        rows += len(batch[0])
        if rows >= count:
            break
    if not taken:
        return [[] for _ in range(width)], batches
    sample = [
        pa.concat_arrays([columns[position] for _, columns in taken]).slice(0, count).to_pylist()
        for position in range(width)
    ]
    return sample, itertools.chain(taken, batches)


def _rebatched(batches, size: int) -> Iterator[tuple[int, pa.Table]]:
    """Arrow's batches follow the file's blocks; the load takes `size` rows at a time."""
    pending: list[pa.RecordBatch] = []
    start = count = 0
    for number, batch in batches:
        if not pending:
            start = number
        pending.append(batch)
        count += batch.num_rows
        while count >= size:
            table = pa.Table.from_batches(pending)
            yield start, table.slice(0, size)
            pending = table.slice(size).to_batches()
            start, count = start + size, count - size
    if count:
        yield start, pa.Table.from_batches(pending)


def _rows_with_cells(columns: list) -> pa.Array:
    """The positions of the rows with a cell that is more than white space in these columns
    (the rule `_Loader._fit` applies to rows read by Python)."""
    if not columns:
        return pa.array([], pa.uint64())
    present = _has_text(columns[0])
    for column in columns[1:]:
        if pc.all(present).as_py():
            break
        present = pc.or_(present, _has_text(column))
    return pc.indices_nonzero(present)


def _has_text(column: pa.Array) -> pa.Array:
    trimmed = pc.utf8_length(pc.utf8_trim_whitespace(column))
    return pc.fill_null(pc.greater(trimmed, 0), False)


def _refuse_long_cells(numbers: Sequence[int], columns: list[pa.Array]) -> None:
    """A cell longer than Python's csv module reads (131,072 characters) is almost always a
    quote left open, which swallows the rows after it: refuse the file, whichever reader
    read it, saying where."""
    for column in columns:
        lengths = pc.utf8_length(column)
        if (pc.max(lengths).as_py() or 0) > readers.MAX_CELL_CHARACTERS:
            index = pc.index(pc.greater(lengths, readers.MAX_CELL_CHARACTERS), True)
            row = numbers[index.as_py()]
            raise readers.refuse(
                "unreadable_row",
                _(
                    "Row %(row)s has a cell of more than %(max)s characters, usually a quote "
                    "left open. Check its quotes."
                )
                % {"row": row, "max": f"{readers.MAX_CELL_CHARACTERS:,}"},
                row=row,
            )


def _extra_cells(number: int, table: pa.Table, width: int) -> str:
    found = table.num_columns
    return _("Row %(row)s has %(found)s cells, not %(expected)s; the extra ones are left out.") % {
        "row": number,
        "found": found,
        "expected": width,
    }


def _prepared(converted: Iterator, writer) -> Iterator:
    """(rows read so far, the batch ready for the writer to apply), batch by batch."""
    for rows, values in converted:
        yield rows, writer.prepare(values)


_END = object()


def _in_background[T](items: Iterator[T], ahead: int = 2) -> Iterator[T]:
    """`items`, produced in a second thread up to `ahead` items before they are taken, in
    the caller's language; an exception there is raised here. Close the iterator to stop
    the thread (it is joined before close returns)."""
    handover: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    language = translation.get_language()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                handover.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            with translation.override(language), closing(items):
                for item in items:
                    if not hand_over((item, None)):
                        return
            hand_over((_END, None))
        except BaseException as error:  # raised again in the caller's thread
            hand_over((_END, error))

    thread = threading.Thread(target=produce, name="townhall-ingest-reader", daemon=True)
    thread.start()
    try:
        while True:
            item, error = handover.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def configured(name: str) -> int:
    from django.conf import settings

    return int(getattr(settings, f"DATASTORE_{name}", _LIMITS[name]))


def physical_prefix(table_id: uuid.UUID) -> str:
    return f"ds_{table_id.hex}_"


class _WiderTypesNeeded(Exception):
    pass


def _called_for(column: dict) -> str:
    """The type an inferred column's cells so far call for: its own or a wider one."""
    if column["chosen"] or not column["misfits"]:
        return column["type"]
    fitted = column["filled"] - column["misfits"].total()
    kinds = column["misfits"] + Counter({column["type"]: fitted})
    return types.join(column["type"], types.choose(kinds))


def _widens_without_loss(column: dict) -> bool:
    """Whether the column must widen whatever its later cells hold: a decimal among
    integers (or a datetime among dates) only ever holds more of them."""
    return _called_for(column) not in (column["type"], types.TEXT)


@dataclass
class _Pass:
    """The outcome of reading the file once."""

    staging: str = ""
    columns: list[dict] = field(default_factory=list)
    rows: int = 0
    blank_rows: int = 0
    problems: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    column_counts: dict[str, int] = field(default_factory=dict)
    widen: dict[str, str] = field(default_factory=dict)
    text_columns: list[str] = field(default_factory=list)
    indexes_later: bool = False


class _Loader:
    def __init__(
        self,
        report: IngestReport,
        table_id: uuid.UUID,
        engine: Backend,
        heartbeat: _recovery.Heartbeat,
        hold: bool = False,
    ):
        self.report = report
        self.table_id = table_id
        self.engine = engine
        self.heartbeat = heartbeat
        self.hold = hold
        self.max_problems = configured("MAX_REPORTED_PROBLEMS")

    def problem(
        self,
        outcome: _Pass,
        row: int,
        column: str | None,
        code: str,
        message: str,
        value: str | None = None,
    ):
        outcome.counts[code] = outcome.counts.get(code, 0) + 1
        if column is not None:
            outcome.column_counts[column] = outcome.column_counts.get(column, 0) + 1
        if len(outcome.problems) < self.max_problems:
            entry = {"row": row, "column": column, "code": code, "message": message}
            outcome.problems.append(entry if value is None else entry | {"value": value})

    def read(
        self,
        path: str,
        format: str,
        *,
        encoding: str | None,
        columnar: bool,
        chosen: dict[str, str],
        widened: dict[str, str],
        on_progress: Progress | None,
    ) -> _Pass:
        source = readers.open_source(path, format, encoding=encoding, columnar=columnar)
        self.report.format, self.report.encoding = source.format, source.encoding
        self.report.delimiter = source.delimiter
        outcome = _Pass()
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
            for entry in header_problems:
                self.problem(outcome, 1, entry["column"], entry["code"], entry["message"])
            if source.batches is not None:
                batches = self._column_batches(outcome, source.batches, names)
            else:
                batches = self._row_batches(outcome, source.rows, names)
            sample, batches = _first_rows(batches, SAMPLE_ROWS, len(names))
            outcome.columns = self._columns(names, source.header, sample, chosen, widened)
            outcome.staging = physical_prefix(self.table_id) + secrets.token_hex(4)
            self.heartbeat.staging(outcome.staging)
            text_columns = [c["id"] for c in outcome.columns if c["type"] == types.TEXT]
            full_text = bool(text_columns) and bool(configured("FULL_TEXT"))
            self.engine.create_table(
                outcome.staging,
                [(c["id"], c["type"]) for c in outcome.columns],
                text_columns if full_text else (),
            )
            self._load(outcome, batches, source, on_progress)
            if outcome.widen:
                self.engine.drop(outcome.staging)
            else:
                self._finish_table(outcome, text_columns if full_text else [])
            return outcome
        except BaseException:
            if outcome.staging:
                self.engine.drop(outcome.staging)
            raise
        finally:
            source.close()

    def _columns(self, names, header, sample: list[pa.Array], chosen, widened) -> list[dict]:
        columns = []
        for position, name in enumerate(names):
            label = header[position].strip() if position < len(header) else ""
            if name in chosen:
                inferred = None
                final = chosen[name]
            else:
                cells = [(cell.strip() or None) if cell else None for cell in sample[position]]
                inferred = types.infer(cells)
                final = widened.get(name) or inferred
            columns.append(
                {
                    "id": name,
                    "label": label or name,
                    "inferred_type": widened.get(name) or inferred,
                    "type": final,
                    "chosen": name in chosen,
                    "filled": 0,
                    "misfits": Counter(),
                }
            )
        return columns

    def _column_batches(self, outcome: _Pass, batches, names: list[str]) -> Iterator[_Batch]:
        """Arrow's batches, BATCH_ROWS rows at a time, with blank rows left out and cells
        beyond the named columns reported, all with whole-column operations."""
        width = len(names)
        for start, table in _rebatched(batches, BATCH_ROWS):
            columns = [column.combine_chunks() for column in table.columns]
            numbers: Sequence[int] = range(start, start + table.num_rows)
            for index in _rows_with_cells(columns[width:]):
                number = numbers[index]
                self.problem(
                    outcome, number, None, "extra-cell", _extra_cells(number, table, width)
                )
            present = _rows_with_cells(columns)
            if len(present) < table.num_rows:
                outcome.blank_rows += table.num_rows - len(present)
                numbers = [numbers[index] for index in present]
                columns = [column.take(present) for column in columns]
            if numbers:
                yield numbers, columns[:width]

    def _row_batches(self, outcome: _Pass, rows, names: list[str]) -> Iterator[_Batch]:
        """Python's rows, BATCH_ROWS at a time, fitted to the header: checked for short,
        long and blank rows with C-speed passes, and fitted row by row only when needed."""
        width = len(names)
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, BATCH_ROWS)):
            numbers = list(map(_NUMBER, chunk))
            batch = list(map(_CELLS, chunk))
            if not (
                all(map(width.__eq__, map(len, batch)))
                and all(map(any, batch))
                and not any(map(str.isspace, map("".join, batch)))
            ):
                numbers, batch = self._fit_batch(outcome, numbers, batch, width, names)
            if batch:
                columns = [
                    pa.array([cell or None for cell in column], pa.string())
                    for column in zip(*batch, strict=True)
                ]
                yield numbers, columns

    def _load(self, outcome: _Pass, batches: Iterator[_Batch], source, on_progress) -> None:
        """A pipeline of three threads, each spending most of its time in C with the GIL
        released: one reads and converts batches, one prepares them for the database, and
        this one writes the prepared ones to it."""
        columns_and_types = [(c["id"], c["type"]) for c in outcome.columns]
        with (
            suppress(_WiderTypesNeeded),
            _no_cycle_collection(),
            self.engine.writer(outcome.staging, columns_and_types) as writer,
        ):
            with (
                closing(_in_background(self._converted(outcome, batches))) as converted,
                closing(_in_background(_prepared(converted, writer))) as prepared,
            ):
                for rows, item in prepared:
                    writer.apply(item)
                    self.heartbeat.beat()
                    if on_progress is not None:
                        estimate = source.estimated_rows
                        on_progress(rows, max(estimate, rows) if estimate else None)
            if outcome.widen:
                raise _WiderTypesNeeded  # Leaves the writer without keeping what it wrote.

    def _converted(self, outcome: _Pass, batches: Iterator[_Batch]) -> Iterator:
        """(rows read so far, the batch converted), batch by batch."""
        max_rows = readers.limit("MAX_ROWS")
        for numbers, columns in batches:
            _refuse_long_cells(numbers, columns)
            converted = self._convert(outcome, numbers, columns)
            outcome.rows += len(numbers)
            if outcome.rows > max_rows:
                raise readers.refuse(
                    "too_many_rows",
                    _("The table has more than %(max)s rows, the most that can be loaded.")
                    % {"max": f"{max_rows:,}"},
                )
            # Once a column must widen without loss (a decimal among integers), the pass
            # will be repeated: nothing more is written, but every cell is still counted.
            if not any(map(_widens_without_loss, outcome.columns)):
                yield outcome.rows, converted
        for column in outcome.columns:
            if _called_for(column) != column["type"]:
                outcome.widen[column["id"]] = _called_for(column)

    def _fit_batch(self, outcome, numbers, batch, width, ids):
        """The batch with short rows padded, long rows cut and blank rows left out."""
        kept_numbers, kept = [], []
        for number, row in zip(numbers, batch, strict=True):
            if len(row) != width or not any(row) or "".join(row).isspace():
                row = self._fit(outcome, number, row, width, ids)
                if row is None:
                    continue
            kept_numbers.append(number)
            kept.append(row)
        return kept_numbers, kept

    def _convert(self, outcome: _Pass, numbers: Sequence[int], columns: list[pa.Array]) -> list:
        """The batch's cells converted to the text each database stores, one array a column."""
        converted = []
        for column, cells in zip(outcome.columns, columns, strict=True):
            values = types.convert_batch(column["type"], not column["chosen"], cells)
            if values is not None:
                column["filled"] += len(cells) - cells.null_count
            else:
                values = pa.array(
                    self._convert_each(outcome, numbers, cells.to_pylist(), column), pa.string()
                )
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
        """Convert one column cell by cell. A cell that does not fit is stored empty and
        reported with its text; for an inferred type its kind is counted, to settle the
        column's type when the pass ends."""
        convert = types.converter(column["type"], strict=not column["chosen"])
        values = []
        for number, cell in zip(numbers, cells, strict=True):
            written = (cell or "").strip()
            column["filled"] += bool(written)
            try:
                values.append(convert(written))
                continue
            except ValueError:
                values.append(None)
            if not column["chosen"]:
                column["misfits"][types.kind_of(written)] += 1
            self.problem(
                outcome,
                number,
                column["id"],
                "type-error",
                _(
                    "“%(value)s” in row %(row)s is not %(type)s. The cell is empty in the "
                    "table; the original file keeps it as written."
                )
                % {"value": written[:100], "row": number, "type": types.described(column["type"])},
                value=written[:100],
            )
        return values

    def _finish_table(self, outcome: _Pass, text_columns: list[str]) -> None:
        """The primary key and the planner's statistics, then the table can be served; the
        column and full-text indexes, most of a load's time, are built once it is (ADR
        0038), except inside a caller's transaction, where nobody could see it sooner, and
        for a table held because of its problems (ADR 0037), served only once released."""
        self.engine.add_row_id_key(outcome.staging)
        outcome.text_columns = text_columns
        outcome.indexes_later = not in_callers_transaction() and not _held(self.hold, outcome)
        if outcome.indexes_later:
            self.engine.analyse(outcome.staging)
        else:
            build_indexes(
                self.engine,
                outcome.staging,
                outcome.columns,
                text_columns,
                self.heartbeat.beat,
                self.table_id,
            )


def build_indexes(
    engine: Backend,
    name: str,
    columns: list[dict],
    text_columns: Sequence[str],
    beat: Callable[[], None],
    table_id: uuid.UUID,
) -> None:
    """Index each column (marking it `indexed`) and each pair of columns the table has
    learned to index (ADR 0025), build the full-text index, then give the planner its
    statistics; `beat` is called between indexes."""
    most = configured("MAX_INDEXED_COLUMNS")
    for number, column in enumerate(columns, start=1):
        column["indexed"] = number <= most and engine.create_index(name, number, column["id"])
        beat()
    for first, second in _paired.remembered(table_id, columns):
        engine.create_paired_index(name, _paired.index_name(name, first, second), first, second)
        beat()
    if text_columns:
        with transaction.atomic():
            engine.create_full_text(name, text_columns)
    engine.analyse(name)


def _index_served(table_id: uuid.UUID, outcome: _Pass, heartbeat: _recovery.Heartbeat) -> None:
    """Build the indexes of the table just swapped in. A newer load that replaces it
    meanwhile ends this; a failure leaves `indexes_ready` false for the worker to finish
    (queries work without the indexes, slower)."""
    served = Table.objects.filter(pk=table_id, physical_name=outcome.staging)
    engine = backend()
    try:
        build_indexes(
            engine,
            outcome.staging,
            outcome.columns,
            outcome.text_columns,
            heartbeat.beat,
            table_id,
        )
    except DatabaseError:
        if served.exists():
            logger.exception("Could not build the indexes of %s; the worker will", table_id)
        return
    served.update(indexes_ready=True)


def run(
    *,
    table_id: uuid.UUID,
    owner: str,
    path: str,
    filename: str,
    format: str | None,
    type_overrides: dict[str, str] | None,
    on_progress: Progress | None,
    on_served: Callable[[int], None] | None = None,
    hold: bool = False,
) -> IngestReport:
    """Load the file and swap it in, or hold it; see services.ingest_file for the contract."""
    started = time.monotonic()
    report = IngestReport(
        table_id=str(table_id), filename=filename, started_at=timezone.now().isoformat()
    )
    record = Ingest.objects.create(
        table_id=table_id,
        filename=filename[:255],
        started_at=timezone.now(),
        owner=owner[:100],
        **_recovery.Heartbeat.fields(),
    )
    heartbeat = _recovery.Heartbeat(record)
    engine = backend()
    loader = _Loader(report, table_id, engine, heartbeat, hold)
    try:
        _check_owner(table_id, owner)
        readers.check_size(path)
        chosen_format = readers.detect_format(path, filename, format)
        chosen = _chosen_types(type_overrides or {})
        outcome = _load(loader, path, chosen_format, chosen, on_progress, report)
        if _held(hold, outcome):
            _hold(record.pk, table_id, outcome, report)
            return report
        _swap(table_id, owner, outcome)
        report.status, report.message = (
            "ok",
            _("Loaded %(rows)s rows.") % {"rows": f"{outcome.rows:,}"},
        )
        if on_progress is not None:
            on_progress(outcome.rows, outcome.rows)
        if outcome.indexes_later:
            Ingest.objects.filter(pk=record.pk).update(
                status=Ingest.Status.OK, report=report.to_dict()
            )
        if on_served is not None:
            on_served(outcome.rows)
        if outcome.indexes_later:
            _index_served(table_id, outcome, heartbeat)
            _fill_report(report, outcome)
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
            status=report.status if report.status in ("ok", "failed", "held") else "failed",
            report=report.to_dict(),
            finished_at=timezone.now(),
        )
        heartbeat.stop()
        _release_memory()
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
    columnar = True
    widened: dict[str, str] = {}
    for attempt in range(1, MAX_PASSES + 1):
        report.passes = attempt
        try:
            outcome = loader.read(
                path,
                format,
                encoding=encoding,
                columnar=columnar,
                chosen=chosen,
                widened=widened,
                on_progress=on_progress,
            )
        except readers.NotColumnar:
            columnar = False
            continue
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
    report.column_problem_counts = outcome.column_counts
    report.problems_truncated = sum(outcome.counts.values()) > len(outcome.problems)
    report.columns = [
        {key: column.get(key) for key in ("id", "label", "inferred_type", "type", "indexed")}
        for column in outcome.columns
    ]


def _check_owner(table_id: uuid.UUID, owner: str) -> None:
    """One module owns a table: another may not load into it (it could not say who reads it)."""
    if not owner:
        raise readers.refuse("no_owner", _("Say which module owns the table."))
    current = Table.objects.filter(pk=table_id).values_list("owner", flat=True).first()
    if current is not None and current != owner:
        raise readers.refuse(
            "table_owned",
            _("Another part of the platform owns this table, so it cannot be loaded from here."),
        )


def _swap(table_id: uuid.UUID, owner: str, outcome: _Pass) -> None:
    """Serve the staging table in place of the old one, in one transaction."""
    with transaction.atomic():
        _serve(
            table_id,
            owner,
            outcome.staging,
            _served_columns(outcome),
            outcome.rows,
            indexes_ready=not outcome.indexes_later,
        )


def _served_columns(outcome: _Pass) -> list[dict]:
    return [
        {"id": c["id"], "type": c["type"], "label": c["label"]}
        | ({"scale": c.get("scale", 0)} if c["type"] == types.DECIMAL else {})
        for c in outcome.columns
    ]


def _serve(
    table_id: uuid.UUID,
    owner: str,
    staging: str,
    columns: list[dict],
    rows: int,
    *,
    indexes_ready: bool,
) -> None:
    """Point the table at `staging` and drop what it served before and any load held for
    it, which this newer one replaces. Runs inside the caller's transaction."""
    engine = backend()
    full_text = any(c["type"] == types.TEXT for c in columns) and bool(configured("FULL_TEXT"))
    table = Table.objects.select_for_update().filter(pk=table_id).first()
    old = table.physical_name if table else None
    if table is None:
        table = Table(id=table_id, owner=owner)
    table.physical_name = staging
    table.columns = columns
    names = {column["id"] for column in columns}
    table.paired_indexes = [pair for pair in table.paired_indexes if set(pair) <= names]
    table.full_text = full_text
    table.indexes_ready = indexes_ready
    table.row_count = rows
    table.generation += 1
    table.updated_at = timezone.now()
    table.save()
    _grants.follow(table_id, staging)
    _discard_held(table_id, keep=staging)
    if old:
        engine.drop(old)


# --- Loads held until their problems are confirmed (ADR 0037) -----------------------------


def _held(hold: bool, outcome: _Pass) -> bool:
    """Whether this load is to be held rather than served: asked to, and problems found."""
    return hold and any(outcome.counts.values())


def _hold(pk: int, table_id: uuid.UUID, outcome: _Pass, report: IngestReport) -> None:
    """Keep the complete, indexed staging table unserved, in place of any load held before."""
    problems = sum(outcome.counts.values())
    report.status = "held"
    report.message = ngettext(
        "Loaded %(rows)s rows with %(count)s problem; held until it is released.",
        "Loaded %(rows)s rows with %(count)s problems; held until it is released.",
        problems,
    ) % {"rows": f"{outcome.rows:,}", "count": f"{problems:,}"}
    with transaction.atomic():
        Table.objects.select_for_update().filter(pk=table_id).first()
        _discard_held(table_id, keep=outcome.staging)
        Ingest.objects.filter(pk=pk).update(
            status=Ingest.Status.HELD,
            staging=outcome.staging,
            columns=_served_columns(outcome),
            report=report.to_dict(),
        )


def _discard_held(table_id: uuid.UUID, *, keep: str = "") -> int:
    """Mark the table's held loads discarded and drop their tables, except `keep`."""
    engine = backend()
    held = Ingest.objects.filter(table_id=table_id, status=Ingest.Status.HELD).exclude(staging=keep)
    discarded = 0
    for ingest in held.select_for_update():
        mark_discarded(ingest)
        engine.drop(ingest.staging)
        discarded += 1
    return discarded


def mark_discarded(ingest: Ingest) -> None:
    """Record on the load's report that it was discarded (its table is dropped by the caller)."""
    report = dict(ingest.report) | {
        "status": "discarded",
        "message": _("Discarded without being served."),
    }
    Ingest.objects.filter(pk=ingest.pk).update(status=Ingest.Status.DISCARDED, report=report)


def _take_held(table_id: uuid.UUID, status: str) -> Ingest:
    """Lock the table and its held load and move that load to `status`, inside the caller's
    transaction; NothingHeld when there is none (released, discarded or replaced meanwhile)."""
    Table.objects.select_for_update().filter(pk=table_id).first()
    held = (
        Ingest.objects.select_for_update()
        .filter(table_id=table_id, status=Ingest.Status.HELD)
        .order_by("-started_at", "-id")
        .first()
    )
    # The conditional update, not only the lock, makes a second release fail: SQLite has no
    # row locks, and a transaction there may have read the row before the first committed.
    if held is None or not Ingest.objects.filter(pk=held.pk, status=Ingest.Status.HELD).update(
        status=status
    ):
        raise NothingHeld(
            _(
                "There is no held load to release or discard for this table: it was "
                "released, discarded or replaced by a newer load."
            ),
            {"id": str(table_id)},
        )
    return held


def release_held(table_id: uuid.UUID) -> IngestReport:
    """Serve the table's held load in place of what it serves; see services.held_release."""
    with transaction.atomic():
        held = _take_held(table_id, Ingest.Status.OK)
        report = IngestReport.from_dict(held.report)
        report.status = "ok"
        report.message = _("Loaded %(rows)s rows.") % {"rows": f"{report.rows:,}"}
        Ingest.objects.filter(pk=held.pk).update(report=report.to_dict())
        _serve(table_id, held.owner, held.staging, held.columns, report.rows, indexes_ready=True)
    return report


def discard_held(table_id: uuid.UUID) -> IngestReport:
    """Drop the table's held load unserved; see services.held_discard."""
    with transaction.atomic():
        held = _take_held(table_id, Ingest.Status.DISCARDED)
        mark_discarded(held)
        backend().drop(held.staging)
    return IngestReport.from_dict(Ingest.objects.get(pk=held.pk).report)
