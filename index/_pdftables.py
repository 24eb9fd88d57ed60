"""Ruled tables of a budget PDF: cell grids, header names, title blocks, page stitching, rows.

`pdf.py` drives this page by page:

1. `find_grids(page)` finds the ruled tables of one page (only thin dark rules count as lines: the white
   cell-padding rectangles Word-made PDFs draw would otherwise split every column in three) and turns each
   into a `Grid` where every slot knows the cell that owns it, so merged cells keep their span.
2. `title_block` / `note_block` read the lines printed above and below a grid ("公开09表", the title, "单位：万元",
   "注：…").
3. `PendingTable` collects a titled grid and the untitled grids that continue it on the next pages (a repeated
   header is dropped), then `PendingTable.raw_rows()` names the leaf columns ("“三公”经费·因公出国（境）费"),
   decides which columns hold codes, figures or text, and makes `RawRow`s, one per side per line in two-sided
   tables (收入 | 支出).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._rows import RawRow, is_total_label, parse_amount, split_code

MAX_RULINGS = 5000          # a page with more ruling segments than this is not a table page we can read
MAX_HEADER_ROWS = 6

_CN_NUM = "一二三四五六七八九十"
# printed table ids: 公开09表, 公开表1, 部门公开表7, 预算01表, 预算表12, 表8, 表 8, 表01, 表14-1, 附表14, 表一 … 表十二
ID_RE = re.compile(r"^(?:(部门)?公开\s*(\d{1,2})\s*表|((?:部门)?公开\s*表|预算\s*表|附\s*表)\s*(\d{1,2}(?:\s*[-－]\s*\d{1,2})?)"
                   r"|预算\s*(\d{1,2})\s*表|表\s*(\d{1,2}(?:\s*[-－]\s*\d{1,2})?|[%s]{1,3})(?![\d.,般])"
                   r")\s*[:：、]?\s*" % _CN_NUM)
ID_SUFFIX_RE = re.compile(r"[（(]\s*((?:预算|公开)\s*表\s*\d{1,2})\s*[)）]\s*$")   # "收支总表（预算表1）"
STRAY_RE = re.compile(r"^(?:20\d{2}|[\s:：,，、。;；()（）“”\-—]+)$")     # split text layers: a lone year or punctuation
UNIT_RE = re.compile(r"单位\s*[:：]?\s*(亿元|万元|元|万)(?![\u4e00-\u9fff])|单位\s*[:：]\s*(亿元|万元|元|万)")
DEPT_RE = re.compile(r"^\s*(?:编制部门|部门名称|部门（单位）|部门|编制单位|单位名称|预算单位)(?:\s*[:：]\s*|\s+)(\S+)")
TITLE_RE = re.compile(r"表\s*(?:[（(][^）)]{1,20}[）)])?$")
NOTE_RE = re.compile(r"^(?:注|备注|说明)\s*\d?\s*[:：.．]|^[:：]")
HEADING_RE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
PAGE_NO_RE = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4})?[-—–\s]*$")
CODE_TEXT_RE = re.compile(r"^\d{1,3}(?:\s?\d{2}){0,2}$")
_ORDINALS = (
    (re.compile(r"^其中\s*[:：]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 1),
    (re.compile(r"^\d+\s*[.．、](?!\d)"), 1),
    (re.compile(r"^[（(]\d+[)）]"), 2),
)
_INDEX_HEADERS = ("行次", "栏次", "序号", "编号", "行号", "栏号")
_LABEL_HEADER = re.compile(r"^(?:项目|科目|摘要)$|名称$|品目|形式|说明|目标|内容|类别")
_CJK = r"\u3400-\u9fff\uff08\uff09\u201c\u201d\u3001\uff1a"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def clean(text: str | None) -> str:
    """Cell text as one line: line breaks inside a cell dropped, letter-spacing between CJK characters removed."""
    if not text:
        return ""
    t = text.replace("\r", "").replace("\n", "")
    return _CJK_GAP.sub("", t).strip(" \u3000\t")


# ---------------------------------------------------------------- grids


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


# ---------------------------------------------------------------- title and note blocks


@dataclass
class Line:
    text: str
    top: float
    bottom: float


@dataclass
class TitleBlock:
    table_id: str | None = None
    title: str | None = None
    unit: str | None = None
    department: str | None = None
    top: float | None = None        # top of the block's first line (for the narrative to skip)

    @property
    def found(self) -> bool:
        return bool(self.table_id or self.title)


def parse_id(text: str) -> str | None:
    """The table id a line starts with, canonical for the common forms ("公开 9 表" -> "公开09表", "表 8" -> "表8"),
    else as printed without spaces ("预算01表", "公开表1", "表一", "表14-1")."""
    m = ID_RE.match(text)
    if not m:
        return None
    if m.group(2):
        return f"{m.group(1) or ''}公开{int(m.group(2)):02d}表"
    if m.group(4):
        return re.sub(r"\s", "", m.group(3)) + re.sub(r"\s|－", lambda x: "-" if x.group() == "－" else "", m.group(4))
    if m.group(5):
        return f"预算{m.group(5)}表"
    num = re.sub(r"\s", "", m.group(6)).replace("－", "-")
    return f"表{int(num)}" if num.isdigit() and not num.startswith("0") else f"表{num}"


def suffix_id(title: str) -> tuple[str | None, str]:
    """ "收支总表（预算表1）" -> ("预算表1", "收支总表"); (None, title) when no id follows the title."""
    m = ID_SUFFIX_RE.search(title)
    if not m:
        return None, title
    return re.sub(r"\s", "", m.group(1)), title[:m.start()].strip()


def read_unit(text: str) -> str | None:
    m = UNIT_RE.search(text)
    if not m:
        return None
    unit = m.group(1) or m.group(2)
    return "万元" if unit == "万" else unit


def title_block(lines: list[Line], floor: float, top: float) -> TitleBlock:
    """Walk up from a grid's top over "单位：…", "部门：…", the title and "公开NN表" lines."""
    block = TitleBlock()
    above = [ln for ln in lines if ln.bottom <= top + 2 and ln.top >= floor - 1]
    year = tail = ""
    for i in range(len(above) - 1, -1, -1):
        ln = above[i]
        t = ln.text.strip()
        if STRAY_RE.match(t):               # "2026" / ": :" split off the title or unit line by the text layer
            year = t if t[:2] == "20" and block.title is None else year
        elif UNIT_RE.search(t) or DEPT_RE.match(t):
            block.unit = block.unit or read_unit(t)
            if (m := DEPT_RE.match(t)) and not block.department:
                block.department = UNIT_RE.split(m.group(1))[0].strip()
        elif (tid := parse_id(t)) is not None:
            block.table_id = tid
            rest = clean(ID_RE.sub("", t, count=1)).lstrip(":：")
            if rest:                        # "公开09表：一般公共预算“三公”经费、会议费、培训费" + "支出预算表"
                block.title = rest + (block.title or "")
            block.top = ln.top
            if block.title is None and i > 0 and _is_title(above[i - 1].text.strip(), ln.top - above[i - 1].bottom):
                block.title = clean(above[i - 1].text.strip())     # the title printed above its id
                block.top = above[i - 1].top
            break
        elif block.title is None and _is_title(t, top - ln.bottom):
            block.title = clean(t) + tail
            if block.title.startswith("年") and year:
                block.title = year + block.title
        elif block.title is None and not tail and re.fullmatch(r"[（(][^（()）]{2,20}[)）]", t):
            tail = t                        # "（按经济分类科目分）": the title's second line
        elif block.title is None and len(t) <= 3:
            pass                            # a stray fragment such as the "元" of a wrapped "单位：万元"
        else:
            break
        block.top = ln.top
    _title_suffix_id(block)
    return block


def _title_suffix_id(block: TitleBlock) -> None:
    if block.title and not block.table_id:
        tid, _ = suffix_id(block.title)
        block.table_id = tid


def _is_title(text: str, gap: float) -> bool:
    """"收支预算总表", "2024年部门收入预算总表": ends in 表, short, no sentence punctuation, near the grid."""
    return (bool(TITLE_RE.search(text) or ID_SUFFIX_RE.search(text)) and len(text) <= 60 and gap <= 80
            and not any(p in text for p in "。，；") and not PAGE_NO_RE.match(text) and not HEADING_RE.match(text))


def note_block(lines: list[Line], bottom: float, ceiling: float) -> tuple[str, float]:
    """The "注：…" lines printed right under a grid, and the bottom of the last one."""
    below = [ln for ln in lines if ln.top >= bottom - 2 and ln.bottom <= ceiling + 1]
    parts: list[str] = []
    end = bottom
    for ln in below:
        t = ln.text.strip()
        if not parts:
            if not NOTE_RE.match(t) or ln.top - bottom > 40:
                break
        elif (PAGE_NO_RE.match(t) or HEADING_RE.match(t) or parse_id(t) or TITLE_RE.search(t)
              or ln.top - end > 1.5 * max(ln.bottom - ln.top, 8)):
            break
        parts.append(t)
        end = ln.bottom
    return "".join(parts), end


# ---------------------------------------------------------------- header rows


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


def strip_title_rows(grid: Grid, block: TitleBlock) -> int:
    """Leading grid rows that are really the title block (unit / department lines drawn inside the frame)."""
    n = 0
    while n < len(grid.slots) - 1:
        texts = [t for t in grid.row_texts(n) if t]
        joined = "".join(texts)
        if len(texts) == 1 and not parse_amount(joined) and _is_title(joined, 0) and not UNIT_RE.search(joined):
            tid = parse_id(joined)          # the title drawn inside the frame: it names the table
            block.table_id = tid or None
            block.title = clean(ID_RE.sub("", joined, count=1)) if tid else joined
            _title_suffix_id(block)
            n += 1
            continue
        if not (UNIT_RE.search(joined) or DEPT_RE.match(joined) or parse_id(joined)):
            break
        block.unit = block.unit or read_unit(joined)
        block.table_id = block.table_id or parse_id(joined)
        if (m := DEPT_RE.match(joined)) and not block.department:
            block.department = UNIT_RE.split(m.group(1))[0].strip()
        n += 1
    return n


# ---------------------------------------------------------------- stitching and rows


@dataclass
class DataRow:
    page: int
    slots: list[tuple[Cell | None, bool]]     # (owner cell, is this slot the cell's origin)


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

    @classmethod
    def start(cls, grid: Grid, table_id: str, title: str, unit: str | None, skip: int = 0) -> PendingTable:
        end = header_end(grid, skip)
        pt = cls(table_id, title, unit, column_names(grid, skip, end),
                 [grid.row_texts(r) for r in range(skip, end)], grid.spans)
        pt.two_sided = _sides(grid, skip, end)
        pt.add_rows(grid, end, list(range(len(grid.centers))))
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
        self._join_broken_label(first_rows)
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

    def _join_broken_label(self, i: int) -> None:
        """A label cell cut by the page break ("十七、国土海洋气象等支" / "出") is joined back."""
        if i == 0 or i >= len(self.rows):
            return
        prev, row = self.rows[i - 1], self.rows[i]
        texts = [(c, cell.text) for c, (cell, origin) in enumerate(row.slots) if cell and origin and cell.text]
        if not texts or any(parse_amount(t) is not None or len(t) > 3 for _, t in texts):
            return
        if any(prev.slots[c][0] is None or not prev.slots[c][0].text for c, _ in texts):
            return
        for c, t in texts:
            old = prev.slots[c][0]
            prev.slots[c] = (Cell(old.text + t, old.r0, old.r1, old.c0, old.c1), prev.slots[c][1])
        del self.rows[i]

    def raw_rows(self) -> tuple[list[str], list[RawRow]]:
        join_wrapped_numbers(self.rows)
        return RowBuilder(self).build()


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


def _sides(grid: Grid, start: int, end: int) -> list[tuple[str, list[int]]] | None:
    """收入 | 支出 side by side: the top header row has a 收入 cell and a 支出 cell."""
    if end - start < 2:
        return None
    tops = [cell for c in range(len(grid.centers)) if (cell := grid.origin(start, c)) is not None]
    sides = []
    for cell in tops:
        name = "收入" if "收入" in cell.text else "支出" if "支出" in cell.text else None
        if name and name not in (s for s, _ in sides):
            sides.append((name, list(range(cell.c0, cell.c1))))
    return sides if [s for s, _ in sides] == ["收入", "支出"] else None


def _is_column_numbers(raw: RawRow) -> bool:
    """The 栏次 row ("栏次 1 2 3 …", "** 1 2 3", or bare "1 2 3 … 12") numbers the columns: it is not data."""
    if raw.label.strip("*＊ ") not in ("", "栏次", "行次", "栏号"):
        return False
    vals = [v for v in raw.values if v is not None]
    return len(vals) >= 3 and all(v == vals[0] + i for i, v in enumerate(vals)) and vals[0] in (0, 1)


def ordinal_depth(label: str) -> int:
    return next((d for rx, d in _ORDINALS if rx.match(label)), 0)


class RowBuilder:
    """Turns a stitched table's data rows into value columns and `RawRow`s."""

    def __init__(self, table: PendingTable):
        self.t = table
        self.roles = self._roles()
        self.sides = table.two_sided or [("", list(range(len(table.names))))]
        self.value_names = self._value_names()
        self.columns = list(dict.fromkeys(n for n in self.value_names.values()))
        self.prev_code: list[str] = []

    def _roles(self) -> list[str]:
        roles = []
        for c, name in enumerate(self.t.names):
            leaf = name.split("·")[-1]
            texts = [cell.text for row in self.t.rows if (cell := row.slots[c][0]) and row.slots[c][1] and cell.text]
            if leaf in _INDEX_HEADERS:
                roles.append("index")       # 行次 / 栏次 / 序号: numbers rows, not figures
            elif "编码" in name or "代码" in name or leaf in ("类", "款", "项"):
                roles.append("code")
            elif texts:
                nums = sum(parse_amount(t) is not None for t in texts)
                roles.append("value" if nums * 2 >= len(texts) else "text")
            else:
                roles.append("text" if _LABEL_HEADER.search(leaf) or not name else "value")
        return roles

    def _value_names(self) -> dict[int, str]:
        names: dict[int, str] = {}
        for side, cols in self.sides:
            for c in cols:
                if self.roles[c] != "value":
                    continue
                path = self.t.names[c].split("·")
                if side:
                    label = next((self.t.names[k] for k in reversed(cols) if k < c and self.roles[k] == "text"), "")
                    group = label.split("·")[1:-1] if label else path[1:-1]
                    path = group + path[-1:]
                name = "·".join(p for p in path if p) or f"列{c + 1}"
                if not side and name in names.values():     # two value columns printed with one header
                    name = f"{name}({sum(n.split('(')[0] == name for n in names.values()) + 1})"
                names[c] = name
        return names

    def build(self) -> tuple[list[str], list[RawRow]]:
        blocks: dict[tuple[int, int], list[RawRow]] = {}
        for row in self.t.rows:
            for si, (side, cols) in enumerate(self.sides):
                for block, raw in self._line(row, side, cols):
                    blocks.setdefault((si, block), []).append(raw)
        rows = [r for key in sorted(blocks) for r in blocks[key]]
        return self.columns, rows

    def _line(self, row: DataRow, side: str, cols: list[int]) -> list[tuple[int, RawRow]]:
        out: list[tuple[int, RawRow]] = []
        cur: RawRow | None = None
        code_parts: dict[int, str] = {}
        text_cols = [c for c in cols if self.roles[c] == "text"]
        for c in cols:
            cell, origin = row.slots[c]
            if cell is None or not origin or not cell.text:
                continue
            role, t = self.roles[c], cell.text
            if role == "index":
                continue
            if role == "code":
                if CODE_TEXT_RE.match(t):
                    code_parts[c] = t.replace(" ", "")
                    continue
                role = "text"               # "合 计" drawn across the code and name columns
            if cur is None or (role != "value" and side and cur.label):
                cur = RawRow(label="", code=None, indent=0, values=[None] * len(self.columns),
                             page=row.page, raw="", side=side, text_cells={})
                out.append((text_cols.index(c) if side and c in text_cols else 0, cur))
            cur.raw = f"{cur.raw} {t}".strip()
            if role == "value":
                v = parse_amount(t)
                if v is None and t.strip("-—–/ "):     # "-" / "—" is an empty cell, anything else is text
                    cur.text_cells[self.t.names[c]] = t
                else:
                    cur.values[self.columns.index(self.value_names[c])] = v
            elif not cur.label:
                cur.label = t
                column_depth = text_cols.index(c) if c in text_cols and not side else 0
                cur.indent = column_depth + ordinal_depth(t)
            elif not is_total_label(t):     # "一般公共预算资金 | 小计": the row is the group's own total
                cur.text_cells[self.t.names[c] or f"列{c + 1}"] = t
        out = [(b, r) for b, r in out if not _is_column_numbers(r)]
        for i, (_, raw) in enumerate(out):
            self._finish(raw, code_parts if i == 0 else {})
        return [(b, r) for b, r in out if r.label or any(v is not None for v in r.values)]

    def _finish(self, raw: RawRow, code_parts: dict[int, str]) -> None:
        code = self._join_code(code_parts)
        if code:
            raw.raw = f"{' '.join(code_parts[c] for c in sorted(code_parts))} {raw.raw}".strip()
        elif raw.label:
            code, label = split_code(raw.label)
            if code:
                raw.label = label
        raw.code = code
        if not raw.label:
            raw.label = self.t.title.split(" ", 1)[-1] if self.t.title else self.t.table_id
        raw.text_cells = raw.text_cells or None

    def _join_code(self, parts: dict[int, str]) -> str | None:
        code_cols = [c for c in range(len(self.t.names)) if self.roles[c] == "code"]
        if not parts:
            return None
        if len(code_cols) == 1:
            code = parts[code_cols[0]]
            return code if len(code) >= 3 else None
        seq = [parts.get(c, "") for c in code_cols]
        whole = [p for p in seq if len(p) in (5, 7) and p.isdigit()]
        if len(whole) == 1 and sum(1 for p in seq if p) == 1:
            # a whole code in one cell under a header spanning several columns ("功能科目代码")
            self.prev_code = [whole[0][:3], whole[0][3:5], whole[0][5:7]]
            return whole[0]
        for i, p in enumerate(seq):                # a child row may leave 类 (and 款) to the row above
            if p or not any(seq[i + 1:]):
                continue
            seq[i] = self.prev_code[i] if i < len(self.prev_code) else ""
        seq = [p if i == 0 else p.zfill(2) for i, p in enumerate(seq) if p]
        self.prev_code = seq
        code = "".join(seq)
        return code if len(code) >= 3 and len(seq[0]) == 3 else None

