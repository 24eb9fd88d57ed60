"""Reader for text exports of budget PDFs (the Guangdong template, e.g. the bundled Huizhou document).

What it handles: pages split where a line starts with a space or after a "- N -" page number; tables found
by their "表N" line, titled by the next line, unit from the page's "单位：万元" line, ended by "注：";
row labels wrapped over several lines; tables continuing on the next page with their header repeated;
`[30217]`-style and bare codes; full-width-space indentation for the 类/款/项 hierarchy; two-sided
收入/支出 tables; a text column (绩效目标) whose paragraphs sit between rows. Everything else is narrative.

What it does not: layouts other than one table per region, or tables without a "表N" line.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ._columns import column_names
from ._rows import RawRow, build_facts, indent_of, parse_amount, split_code, text_cell_sections
from .errors import InputError
from .models import Document, ParsedDocument, Table
from .narrative import PART_RE, detect_meta, parse_narrative
from .dimensions import with_measures
from .header import covered_units, read_header
from .roles import role_of

PAGE_NO_RE = re.compile(r"^\s*[-—]\s*\d+\s*[-—]\s*$")
TABLE_START_RE = re.compile(r"^(?:表|公开)\s*(\d{1,2})\s*(?:表)?(?:\s*[:：]?\s*(\S[^，。；]{1,40}?(?:表|表[）)]|[）)])))?$")
UNIT_RE = re.compile(r"(?:金额)?单位[:：]\s*(万元|亿元|元)")
_TWO_SIDED_RE = re.compile(r"项目\s*(预算数?|金额)\s*项目\s*(预算数?|金额)")
_PAIR_RE = re.compile(r"(\S(?:.*?\S)?)\s+(-?[\d,]+\.\d+|-?\d+)(?=\s|$)")
_TEXT_COLS = ("绩效目标", "备注", "说明")


def split_pages(text: str) -> list[tuple[int, list[str]]]:
    """Pages of the export: a new page starts at a line that begins with a space, after "- N -", and at a
    form feed."""
    pages: list[list[str]] = [[]]
    after_number = False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n\f")          # a form feed (pdftotext and others) starts a page too
    for line in text.split("\n"):
        if line.startswith("\f"):
            if any(x.strip() for x in pages[-1]):
                pages.append([])
            line = line[1:]
        starts = line.startswith(" ") and line.strip() != ""
        if (starts or (after_number and line.strip())) and any(l.strip() for l in pages[-1]):
            pages.append([])
        if line.strip():
            after_number = False
        if PAGE_NO_RE.match(line):
            after_number = True
            continue
        pages[-1].append(line[1:] if starts else line)
    return [(i + 1, p) for i, p in enumerate(pages)]


def _amount_tail(line: str) -> tuple[str, list]:
    """Split "label 1.00 2.00" into ("label", [1.00, 2.00]); the label may be empty."""
    toks = line.split()
    vals: list = []
    while toks and parse_amount(toks[-1]) is not None:
        vals.insert(0, parse_amount(toks.pop()))
    label = line.rstrip()
    for _ in vals:
        label = label.rstrip()
        label = label[: label.rfind(" ")] if " " in label else ""
    return label, vals


def _amount_split(line: str) -> tuple[str, list, str]:
    """Like _amount_tail but allowing trailing text after the figures ("2.01 … 0.00 保障基层…")."""
    label, vals = _amount_tail(line)
    if vals:
        return label, vals, ""
    m = re.search(r"((?:(?:^|\s+)-?[\d,]+\.\d{2}){2,})\s+(\S.*)$", line)
    if not m:
        return line, [], ""
    _, vals2 = _amount_tail(line[: m.end(1)])
    return line[: m.start(1)], vals2, m.group(2)


_LONE_CODE = re.compile(r"^\s*\d{3}(?:\d{2}){0,2}\s*$")
_MARKER = re.compile(r"^(?:其中[:：])?\s*([（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])")


def _marker_style(label: str) -> str | None:
    m = _MARKER.match(label.strip(" \u3000"))
    if not m:
        return None
    tok = m.group(1)
    return "paren" if tok[0] in "（(" else "cn" if tok[0] in "一二三四五六七八九十" else "num"


class _TableBuilder:
    def __init__(self, number: str, title: str, unit: str, page: int):
        self.number, self.title, self.unit = number, title, unit
        self.pages = [page]
        self.header: list[str] = []
        self.header_done = False
        self.rows: list[RawRow] = []
        self.pending: list[str] = []        # label lines waiting for their figures
        self.text_for: RawRow | None = None   # row whose text column is being read
        self.note = ""
        self.two_sided = False
        self.width = 0

    @property
    def has_text_col(self) -> bool:
        return any(c in "".join(self.header) for c in _TEXT_COLS)

    def feed(self, line: str, page: int) -> None:
        if page not in self.pages:
            self.pages.append(page)
        s = line.strip()
        if not s:
            return
        if not self.header_done:
            self._feed_header(line, page)
            return
        if s in self.header and not self.pending and parse_amount(s.split()[-1]) is None:
            return   # header repeated on a continuation page
        if self.two_sided:
            self._feed_pairs(line, page)
            return
        label, vals, trailing = _amount_split(line) if self.has_text_col else (*_amount_tail(line), "")
        if vals and not label.strip() and not self.pending and _LONE_CODE.match(s):
            vals = []    # a subject code on its own line: the label and figures follow
        if not vals:
            if self.text_for is not None and not line.startswith("\u3000"):
                self._add_text(self.text_for, s)
            else:
                self.text_for = None
                self.pending.append(line)
            return
        full = "".join(p.rstrip() for p in self.pending) + label
        raw = " ".join(x.strip() for x in self.pending + [line])
        self.pending = []
        code, name = split_code(full.strip(" "))
        row = RawRow(label=re.sub(r"\s+", "", name), code=code, indent=indent_of(name if code else full),
                     values=list(vals), page=page, raw=raw)
        if name.startswith("\u3000") or full.startswith("\u3000"):
            row.indent = indent_of(name) if code else indent_of(full)
        self.rows.append(row)
        self.width = max(self.width, len(vals))
        self.text_for = row if self.has_text_col else None
        if trailing:
            self._add_text(row, trailing)

    def _add_text(self, row: RawRow, text: str) -> None:
        row.text_cells = row.text_cells or {}
        col = next(c for c in _TEXT_COLS if c in "".join(self.header))
        row.text_cells[col] = row.text_cells.get(col, "") + text

    def _feed_header(self, line: str, page: int) -> None:
        s = line.strip()
        if _TWO_SIDED_RE.search(s):
            self.header.append(s)
            self.two_sided = True
            self.header_done = True
            return
        _, vals = _amount_tail(s)
        if vals:
            self.header_done = True
            self.feed(line, page)
            return
        self.header.append(s)

    def _feed_pairs(self, line: str, page: int) -> None:
        pairs = _PAIR_RE.findall(line.strip())
        pairs = [(lab, v) for lab, v in pairs if parse_amount(v) is not None]
        if not pairs:
            return
        if len(pairs) >= 2:
            sides = ["收入", "支出"]
        else:
            lab = pairs[0][0]
            sides = ["收入" if re.search(r"收入|拨款|上年结转|预算$", lab) and "支出" not in lab else "支出"]
        for (lab, v), side in zip(pairs, sides):
            self.rows.append(RawRow(label=lab.strip(), code=None, indent=0, values=[parse_amount(v)],
                                    page=page, raw=line.strip(), side=side))
        self.width = 1

    def _marker_levels(self) -> None:
        """Rows numbered "（一）", "1." nest by numbering style, not by their (uneven) indentation."""
        base, styles = 0, []
        for r in self.rows:
            if r.code is not None or r.side:
                continue
            style = _marker_style(r.label)
            if style is None:
                base, styles = r.indent, []
                continue
            if style not in styles:
                styles.append(style)
            r.indent = base + 1 + styles.index(style)

    def build(self, doc_id: str) -> tuple[Table, list]:
        tid = self.number if self.number.startswith("公开") else f"表{self.number}"
        title = f"{tid} {self.title}"
        if self.two_sided:
            m = _TWO_SIDED_RE.search(" ".join(self.header))
            columns = [m.group(1) if m else "预算"]
        else:
            columns = column_names(" ".join(self.header), self.width)
        self._marker_levels()
        indents = sorted({r.indent for r in self.rows if r.code is None})
        rank = {v: i for i, v in enumerate(indents)}
        for r in self.rows:
            if r.code is None:
                r.indent = rank[r.indent]
        if self.two_sided:
            facts = []
            for side in ("收入", "支出"):
                rows = [r for r in self.rows if r.side == side]
                facts += build_facts(doc_id, tid, columns, rows, self.unit)
        else:
            facts = build_facts(doc_id, tid, columns, self.rows, self.unit)
        extra = [c for c in _TEXT_COLS if c in "".join(self.header)]
        role = role_of(title, columns + extra, [r.label for r in self.rows], [r.code for r in self.rows],
                       self.two_sided)
        table = Table(id=tid, title=title, unit=self.unit, columns=tuple(columns + extra),
                      pages=tuple(self.pages), note=self.note, role=role, printed=tid,
                      per_unit=any(f.entity for f in facts))
        return table, facts


def read_text_export(path: Path, doc_id: str, text: str | None = None) -> ParsedDocument:
    """Read a text export of a budget disclosure into tables, facts, sections and change facts."""
    raw = path.read_bytes() if text is None else text.encode("utf-8")
    if text is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as e:
                raise InputError(f"{path.name}: 不是可读的文本文件（编码无法识别）；请导出为 UTF-8 文本或直接导入 PDF") from e
    if not text.strip():
        raise InputError(f"{path.name}: 文件是空的；请导入含部门预算表和说明的 PDF 或文本导出")
    if re.match(r"\s*(?:<!doctype\s+html|<html|<\?xml[^>]*>\s*<html)", text[:1024], re.I):
        raise InputError(f"{path.name}: 是网页（HTML）另存的文件，不是 PDF 或文本导出：请从网站下载原始 PDF 再导入")
    pages = split_pages(text)
    tables, facts, narrative, cells = _read_pages(pages, doc_id)
    if not facts:
        raise InputError(f"{path.name}: 没有找到预算表（表1、表2…），这不像一份部门预算公开文件；请检查文件")
    sections, changes = parse_narrative(narrative)
    sections += cells
    head = "\n".join("\n".join(lines) for _, lines in pages[:6])
    dept, year, kind = detect_meta(head + "\n" + text[:20000])
    header = read_header(["\n".join(lines) for _, lines in pages[:6]], fallback=dept)
    facts = with_measures(facts, header.year or year)
    units = [t.unit for t in tables]
    doc = Document(id=doc_id, department=header.department or dept, year=header.year or year,
                   kind=header.kind or kind, kind_detail=header.kind_detail,
                   units=covered_units(header, tables, facts),
                   unit=max(set(units), key=units.count) if units else "万元",
                   source_files=(path.name,), hashes=(hashlib.sha256(raw).hexdigest(),), pages=len(pages))
    page_texts = tuple("\n".join(l for l in lines if l.strip()) for _, lines in pages)
    return ParsedDocument(document=doc, tables=tuple(tables), facts=tuple(facts), sections=tuple(sections),
                          changes=tuple(changes), page_texts=page_texts)


def _read_pages(pages, doc_id):
    builders: list[_TableBuilder] = []
    narrative = []
    current: _TableBuilder | None = None
    unit = "万元"
    pending_title: tuple[str, int] | None = None
    last_note: _TableBuilder | None = None
    for page, lines in pages:
        nar: list[str] = []
        last_note = None     # a note continues only on its own page
        for line in lines:
            s = line.strip()
            if not s:
                continue
            um = UNIT_RE.search(s)
            if um and s.startswith("单位") or (um and "单位名称" in s):
                unit = um.group(1)
                continue
            tm = TABLE_START_RE.match(s)
            if tm:
                if current:
                    builders.append(current)
                current = None
                number = f"公开{tm.group(1)}表" if s.startswith("公开") else tm.group(1)
                if tm.group(2):                  # "表1 收支总体情况表": number and title on one line
                    current = _TableBuilder(number, tm.group(2), unit, page)
                else:
                    pending_title = (number, page)
                continue
            if pending_title:
                current = _TableBuilder(pending_title[0], s, unit, pending_title[1])
                pending_title = None
                continue
            if current and (s.startswith("注：") or s.startswith("注:")):
                current.note = s
                builders.append(current)
                last_note, current = current, None
                continue
            if last_note is not None and not PART_RE.match(s):
                last_note.note += s      # "注：…" wrapped onto the next lines
                continue
            if current and re.match(r"^第[一二三四五六七八九十]+部分", s):
                builders.append(current)
                current = None
            if current:
                current.feed(line, page)
            elif re.match(r"^第[一二三四五六七八九十]+部分.*预算表$", s):
                continue
            else:
                nar.append(line)
        narrative.append((page, "\n".join(nar)))
    if current:
        builders.append(current)
    tables, facts, cells = [], [], []
    for builder in builders:
        table, table_facts = builder.build(doc_id)
        tables.append(table)
        facts.extend(table_facts)
        cells += text_cell_sections(table.title, builder.rows, len(cells))
    return tables, facts, narrative, cells
