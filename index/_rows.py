"""Helpers shared by the readers: amounts, subject codes, row hierarchy and totals.

Readers (text export, PDF) turn their input into `RawRow`s (label, code, indentation, figures, page) per
table; `build_facts` turns those into `Fact`s with parents, levels and totals. Nothing here knows about a
file format.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .models import Fact

AMOUNT_RE = re.compile(r"^-?\(?-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?$")
_CODE_BRACKET = re.compile(r"^\s*[\[【]\s*(\d{3}(?:\s?\d{2}){0,2})\s*[\]】]\s*")
_CODE_BARE = re.compile(r"^\s*(\d{3}(?:\s?\d{2}){0,2})(?=\s|[^\d.,]|$)\s*")
TOTAL_RE = re.compile(r"(?:合\s*计|总\s*计|小\s*计)$")     # 合计, 本年收入合计, 当年支出小计, 收入总计
_FULLWIDTH_SPACE = "\u3000"


def parse_amount(text: str) -> Decimal | None:
    """'7,600.53' -> Decimal('7600.53'); '-' / '' / '—' -> None; '(1.2)' -> -1.2."""
    t = text.strip().replace("，", ",")
    if not t or not AMOUNT_RE.match(t):
        return None
    neg = t.startswith("-") or t.startswith("(")
    t = t.strip("()-").replace(",", "")
    try:
        v = Decimal(t)
    except InvalidOperation:
        return None
    return -v if neg else v


def split_code(label: str) -> tuple[str | None, str]:
    """'[30217]公务接待费' / '30217 公务接待费' / '302 17 公务接待费' -> ('30217', '公务接待费')."""
    m = _CODE_BRACKET.match(label) or _CODE_BARE.match(label)
    if not m:
        return None, label.strip(" \u3000")
    code = m.group(1).replace(" ", "")
    return code, label[m.end():].strip(" \u3000")


def indent_of(label: str) -> int:
    """Indentation in full-width spaces (the Guangdong export marks 款/项 this way)."""
    n = 0
    for ch in label:
        if ch == _FULLWIDTH_SPACE:
            n += 1
        elif ch == " ":
            continue
        else:
            break
    return n


def is_total_label(label: str) -> bool:
    lab = re.sub(r"\s", "", label)
    return bool(TOTAL_RE.search(lab)) and len(lab) <= 10


@dataclass
class RawRow:
    label: str                 # as printed, code and indentation removed
    code: str | None
    indent: int                # indentation depth as printed (full-width spaces, or 0)
    values: list[Decimal | None]   # one per column; None for an empty or non-numeric cell
    page: int
    raw: str                   # the row's text as read
    side: str = ""             # for two-sided tables
    text_cells: dict | None = None  # non-numeric cells by column name (e.g. 绩效目标)


_ORDINAL_PREFIX = re.compile(r"^(?:其中[:：])?\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.、．])")


def _code_level(code: str) -> int:
    return {3: 0, 5: 1, 7: 2}.get(len(code), max(0, (len(code) - 3) // 2))


def build_facts(doc: str, table_id: str, columns: list[str], rows: list[RawRow], unit: str,
                code_levels: bool = True) -> list[Fact]:
    """Turn a table's rows into facts with parents and levels.

    Hierarchy comes from subject codes (3/5/7 digits) when rows carry them, else from indentation, else from
    list markers ("其中：（一）", "1."); a total row (合计/小计/总计) sits above everything at level 0 and is
    nobody's child.
    """
    stack: list[tuple[int, RawRow]] = []     # (level, row) of open ancestors
    has_total = any(is_total_label(r.label) for r in rows)
    shape: list[tuple[int, tuple[str, ...], str | None, bool]] = []   # (level, path, parent code, total)
    for r in rows:
        total = is_total_label(r.label)
        if total:
            level = 0
        elif r.code and code_levels:
            level = _code_level(r.code) + (1 if has_total else 0)
        else:
            level = r.indent + (1 if has_total else 0)
        if total:
            path: tuple[str, ...] = ()
            parent_code = None
            stack = []
        else:
            while stack and stack[-1][0] >= level:
                stack.pop()
            if r.code:
                # a coded row's parent is the nearest open row whose code prefixes it
                anc = [a for _, a in stack if a.code and r.code.startswith(a.code)]
                parent_code = anc[-1].code if anc else None
            else:
                parent_code = None
            path = tuple(a.label for _, a in stack if not is_total_label(a.label))
            stack.append((level, r))
        shape.append((level, path, parent_code, total))
    from .dimensions import row_entities
    entities = row_entities([r.label for r in rows], [r.code for r in rows], [s[0] for s in shape],
                            [s[3] for s in shape], [r.text_cells for r in rows])
    facts: list[Fact] = []
    for idx, (r, (level, path, parent_code, total), entity) in enumerate(zip(rows, shape, entities)):
        for col, val in zip(columns, r.values):
            if val is None:
                continue
            facts.append(Fact(doc=doc, table=table_id, row=r.label, code=r.code, path=path, level=level,
                              column=col, value=val, unit=count_unit_of(col) or unit, page=r.page, raw=r.raw, row_index=idx,
                              is_total=total, side=r.side, parent_code=parent_code, entity=entity))
    return facts


_COUNT_COLUMNS = ((re.compile(r"(?:人数|编制数)(?:[（(][^）)]*[）)])?$"), "人"),
                  (re.compile(r"(?:车辆数|辆数)(?:[（(][^）)]*[）)])?$"), "辆"),
                  (re.compile(r"台数(?:[（(][^）)]*[）)])?$"), "台"),
                  (re.compile(r"(?:个数|项目数)(?:[（(][^）)]*[）)])?$"), "个"))


def count_unit_of(column: str) -> str | None:
    """The count a column holds ("人数" → 人): its figures are no amounts in the table's money unit. A bare
    数量 says nothing of what is counted, so it gets no unit here (and is never a row's default figure)."""
    leaf = column.split("·")[-1].strip()
    return next((u for rx, u in _COUNT_COLUMNS if rx.search(leaf)), None)


def text_cell_sections(table_title: str, rows: list[RawRow], start: int) -> list:
    """Text cells (绩效目标, 备注) become sections headed by table, row and column, so they can be cited."""
    from .models import Section
    out = []
    for r in rows:
        for col, text in (r.text_cells or {}).items():
            if text.strip():
                out.append(Section(id=f"t{start + len(out):03d}", heading=(table_title, r.label, col),
                                   text=text.strip(), pages=(r.page,)))
    return out
