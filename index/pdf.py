"""Read a budget disclosure PDF (部门预算公开) into a `ParsedDocument`.

Handles:
- PDFs with a text layer whose tables are drawn with rules (lines, thin filled rectangles, or thin filled
  paths): the templates of ../shared/corpus and ../shared/corpus/wide (Jiangsu 公开01表…, Shanghai's 9
  unnumbered tables, Guangdong 表1–表12, Chongqing 表一…, Beijing 预算01表…, Yantai 公开表1…, Changchun
  "收支总表（预算表1）", Xi'an 表14-1 …). Printed ids are kept (`Table.printed`); an unnumbered table is
  numbered on. Cells are read one by one; merged header cells become leaf column names joined with "·"; a
  cell's text broken over lines is joined again; 行次/栏次/序号 columns and 栏次 rows are not figures.
- Titles above the frame, drawn inside it, wrapped over two lines, printed above their id, or split by the
  text layer (a lone "2026" or ": :" line); a title repeated on a continuation page continues the table.
- Each table's role (index.roles), per-unit rows (Fact.entity) and column measures (index.dimensions); the
  document header from the cover (index.header).
- Tables running over pages: an untitled table on the next page continues the open one (a repeated header
  is dropped, a label cut by the page break is joined back, and so is an amount whose last digits wrapped onto
  a row of their own, "12,437.3" + "6", when that gives the column's usual decimals). A "公开NN表" line left
  at the foot of a page names the table whose title starts the next page.
- Two-sided tables (收入 | 支出): one `RawRow` per side per line, `side` = "收入" / "支出".
- Rows by period (a 年度 column: 2025年 / 2026年 / 增减变化金额 under each unit): the period is read into the
  column path ("2026年·公务接待费"), one row per unit (index._pdfrows).
- Units per table ("单位：万元", "金额单位：元", "单位：万" + "元" on the next line); subject codes in their own
  column(s), 类/款/项 columns joined ("301" + "2" -> "30102"), or at the start of the label.
- Narrative: the text outside table regions, without page numbers and running headers/footers, handed to
  `index.narrative.parse_narrative`; department, year and kind from `index.narrative.detect_meta`.
- Several files forming one document (a narrative PDF + its tables PDF): pages numbered on across files.

Does not handle: scanned PDFs (no text layer: OCR them first), encrypted PDFs, HTML pages saved as .pdf,
documents of another kind (a gazette, a 信息公开 annual report), tables drawn without any rules (text-only
columns), tables rotated on the page, documents over `MAX_PAGES` pages. Each of these raises `InputError`
with a one-line message, except unruled tables, which are simply not read; a budget whose tables cannot be
read at all (images) is kept for its narrative with `Document.tables_unreadable`.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ._pdfforms import form_rows
from ._pdfcaptions import ID_RE, PAGE_NO_RE, Line, lead_in, note_block, parse_id, strip_title_rows, title_block
from ._pdflines import lines_of
from ._pdfgrids import Grid, find_grids
from ._pdftables import PendingTable
from ._rows import build_facts, text_cell_sections
from .errors import InputError
from .models import Document, Fact, ParsedDocument, Section, Table
from .dimensions import with_measures
from .header import Header, covered_units, is_budget_text, other_kind, read_header
from .roles import normalise_title, role_of

MAX_PAGES = 300                 # a department budget runs 20–80 pages; past this we refuse rather than hang
MIN_TEXT_CHARS = 20             # a page with fewer characters has no usable text layer
EDGE_BAND = 0.08                # running headers / footers live in the top and bottom 8% of a page
_YEAR_RE = re.compile(r"(20\d{2})\s*年")


_SCORE = re.compile(r"分数|得分|评分|分值")


@dataclass
class _Page:
    number: int
    height: float
    text: str                                   # the page's text as read, tables included
    lines: list[Line] = field(default_factory=list)   # lines outside table regions


def read_pdf(paths: list[Path], doc_id: str, name: str | None = None) -> ParsedDocument:
    """Read one document from one or more PDF files (pages numbered on across files, in the order given).

    `name`, when given, is used as the department if the text does not state one.
    Raises `InputError` for empty, broken, encrypted, scanned or non-budget files.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("没有给出 PDF 文件：请至少指定一个部门预算 PDF")
    hashes = [_check_file(p) for p in paths]
    reader = _Reader(doc_id)
    opened = []                                 # each file is opened once: counted, then read
    try:
        for p in paths:
            opened.append(_open(p))
        total = sum(_page_count(pdf, p) for pdf, p in zip(opened, paths))
        if total > MAX_PAGES:
            raise InputError(f"{'、'.join(p.name for p in paths)} 共 {total} 页，超过 {MAX_PAGES} 页上限："
                             "请只导入部门预算公开部分")
        for pdf, path in zip(opened, paths):
            reader.read_file(path, pdf)
    finally:
        for pdf in opened:
            pdf.close()
    return reader.finish(paths, hashes, name)


# ---------------------------------------------------------------- files


def _check_file(path: Path) -> str:
    """sha256 of the file, after checking it exists, is not empty and starts like a PDF."""
    if not path.is_file():
        raise InputError(f"找不到文件 {path}：请检查路径")
    data = path.read_bytes()
    if not data:
        raise InputError(f"{path.name} 是空文件（0 字节）：请重新下载或导出该 PDF")
    if re.match(rb"\s*(?:<!doctype\s+html|<html)", data[:1024], re.I):
        raise InputError(f"{path.name} 是网页（HTML）另存的文件，不是 PDF：请从网站下载原始 PDF 再导入")
    if b"%PDF" not in data[:1024]:
        raise InputError(f"{path.name} 不是 PDF 文件：请导入 PDF 格式的部门预算公开文件")
    return hashlib.sha256(data).hexdigest()


def _open(path: Path):
    import pdfplumber
    try:
        return pdfplumber.open(path)
    except Exception as exc:                    # pdfplumber wraps every pdfminer failure
        raise _input_error(path, exc) from exc


def _input_error(path: Path, exc: Exception) -> InputError:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    kind = type(inner).__name__
    if "Password" in kind or "Encryption" in kind or "encrypt" in str(inner).lower():
        return InputError(f"{path.name} 已加密（需要密码）：请先解除密码保护、另存为普通 PDF 再导入")
    return InputError(f"{path.name} 无法读取，文件已损坏或不完整（{kind}）：请重新下载或导出该 PDF")


def _page_count(pdf, path: Path) -> int:
    try:
        return len(pdf.pages)
    except Exception as exc:
        raise _input_error(path, exc) from exc


# ---------------------------------------------------------------- reading


def _extract(page, number: int) -> tuple[int, float, list[Line] | None, list[Grid] | None]:
    """What the reader needs of one page, from that page alone: (number, height, text lines, ruled grids);
    lines None for a page whose reading failed."""
    try:
        lines = lines_of(page)
        grids = find_grids(page, number) if len(page.chars) >= MIN_TEXT_CHARS else []
        return number, float(page.height), lines, grids
    except (InputError, MemoryError, RecursionError):
        raise
    except Exception:
        return number, float(page.height or 842), None, None




class _Reader:
    def __init__(self, doc_id: str):
        self.doc_id = doc_id
        self.pages: list[_Page] = []
        self.tables: list[PendingTable] = []
        self.open: PendingTable | None = None
        self.pending_id: str | None = None      # "公开04表" printed at the foot of the previous page
        self.pending_block = None               # a title (and unit) printed at the foot of the previous page
        self.departments: Counter[str] = Counter()
        self.unreadable: list[int] = []         # pages whose reading failed: reported, the others still read

    def read_file(self, path: Path, pdf) -> None:
        """Read the pages of one opened file (`pdf`, a pdfplumber PDF), numbering on from the pages read. In
        the sandbox worker a forked helper extracts the second half of a longer file meanwhile
        (index._pdfsplit); the pages are placed in order either way."""
        from ._pdfsplit import Helper, split_point
        first = len(self.pages)
        helper = None
        try:
            pages = pdf.pages
            split = split_point(len(pages))
            if split:
                helper = Helper(path, split, first + split + 1, _extract)
            for page in (pages[:split] if split else pages):
                self._file(*_extract(page, len(self.pages) + 1))
                page.close()
            if helper is not None:
                rest = helper.results()
                if rest is None:                 # the helper failed: read its pages here
                    rest = []
                    for page in pages[split:]:
                        rest.append(_extract(page, first + split + len(rest) + 1))
                        page.close()
                for item in rest:
                    self._file(*item)
        except InputError:
            raise
        except Exception as exc:
            raise _input_error(path, exc) from exc
        finally:
            if helper is not None:
                helper.close()
        chars = sum(len(p.text.strip()) for p in self.pages[first:])
        if chars < MIN_TEXT_CHARS:
            raise InputError(f"{path.name} 是扫描件，没有文字层：请先做 OCR（如 ocrmypdf --language chi_sim）"
                             "生成带文字的 PDF 再导入")

    def _file(self, number: int, height: float, lines: list[Line] | None, grids: list[Grid] | None) -> None:
        """Place one extracted page: its grids as tables or continuations, the rest as its lines."""
        if lines is None:                       # one damaged page: report it (unreadable_pages), read on
            self.unreadable.append(number)
            self.pages.append(_Page(number, height, ""))
            return
        try:
            self._read_page(number, height, lines, grids)
        except (InputError, MemoryError, RecursionError):
            raise
        except Exception:
            self.unreadable.append(number)
            self.pages.append(_Page(number, height, ""))

    def _read_page(self, number: int, height: float, lines: list[Line], grids: list[Grid]) -> None:
        regions: list[tuple[float, float]] = []
        floor = 0.0
        carried, self.pending_block = self.pending_block, None
        for i, grid in enumerate(grids):
            ceiling = grids[i + 1].bbox[1] if i + 1 < len(grids) else height
            region = self._place(grid, lines, floor, ceiling, carried if i == 0 else None)
            if region:
                regions.append(region)
                floor = region[1]
        tail = [ln for ln in lines if ln.top >= floor and not PAGE_NO_RE.match(ln.text.strip())]
        if tail:                              # "会议费明细表 / 单位：万元" at the foot, its grid on the next page
            foot = title_block(tail, floor, tail[-1].bottom + 1)
            if foot.title and not foot.table_id and foot.top is not None:
                self.pending_block = foot
        outside = [ln for ln in lines if not any(top - 1 <= ln.top and ln.bottom <= bottom + 1
                                                  for top, bottom in regions)]
        trailing = [ln for ln in outside if ln.top >= floor and parse_id(ln.text.strip())]
        if trailing and ID_RE.sub("", trailing[-1].text.strip(), count=1) == "":
            self.pending_id = parse_id(trailing[-1].text.strip())
        outside = [ln for ln in outside if not _is_id_only(ln.text)]
        self.pages.append(_Page(number, height, "\n".join(ln.text for ln in lines), outside))

    def _place(self, grid: Grid, lines: list[Line], floor: float, ceiling: float,
               carried=None) -> tuple[float, float] | None:
        """File a grid as a new table or a continuation; return the page region it and its captions take.
        `carried`: a title block printed at the foot of the previous page, standing for this page's first grid
        when nothing titles it here."""
        block = title_block(lines, floor, grid.bbox[1])
        if not block.found and carried is not None:
            block.title, block.unit = carried.title, block.unit or carried.unit
        skip = strip_title_rows(grid, block)
        note, note_end = note_block(lines, grid.bbox[3], ceiling)
        if block.found and self._repeats_open(block) and self.open.continue_with(grid):
            pass                                # the title (and header) printed again on a continuation page
        elif block.found:
            self._close()
            table_id, printed = self._table_id(block.table_id)
            title = (block.title if block.title and table_id in block.title else
                     f"{table_id} {block.title}" if printed and block.title else block.title or table_id)
            self.open = PendingTable.start(grid, table_id, title, block.unit, skip)
            self.open.printed = printed
            if block.department:
                self.departments[block.department] += 1
        elif self.open is not None and self.open.continue_with(grid):
            self.open.unit = self.open.unit or block.unit
        elif grid.has_amount():
            self._close()
            table_id, _ = self._table_id(None)
            # an untitled grid is named by the prose introducing it (a 重点项目 table in the narrative)
            self.open = PendingTable.start(grid, table_id, lead_in(lines, floor, grid.bbox[1]) or table_id,
                                           block.unit, skip)
        else:
            return None                         # a ruled box around prose, not a table
        if note:
            self.open.notes.append(note)
        top = block.top if block.top is not None else grid.bbox[1]
        return top, max(grid.bbox[3], note_end)

    def _repeats_open(self, block) -> bool:
        """The open table's own title again (its id, if any, too): continuation pages repeat them."""
        if self.open is None or not block.title:
            return False
        if block.table_id and block.table_id != self.open.table_id:
            return False
        return normalise_title(block.title) == normalise_title(self.open.title) != ""

    def _table_id(self, printed: str | None) -> tuple[str, bool]:
        """The printed id, else one printed at the foot of the previous page, else the next in sequence."""
        tid, self.pending_id = printed or self.pending_id, None
        if tid:
            return tid, True
        last = self.tables[-1].table_id if self.tables else ""
        if (m := re.fullmatch(r"公开(\d+)表", last)):
            return f"公开{int(m.group(1)) + 1:02d}表", False
        return f"表{len(self.tables) + 1}", False

    def _close(self) -> None:
        if self.open is not None:
            self.tables.append(self.open)
            self.open = None

    # ------------------------------------------------------------ assembling

    def finish(self, paths: list[Path], hashes: list[str], name: str | None) -> ParsedDocument:
        self._close()
        tables, facts, cells = self._tables()
        names = "、".join(p.name for p in paths)
        texts = [p.text for p in self.pages]
        other = other_kind(texts)
        if other:
            raise InputError(f"{names} 是{other}，不是部门预算/决算公开文件：请导入部门预算或部门决算公开 PDF")
        header = self._meta(name)
        facts = with_measures(facts, header.year)
        sections, changes = _narrative([(p.number, text) for p, text in zip(self.pages, self._narrative())])
        unreadable = not facts
        if unreadable and not (is_budget_text(texts) and sections):
            raise InputError(f"{names} 里没有找到带数字的预算表格："
                             "看起来不是部门预算公开文件（或表格没有画线）")
        units = Counter(t.unit for t in tables) or Counter(["万元"])
        doc = Document(id=self.doc_id, department=header.department, year=header.year, kind=header.kind,
                       unit=units.most_common(1)[0][0], source_files=tuple(p.name for p in paths),
                       hashes=tuple(hashes), pages=len(self.pages), unreadable_pages=tuple(self.unreadable),
                       kind_detail=header.kind_detail,
                       units=covered_units(header, tables, facts), tables_unreadable=unreadable)
        return ParsedDocument(document=doc, tables=tuple(tables), facts=tuple(facts),
                              sections=tuple(sections) + tuple(cells),
                              changes=tuple(changes), page_texts=tuple(p.text for p in self.pages))

    def _tables(self) -> tuple[list[Table], list[Fact], list[Section]]:
        """Tables with their facts. A table of scores (every column 自评分数 or the like) is in 分, whatever unit
        line stands above it ("项目名称 | 自评分数": 100 is 100 points, not 100万元); a table printing no unit has
        the document's usual one."""
        units = Counter(t.unit for t in self.tables if t.unit)
        default_unit = units.most_common(1)[0][0] if units else "万元"
        tables: list[Table] = []
        facts: list[Fact] = []
        cells: list[Section] = []         # text cells (绩效目标 …) as citable sections, as the text reader does
        seen: Counter[str] = Counter()
        for pt in self.tables:
            seen[pt.table_id] += 1
            table_id = pt.table_id if seen[pt.table_id] == 1 else f"{pt.table_id}-{seen[pt.table_id]}"
            columns, rows = pt.raw_rows()
            unit = "分" if columns and all(_SCORE.search(c) for c in columns) else pt.unit or default_unit
            role = role_of(pt.title, columns, [r.label for r in rows], [r.code for r in rows], bool(pt.two_sided))
            text_rows = rows
            form = form_rows(pt.grid_texts, pt.title) if role == "performance" or "绩效" in pt.title else None
            if form is not None:          # a 项目绩效目标表 printed as a form: its money block, not its indicators
                columns, rows, unit = form[0], form[1], form[2] or unit
            table_facts = build_facts(self.doc_id, table_id, columns, rows, unit)
            tables.append(Table(id=table_id, title=pt.title, unit=unit, columns=tuple(columns),
                                pages=tuple(pt.pages), note="".join(pt.notes), role=role,
                                printed=pt.table_id if pt.printed else "",
                                per_unit=any(f.entity for f in table_facts)))
            facts.extend(table_facts)
            cells += text_cell_sections(pt.title, text_rows, len(cells))
        return tables, facts, cells

    def _meta(self, name: str | None) -> Header:
        return read_header([p.text for p in self.pages], self.departments, fallback=name or "")

    def _narrative(self) -> list[str]:
        """Each page's text outside tables, without page numbers and running headers/footers."""
        repeated = _running_lines(self.pages)
        out = []
        for p in self.pages:
            keep = [ln.text for ln in p.lines
                    if not (_in_edge(ln, p.height) and (PAGE_NO_RE.match(ln.text.strip()) or _key(ln.text) in repeated))]
            out.append("\n".join(keep))
        return out


def _narrative(pages: list[tuple[int, str]]):
    from .narrative import parse_narrative
    return parse_narrative(pages)


def _is_id_only(text: str) -> bool:
    t = text.strip()
    return parse_id(t) is not None and ID_RE.sub("", t, count=1) == ""


def _in_edge(line: Line, height: float) -> bool:
    return line.top < height * EDGE_BAND or line.bottom > height * (1 - EDGE_BAND)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _running_lines(pages: list[_Page]) -> set[str]:
    """Header/footer lines: the same text (digits aside) at a page edge on at least 3 pages and 30% of them."""
    counts: Counter[str] = Counter()
    for p in pages:
        counts.update({_key(ln.text) for ln in p.lines if _in_edge(ln, p.height)})
    need = max(3, int(0.3 * len(pages)))
    return {k for k, n in counts.items() if n >= need and k.strip("#")}
