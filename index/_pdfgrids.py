"""Ruled grids of one PDF page: which drawn objects are table rules, and the cells they enclose.

`find_grids(page)` finds the ruled tables of one page (only thin dark rules count as lines: the white
cell-padding rectangles Word-made PDFs draw would otherwise split every column in three) and turns each into a
`Grid` where every slot knows the cell that owns it, so merged cells keep their span. A cell's text broken over
lines inside the cell is joined again (`clean`).

Does not handle: tables drawn without rules (text-only columns), rotated tables, pages with more than
`MAX_RULINGS` ruling segments (returns no grid rather than spend minutes on them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._rows import parse_amount

MAX_RULINGS = 5000          # a page with more ruling segments than this is not a table page we can read

_CJK = r"\u3400-\u9fff\uff08\uff09\u201c\u201d\u3001\uff1a"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def clean(text: str | None) -> str:
    """Cell text as one line: line breaks inside a cell dropped, letter-spacing between CJK characters removed."""
    if not text:
        return ""
    t = text.replace("\r", "").replace("\n", "")
    return _CJK_GAP.sub("", t).strip(" \u3000\t")


@dataclass(eq=False)
class Cell:
    text: str
    r0: int
    r1: int
    c0: int
    c1: int


@dataclass
class Grid:
    """One ruled table as found on one page; `slots[r][c]` is the cell covering that slot (or None)."""
    page: int
    bbox: tuple[float, float, float, float]
    slots: list[list[Cell | None]]
    spans: list[tuple[float, float]]    # x extent of each column

    @property
    def centers(self) -> list[float]:
        return [(a + b) / 2 for a, b in self.spans]

    def origin(self, r: int, c: int) -> Cell | None:
        cell = self.slots[r][c]
        return cell if cell is not None and cell.r0 == r and cell.c0 == c else None

    def row_texts(self, r: int) -> list[str]:
        return [cell.text for c in range(len(self.centers)) if (cell := self.origin(r, c)) is not None]

    def has_amount(self) -> bool:
        return any(parse_amount(t) is not None for r in range(len(self.slots)) for t in self.row_texts(r))


def _is_white(color) -> bool:
    if color is None or isinstance(color, str):
        return False
    if isinstance(color, (int, float)):
        return color >= 0.9
    vals = [v for v in color if isinstance(v, (int, float))]
    if len(vals) == 4:                      # CMYK: white is no ink
        return max(vals) <= 0.1
    return bool(vals) and min(vals) >= 0.9


def ruling_objects(page) -> list[dict]:
    """Thin dark rectangles, stroked rectangles and lines: what a reader sees as table rules."""
    out = []
    for r in page.rects:
        thin = min(r["width"], r["height"]) <= 2.5
        if thin and r.get("fill") and not _is_white(r.get("non_stroking_color")):
            out.append(r)
        elif r.get("stroke") and not _is_white(r.get("stroking_color")):
            out.append(r)
    out.extend(ln for ln in page.lines if not _is_white(ln.get("stroking_color")))
    for c in page.curves:                   # some exporters draw each rule as a thin filled path
        thin = min(c["width"], c["height"]) <= 2.5
        ink = c.get("non_stroking_color") if c.get("fill") else c.get("stroking_color") if c.get("stroke") else None
        if thin and ink is not None and not _is_white(ink):
            out.append({**{k: v for k, v in c.items() if k not in ("pts", "path")}, "object_type": "rect"})
    return out + _closing_rules(out)


def _closing_rules(rules: list[dict]) -> list[dict]:
    """A table continued from the previous page often has no top rule (and one running on, no bottom rule):
    its column rules stick out past the first horizontal one. Close the frame there so the row is read."""
    vert = [r for r in rules if r["bottom"] - r["top"] > r["x1"] - r["x0"]]
    horiz = [r for r in rules if r["bottom"] - r["top"] <= r["x1"] - r["x0"]]
    if not vert or not horiz:
        return []
    x0, x1 = min(r["x0"] for r in rules), max(r["x1"] for r in rules)
    out = []
    top, first = min(r["top"] for r in vert), min(r["top"] for r in horiz)
    bottom, last = max(r["bottom"] for r in vert), max(r["bottom"] for r in horiz)
    for y, open_edge in ((top, first - top > 3), (bottom, bottom - last > 3)):
        if open_edge:
            out.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                        "width": x1 - x0, "height": 0})
    return out


def find_grids(page, page_no: int) -> list[Grid]:
    """The page's ruled tables, top to bottom; [] when the page has no rules (the common, fast case)."""
    rulings = ruling_objects(page)
    if len(rulings) < 4 or len(rulings) > MAX_RULINGS:
        return []
    settings = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                "explicit_vertical_lines": rulings, "explicit_horizontal_lines": rulings}
    grids = [_grid(t, page_no) for t in page.find_tables(settings)]
    grids = [g for g in grids if g is not None]
    return sorted(grids, key=lambda g: g.bbox[1])


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _grid(table, page_no: int) -> Grid | None:
    cells = [(bbox, txt) for row, texts in zip(table.rows, table.extract())
             for bbox, txt in zip(row.cells, texts) if bbox is not None]
    if not cells:
        return None
    xs = _cluster([b[0] for b, _ in cells] + [b[2] for b, _ in cells])
    ys = _cluster([b[1] for b, _ in cells] + [b[3] for b, _ in cells])
    slots: list[list[Cell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for (x0, top, x1, bottom), txt in cells:
        c0, c1, r0, r1 = _index(xs, x0), _index(xs, x1), _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        cell = Cell(clean(txt), r0, r1, c0, c1)
        for r in range(r0, r1):
            for c in range(c0, c1):
                slots[r][c] = cell
    spans = [(xs[i], xs[i + 1]) for i in range(len(xs) - 1)]
    grid = _compact(Grid(page_no, tuple(table.bbox), slots, spans))
    if len(grid.slots) * len(grid.centers) < 2 or not any(any(grid.row_texts(r)) for r in range(len(grid.slots))):
        return None                         # a ruled box around a paragraph, or an empty frame
    return grid


def _compact(g: Grid) -> Grid:
    """Drop rows and columns that no cell covers, renumbering the cells' spans."""
    keep_r = [r for r, row in enumerate(g.slots) if any(row)]
    keep_c = [c for c in range(len(g.centers)) if any(row[c] for row in g.slots)]
    if not keep_r or not keep_c or (len(keep_r) == len(g.slots) and len(keep_c) == len(g.spans)):
        return g
    seen: set[int] = set()
    for row in g.slots:
        for cell in row:
            if cell is not None and id(cell) not in seen:
                seen.add(id(cell))
                cell.r0, cell.r1 = sum(r < cell.r0 for r in keep_r), sum(r < cell.r1 for r in keep_r)
                cell.c0, cell.c1 = sum(c < cell.c0 for c in keep_c), sum(c < cell.c1 for c in keep_c)
    slots = [[g.slots[r][c] for c in keep_c] for r in keep_r]
    return Grid(g.page, g.bbox, slots, [g.spans[c] for c in keep_c])
