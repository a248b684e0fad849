"""The Northbridge demo council: a deterministic generator that every module extends.

Each module declares `DemoStep`s in its manifest; `build_demo(size, seed)` runs them all
in ascending `order`, each in its own transaction, and reports each step's time.

The contract every step keeps:

- **Deterministic.** Use only `context.random` (seeded from the seed and the step's
  label, so one module's data does not change when another module adds a step),
  `context.now` (a fixed time) and the helpers below; never `random`, `uuid4()`,
  `timezone.now()` or the network. The same seed gives the same data, byte for byte
  (database ids and automatic timestamps aside).
- **Idempotent.** Running the demo again replaces the step's data instead of adding a
  second copy: delete what the step made before (find it by the demo's own codes,
  slugs or email addresses), or use update_or_create with stable keys.
- **Quick.** Use bulk_create for anything counted in hundreds; `context.size` is
  "small" (tests, `make demo`) or "large" (benchmarks); `context.scale(small, large)`
  picks a count.
- **Through the platform.** Another module's data comes through its services and
  selectors; core's helpers here give wards, postcodes, addresses and residents.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any, TypeVar

from django.db import transaction

from ..registry import DemoStep, registry

SIZES = ("small", "large")
DEFAULT_SEED = 2026
# The demo's "now": fixed, so that every run writes the same dates.
DEMO_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
DEMO_EMAIL_DOMAIN = "example.org"

T = TypeVar("T")

FIRST_NAMES = (
    "Aisha", "Alfie", "Amelia", "Arjun", "Bethan", "Callum", "Chloe", "Daniel", "Dewi",
    "Eleanor", "Ffion", "Freya", "George", "Grace", "Harri", "Isla", "Jack", "Jasmine",
    "Kwame", "Leah", "Mohammed", "Niamh", "Noah", "Olivia", "Oscar", "Priya", "Rhys",
    "Ruby", "Samuel", "Sophie", "Tomasz", "Yusuf", "Zainab", "Zofia",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Baker", "Clarke", "Davies", "Edwards", "Evans", "Green", "Hughes", "Jones",
    "Khan", "Kowalski", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Price", "Roberts",
    "Singh", "Smith", "Taylor", "Thomas", "Walker", "Williams", "Wright", "Young",
)  # fmt: skip


@dataclass
class DemoContext:
    """What a demo step is given: the size, a seeded random generator and helpers."""

    size: str = "small"
    seed: int = DEFAULT_SEED
    now: datetime = DEMO_NOW
    random: Random = field(init=False)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"The demo's size is one of {', '.join(SIZES)}, not {self.size!r}")
        self.random = Random(self.seed)

    def begin_step(self, label: str) -> None:
        """Give the step its own generator, seeded from the seed and its label."""
        self.random = Random(f"{self.seed}:{label}")

    def scale(self, small: int, large: int) -> int:
        """The count for the demo's size: context.scale(small=600, large=6000)."""
        return small if self.size == "small" else large

    def pick(self, items: Sequence[T]) -> T:
        return self.random.choice(items)

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def random_moment(self, start: datetime, end: datetime) -> datetime:
        """A moment between start and end, to the second."""
        span = int((end - start).total_seconds())
        return start + timedelta(seconds=self.random.randint(0, max(span, 0)))

    def wards(self) -> list:
        """The demo council's wards (core Area rows), in code order."""
        from ..models import Area

        return self._cached(
            "wards",
            lambda: list(
                Area.objects.filter(kind=Area.Kind.WARD, code__in=_ward_codes()).order_by("code")
            ),
        )

    def postcodes(self) -> list:
        """The demo's postcodes (core Postcode rows), in order."""
        from ..models import Postcode

        return self._cached(
            "postcodes",
            lambda: list(Postcode.objects.filter(postcode__startswith="NB").order_by("postcode")),
        )

    def addresses(self) -> list:
        """The demo's addresses (core Address rows), in UPRN order."""
        from ..models import Address

        return self._cached(
            "addresses",
            lambda: list(Address.objects.filter(postcode__startswith="NB").order_by("uprn")),
        )

    def random_postcode(self):
        """A demo Postcode, with its point and ward code."""
        return self.pick(self.postcodes())

    def random_address(self):
        """A demo Address, with its UPRN, postcode and point."""
        return self.pick(self.addresses())

    def people(self, count: int) -> list:
        """The first `count` demo residents: verified accounts with @example.org emails.

        Every step sees the same residents (resident number 1 is always the same
        person), created on first use; they hold the "resident" role and no password.
        """
        from .northbridge import residents

        return residents(count, seed=self.seed)

    def forget(self) -> None:
        """Drop cached wards, postcodes and addresses (after the step that makes them)."""
        self._cache.clear()

    def _cached(self, name: str, load: Callable[[], list]) -> list:
        if not self._cache.get(name):
            self._cache[name] = load()
        return self._cache[name]


def _ward_codes() -> list[str]:
    from .northbridge import WARD_CODES

    return WARD_CODES


def build_demo(
    size: str = "small",
    seed: int = DEFAULT_SEED,
    *,
    report: Callable[[str], None] = print,
    modules: Sequence[str] | None = None,
) -> DemoContext:
    """Build (or rebuild) the demo council from every module's demo steps, in order.

    `modules` limits the build to the steps of those app labels (core's are needed by
    the rest). Each step runs in its own transaction, so a failing step leaves the
    earlier steps' data in place and its own unchanged. Returns the context the steps
    shared.
    """
    context = DemoContext(size=size, seed=seed)
    steps = _steps(modules)
    started = time.perf_counter()
    for step in steps:
        step_started = time.perf_counter()
        context.begin_step(step.label)
        with transaction.atomic():
            step.run(context)
        context.forget()
        report(f"{step.label}: {time.perf_counter() - step_started:.2f} s")
    report(f"Northbridge ({size}, seed {seed}) built in {time.perf_counter() - started:.2f} s")
    return context


def _steps(modules: Sequence[str] | None) -> list[DemoStep]:
    if modules is None:
        return registry.demo_steps()
    unknown = set(modules) - {manifest.app_label for manifest in registry}
    if unknown:
        raise ValueError(f"No module is called {', '.join(sorted(unknown))}")
    chosen = (
        step for manifest in registry if manifest.app_label in modules for step in manifest.demo
    )
    return sorted(chosen, key=lambda step: step.order)
