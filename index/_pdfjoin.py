"""Cell text cut by a page break or a narrow cell, joined back across the rows of a stitched table.

- `join_broken_label`: a label cut by the page break ("十七、国土海洋气象等支" / "出") is joined to the row above.
- `join_wrapped_numbers`: an amount whose last digits wrapped onto a row of their own ("12,437.3" then "6") is
  joined ("12,437.36") when that gives the column's usual number of decimals, which the figure above lacks.

A line break inside one cell is handled by `_pdfgrids.clean`; here rows are whole rows of the table.
Does not handle: a figure cut before its decimal point ("12,43" + "7.36"), which cannot be told from two
figures; a wrapped figure in a column with no usual number of decimals (it is left as read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._pdfgrids import Cell
from ._rows import parse_amount


@dataclass
class DataRow:
    page: int
    slots: list[tuple[Cell | None, bool]]     # (owner cell, is this slot the cell's origin)


def join_broken_label(rows: list[DataRow], i: int) -> None:
    """A label cell cut by the page break ("十七、国土海洋气象等支" / "出") is joined back."""
    if i == 0 or i >= len(rows):
        return
    prev, row = rows[i - 1], rows[i]
    texts = [(c, cell.text) for c, (cell, origin) in enumerate(row.slots) if cell and origin and cell.text]
    if not texts or any(parse_amount(t) is not None or len(t) > 3 for _, t in texts):
        return
    if any(prev.slots[c][0] is None or not prev.slots[c][0].text for c, _ in texts):
        return
    for c, t in texts:
        old = prev.slots[c][0]
        prev.slots[c] = (Cell(old.text + t, old.r0, old.r1, old.c0, old.c1), prev.slots[c][1])
    del rows[i]


_NUMBER_TEXT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$")
_NUMBER_TAIL = re.compile(r"^\.?\d{1,4}$")


def _decimals(text: str) -> int | None:
    """Digits after the point of a printed number ("12,437.3" -> 1, "7,600" -> 0); None if not a number."""
    m = _NUMBER_TEXT.match(text.strip())
    return None if m is None else len(m.group(1) or "")


def _usual_decimals(cells: list[Cell]) -> int | None:
    """The decimals almost every printed number among `cells` has (2 in most budget tables); None if unclear."""
    counts = [d for cell in cells if "." in cell.text and (d := _decimals(cell.text)) is not None]
    if len(counts) < 2:
        return None
    best = max(set(counts), key=counts.count)
    return best if best > 0 and counts.count(best) >= 0.9 * len(counts) else None


def join_wrapped_numbers(rows: list[DataRow]) -> None:
    """An amount wrapped in a narrow cell whose last digits fall on a row of their own ("12,437.3" then a row
    holding only "6", typically across a page break) is joined again ("12,437.36").

    A row is such a continuation only when every figure on it is a bare run of digits that, appended to the
    figure above it, gives that column's usual number of decimals (which the figure above lacks), and any text
    on it continues the text above (the rest of a wrapped label). The row is then merged into the one above.
    """
    ncols = max((len(r.slots) for r in rows), default=0)
    origins = [[row.slots[c][0] for row in rows if row.slots[c][0] is not None and row.slots[c][1]]
               for c in range(ncols)]
    table_usual = _usual_decimals([cell for col in origins for cell in col])
    i = 1
    while i < len(rows):
        joined = _wrapped_tail(rows[i - 1], rows[i], origins, table_usual)
        if joined is None:
            i += 1
            continue
        prev = rows[i - 1]
        for c, text in joined.items():
            old = prev.slots[c][0]
            prev.slots[c] = (Cell(text, old.r0, old.r1, old.c0, old.c1), prev.slots[c][1])
        del rows[i]


def _wrapped_tail(prev: DataRow, row: DataRow, origins: list[list[Cell]],
                  table_usual: int | None) -> dict[int, str] | None:
    """The joined texts by column when `row` only holds the wrapped ends of `prev`'s cells, else None."""
    joined: dict[int, str] = {}
    figures = 0
    for c, (cell, origin) in enumerate(row.slots):
        if cell is None or not origin or not cell.text:
            continue
        above = prev.slots[c][0] if c < len(prev.slots) else None
        if above is None or not above.text or not prev.slots[c][1]:
            return None
        if _NUMBER_TAIL.match(cell.text) and _decimals(above.text) is not None:
            others = [o for o in origins[c] if o is not above and o is not cell and "." in o.text]
            usual = _usual_decimals(others) if len(others) >= 2 else table_usual    # the column's own, if any
            whole = above.text + cell.text
            if usual is None or _decimals(above.text) == usual or _decimals(whole) != usual or "." not in whole:
                return None
            joined[c] = whole
            figures += 1
        elif parse_amount(cell.text) is None and parse_amount(above.text) is None:
            joined[c] = above.text + cell.text      # the rest of a wrapped label
        else:
            return None
    return joined if figures else None
