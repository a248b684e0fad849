"""Small-number suppression of a table with totals, so no small group can be singled out.

The public API is one function::

    from townhall.core.disclosure import suppress_table

    table = suppress_table(cells, row_totals, column_totals, total, threshold=5)
    table.cells[0][1]  # Figure(count=None, small=True, withheld=False): "fewer than 5"

Hiding the small counts alone is not enough: a reader who has a row's total and all its
other cells gets the hidden one back by subtraction. So more figures are withheld
("secondary suppression") until no hidden figure can be worked out exactly from the shown
ones by any sum of rows and columns.

Why the rule below is exact: think of the table with its totals as a grid whose every row
and column adds up (the totals row and column included). Hidden figures are edges of a
graph between their row and their column. Any change to hidden figures that keeps every
sum must add and take away around closed loops of that graph, so a hidden figure is
pinned down exactly when its edge lies on no loop (a bridge). We withhold more figures,
the smallest available, until every line with a hidden figure has at least two and no
hidden figure is a bridge. Tables where a person may be counted in several columns
(multiple choice) do not add up; treating them as if they did withholds a little more
than needed, never less.
"""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One published number: `count` is None when it is hidden; `small` says it was under
    the threshold, `withheld` that it was hidden only to protect a small one."""

    count: int | None
    small: bool = False
    withheld: bool = False


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Figure]]
    row_totals: list[Figure]
    column_totals: list[Figure]
    total: Figure


type Cell = tuple[int, int]


def suppress_table(
    cells: Sequence[Sequence[int]],
    row_totals: Sequence[int],
    column_totals: Sequence[int],
    total: int,
    *,
    threshold: int,
) -> SuppressedTable:
    """The table with every count under `threshold` (zero included, as "fewer than
    `threshold`" says nothing about which) hidden as small, and as few others as the
    rule needs hidden as withheld. Counts shown are exactly the counts given."""
    grid = [[*row, row_total] for row, row_total in zip(cells, row_totals, strict=True)]
    grid.append([*column_totals, total])
    small = {
        (i, j) for i, line in enumerate(grid) for j, count in enumerate(line) if count < threshold
    }
    hidden = set(small)
    while (extra := _one_more_to_hide(grid, hidden)) is not None:
        hidden.add(extra)

    def figure(i: int, j: int) -> Figure:
        if (i, j) in small:
            return Figure(None, small=True)
        if (i, j) in hidden:
            return Figure(None, withheld=True)
        return Figure(grid[i][j])

    width = len(column_totals)
    last = len(grid) - 1
    return SuppressedTable(
        cells=[[figure(i, j) for j in range(width)] for i in range(last)],
        row_totals=[figure(i, width) for i in range(last)],
        column_totals=[figure(last, j) for j in range(width)],
        total=figure(last, width),
    )


def _one_more_to_hide(grid: list[list[int]], hidden: set[Cell]) -> Cell | None:
    """The next figure to withhold, or None when the hidden ones are safe."""
    height, width = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    for line in lines:
        if sum(cell in hidden for cell in line) == 1:
            return _smallest(grid, [cell for cell in line if cell not in hidden])
    for i, j in sorted(hidden):
        if _is_bridge((i, j), hidden):
            # Close a loop through (i, j): hide the corner opposite it in a rectangle whose
            # other two corners are hidden already (each line here has two hidden figures).
            corners = [
                (other_i, other_j)
                for other_j in range(width)
                if (i, other_j) in hidden and other_j != j
                for other_i in range(height)
                if (other_i, j) in hidden and other_i != i
            ]
            return _smallest(grid, [cell for cell in corners if cell not in hidden])
    return None


def _smallest(grid: list[list[int]], cells: list[Cell]) -> Cell:
    return min(cells, key=lambda cell: (grid[cell[0]][cell[1]], cell))


def _is_bridge(edge: Cell, hidden: set[Cell]) -> bool:
    """Whether row edge[0] and column edge[1] are joined only through this hidden figure."""
    start, goal = ("row", edge[0]), ("column", edge[1])
    others = hidden - {edge}
    seen, waiting = {start}, [start]
    while waiting:
        side, index = waiting.pop()
        if (side, index) == goal:
            return False
        for i, j in others:
            if side == "row" and i == index:
                step = ("column", j)
            elif side == "column" and j == index:
                step = ("row", i)
            else:
                continue
            if step not in seen:
                seen.add(step)
                waiting.append(step)
    return True
