"""Ruled tables of a budget PDF stitched over pages: header rows, column names, continuation pages.

`pdf.py` drives this page by page, with `_pdfgrids` (the cell grids of a page) and `_pdfcaptions` (the title,
unit and note lines around a grid):

- `PendingTable.start` takes a titled grid, finds where its header ends (`header_end`) and names the leaf
  columns from the header rows (`column_names`, parts joined with "·"), noting a two-sided 收入 | 支出 header;
- `PendingTable.continue_with` appends the untitled grids that continue it on the next pages (a repeated
  header is dropped, columns matched by position or x; text cut by the page break joined by `_pdfjoin`);
- `PendingTable.raw_rows()` joins wrapped amounts and hands the rows to `_pdfrows.RowBuilder`.

Does not handle: a continuation more than one page after the last, a header of more than `MAX_HEADER_ROWS`.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from ._pdfgrids import Cell, Grid
from ._pdfjoin import DataRow, join_broken_label, join_wrapped_numbers
from ._pdfrows import CODE_TEXT_RE, RowBuilder
from ._rows import RawRow, is_total_label, parse_amount

MAX_HEADER_ROWS = 6


def _is_data_row(grid: Grid, r: int) -> bool:
    origins = [cell for c in range(len(grid.centers)) if (cell := grid.origin(r, c)) is not None]
    texts = [cell.text for cell in origins if cell.text]
    if not texts:
        return True
    if any(parse_amount(t) is not None for t in texts):
        return True
    first = texts[0]
    if (CODE_TEXT_RE.match(first) and len(first.replace(" ", "")) >= 3) or first.startswith(("一、", "1.", "1．")):
        return True
    return is_total_label(first) and len(texts) < len(origins)


def header_end(grid: Grid, start: int = 0) -> int:
    """Index of the first data row: the header is rows start..end-1."""
    for r in range(start, min(len(grid.slots), start + MAX_HEADER_ROWS + 1)):
        if _is_data_row(grid, r):
            return r
    return min(len(grid.slots), start + MAX_HEADER_ROWS)


def column_names(grid: Grid, start: int, end: int) -> list[str]:
    names = []
    for c in range(len(grid.centers)):
        parts: list[str] = []
        last = None
        for r in range(start, end):
            cell = grid.slots[r][c]
            if cell is not None and cell is not last and cell.text:
                parts.append(cell.text)
            last = cell
        names.append("·".join(parts))
    return names


@dataclass
class PendingTable:
    table_id: str
    title: str
    unit: str | None
    names: list[str]
    header: list[list[str]]                   # header rows' texts, to recognise a repeated header
    spans: list[tuple[float, float]]
    pages: list[int] = field(default_factory=list)
    rows: list[DataRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    two_sided: list[tuple[str, list[int]]] | None = None
    printed: bool = False                     # table_id was printed (not numbered on by the reader)
    grid_texts: list[tuple[int, list[str]]] = field(default_factory=list)   # every grid row as printed (forms)

    @classmethod
    def start(cls, grid: Grid, table_id: str, title: str, unit: str | None, skip: int = 0) -> PendingTable:
        end = header_end(grid, skip)
        pt = cls(table_id, title, unit, column_names(grid, skip, end),
                 [grid.row_texts(r) for r in range(skip, end)], grid.spans)
        pt.two_sided = _sides(grid, skip, end)
        pt.add_rows(grid, end, list(range(len(grid.centers))))
        pt.grid_texts += [(grid.page, grid.row_texts(r)) for r in range(skip, len(grid.slots))]
        return pt

    def add_rows(self, grid: Grid, first: int, cmap: list[int]) -> None:
        if grid.page not in self.pages:
            self.pages.append(grid.page)
        for r in range(first, len(grid.slots)):
            slots: list[tuple[Cell | None, bool]] = [(None, False)] * len(self.names)
            for c, target in enumerate(cmap):
                cell = grid.slots[r][c]
                if cell is not None and slots[target][0] is None:
                    slots[target] = (cell, cell.r0 == r and cell.c0 == c)
            if any(cell is not None and origin and cell.text for cell, origin in slots):
                self.rows.append(DataRow(grid.page, slots))

    def continue_with(self, grid: Grid) -> bool:
        """Append an untitled grid from the next page; False when it does not fit this table."""
        if self.pages and grid.page - self.pages[-1] > 1:
            return False
        cmap = self._column_map(grid)
        if cmap is None:
            return False
        skip = 0
        while (skip < len(self.header) and skip < len(grid.slots)
               and grid.row_texts(skip) == self.header[skip]):
            skip += 1
        if 0 < skip < len(self.header):
            skip = 0 if _is_data_row(grid, 0) else skip
        first_rows = len(self.rows)
        self.add_rows(grid, skip, cmap)
        self.grid_texts += [(grid.page, grid.row_texts(r)) for r in range(len(grid.slots))]
        join_broken_label(self.rows, first_rows)
        return True

    def _column_map(self, grid: Grid) -> list[int] | None:
        """Which of this table's columns each column of `grid` is: by position, or by x when merged cells
        ("合计" drawn across the code and name columns) leave the grid with fewer columns."""
        if len(grid.spans) == len(self.spans):
            return list(range(len(grid.spans)))
        if abs(grid.spans[0][0] - self.spans[0][0]) > 15 or abs(grid.spans[-1][1] - self.spans[-1][1]) > 15:
            return None
        out = []
        for x in grid.centers:
            inside = [i for i, (a, b) in enumerate(self.spans) if a <= x <= b]
            out.append(inside[0] if inside else min(range(len(self.spans)),
                                                    key=lambda i: abs(sum(self.spans[i]) / 2 - x)))
        return out

    def raw_rows(self) -> tuple[list[str], list[RawRow]]:
        join_wrapped_numbers(self.rows)
        return RowBuilder(self).build()


def _sides(grid: Grid, start: int, end: int) -> list[tuple[str, list[int]]] | None:
    """Two tables printed side by side: the top header row has a 收入 cell and a 支出 cell, or it splits the
    columns into groups that repeat one header ("人员经费 | 公用经费", each over 科目编码 · 科目名称 · 金额)."""
    if end - start < 2:
        return _repeated_names(column_names(grid, start, end))
    tops = [cell for c in range(len(grid.centers)) if (cell := grid.origin(start, c)) is not None]
    sides = []
    for cell in tops:
        name = "收入" if "收入" in cell.text else "支出" if "支出" in cell.text else None
        if name and name not in (s for s, _ in sides):
            sides.append((name, list(range(cell.c0, cell.c1))))
    if [s for s, _ in sides] == ["收入", "支出"]:
        return sides
    return _repeated_sides(grid, start, end, tops)


_LABEL_COLUMN = re.compile(r"名称|项目|科目|编码|代码|类别|内容")


def _repeated_names(names: list[str]) -> list[tuple[str, list[int]]] | None:
    """One header row repeating its column names in two or more groups, each with a label column ("科目代码 · 科目名称
    · 决算数" three times across the page, no title over the groups: xian-health 公开06表): each group is a side of its
    own (第1栏, 第2栏, …), its labels the rows of its own figures."""
    n = len(names)
    for size in range(2, n // 2 + 1):
        if n % size or not all(names[i] for i in range(size)):
            continue
        groups = [names[i:i + size] for i in range(0, n, size)]
        if all(g == groups[0] for g in groups) and any(_LABEL_COLUMN.search(x) for x in groups[0]) and \
                len(set(groups[0])) == size:
            return [(f"第{k + 1}栏", list(range(k * size, (k + 1) * size))) for k in range(len(groups))]
    return None


def _repeated_sides(grid: Grid, start: int, end: int, tops: list) -> list[tuple[str, list[int]]] | None:
    """The top header cells tile the columns in groups of two or more, each over the same column headers."""
    if len(tops) < 2 or tops[0].c0 != 0 or tops[-1].c1 != len(grid.centers):
        return None
    if any(a.c1 != b.c0 for a, b in zip(tops, tops[1:])) or any(t.c1 - t.c0 < 2 or not t.text for t in tops):
        return None
    names = column_names(grid, start + 1, end)
    groups = [names[t.c0:t.c1] for t in tops]
    if any(g != groups[0] for g in groups) or len({t.text for t in tops}) != len(tops):
        return None
    if not any(_LABEL_COLUMN.search(n) for n in groups[0]):
        return None         # groups of figures only ("预算数 | 决算数" over one row label): periods, not sides
    return [(t.text, list(range(t.c0, t.c1))) for t in tops]
