"""Value columns and `RawRow`s of a stitched PDF table.

`RowBuilder(table).build()` decides which columns hold codes, figures, text or row numbers (行次/栏次/序号),
names the value columns from the header path ("“三公”经费·因公出国（境）费"), and makes one `RawRow` per line,
one per side per line in two-sided tables (收入 | 支出). Subject codes in their own column(s) are joined
("301" + "2" -> "30102"), a child row leaving 类 (and 款) to the row above; a 栏次 row is not data.
A column naming each row's period (年度: 2025年 / 2026年 / 增减变化金额, each unit printed once above its
periods) is read into the value columns' path ("2026年·公务接待费"): one row per unit with every period's
figures, last year's told from this year's as where years are columns.

Does not handle: codes printed in more than three columns, more than two sides, period rows in a two-sided
table.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ._pdfjoin import DataRow
from ._rows import RawRow, is_total_label, parse_amount, split_code

if TYPE_CHECKING:
    from ._pdftables import PendingTable

CODE_TEXT_RE = re.compile(r"^\d{1,3}(?:\s?\d{2}){0,2}$")
_ORDINALS = (
    (re.compile(r"^其中\s*[:：]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 1),
    (re.compile(r"^\d+\s*[.．、](?!\d)"), 1),
    (re.compile(r"^[（(]\d+[)）]"), 2),
)
_INDEX_HEADERS = ("行次", "栏次", "序号", "编号", "行号", "栏号")
_LABEL_HEADER = re.compile(r"^(?:项目|科目|摘要)$|名称$|品目|形式|说明|目标|内容|类别")
# a cell naming the period a row's figures are for (Shenzhen's 三公 table: each unit, then 2025年 / 2026年 /
# 增减变化金额 in a 年度 column)
_PERIOD = re.compile(r"^(?:20\d{2}\s*年度?(?:预算|决算|执行)?数?|[本上]年(?:预算|决算)?数?|增减(?:变化)?(?:金额|额|数)?|"
                     r"变[化动](?:金额|额|数)?)$")
_UNIT_HEADER = re.compile(r"单位(?:名称)?$|^单位")
_PROJECT_HEADER = re.compile(r"^项目(?:名称)?$")
_PERIOD_YEAR = re.compile(r"^(?:20\d{2}|[本上]年)")


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
        self.period_col, periods = self._period_column()
        if periods:             # "2025年·总计·一般公共预算": a period is a column group, as where years are columns
            self.columns = [f"{p}·{n}" for p in periods for n in self.columns]
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

    def _texts(self, c: int) -> list[str]:
        return [cell.text for row in self.t.rows if (cell := row.slots[c][0]) and row.slots[c][1] and cell.text]

    def _period_column(self) -> tuple[int | None, list[str]]:
        """A text column whose every cell names a period (2025年, 2026年, 增减变化金额; 本年, 上年), on every row
        with figures, in a one-sided table: (its index, the periods in printed order), else (None, [])."""
        if self.t.two_sided:
            return None, []
        values = [c for c, r in enumerate(self.roles) if r == "value"]
        for c in (c for c, r in enumerate(self.roles) if r == "text"):
            texts = self._texts(c)
            periods = list(dict.fromkeys(texts))
            if len(periods) < 2 or not all(_PERIOD.match(t) for t in texts) or \
                    not any(_PERIOD_YEAR.match(t) for t in periods):
                continue
            labels = [k for k, r in enumerate(self.roles) if r == "text" and k != c][:1]
            groups: list[list[str]] = []
            for row in self.t.rows:
                if not any(_text(row, v) for v in values):
                    continue
                if not _text(row, c):
                    return None, []     # a row with figures but no period: not a period column
                if not groups or (labels and _text(row, labels[0])):
                    groups.append([])
                groups[-1].append(_text(row, c))
            # each unit printed once above its periods (a project's own start year on its own row is no period)
            if groups and all(len(g) >= 2 and len(set(g)) == len(g) for g in groups):
                return c, periods
        return None, []

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
                    rows = blocks.setdefault((si, block), [])
                    if not raw.label and rows and self.period_col is not None and _merge(rows[-1], raw):
                        continue        # the unit (or subject) cell left empty: the row above's next period
                    if not raw.label:
                        raw.label = self.t.title.split(" ", 1)[-1] if self.t.title else self.t.table_id
                    rows.append(raw)
        rows = [r for key in sorted(blocks) for r in blocks[key]]
        return self.columns, rows

    def _line(self, row: DataRow, side: str, cols: list[int]) -> list[tuple[int, RawRow]]:
        out: list[tuple[int, RawRow]] = []
        cur: RawRow | None = None
        code_parts: dict[int, str] = {}
        label_cols: dict[int, int] = {}       # id(row) → the column its label came from
        text_cols = [c for c in cols if self.roles[c] == "text" and c != self.period_col]
        period = row.slots[self.period_col][0].text if self.period_col is not None else ""
        for c in cols:
            cell, origin = row.slots[c]
            if cell is None or not origin or not cell.text:
                continue
            role, t = self.roles[c], cell.text
            if role == "index":
                continue
            if c == self.period_col:
                role = "period"
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
            if role == "period":
                continue
            if role == "value":
                v = parse_amount(t)
                if v is None and t.strip("-—–/ "):     # "-" / "—" is an empty cell, anything else is text
                    cur.text_cells[self.t.names[c]] = t
                else:
                    name = f"{period}·{self.value_names[c]}" if period else self.value_names[c]
                    cur.values[self.columns.index(name)] = v
            elif not cur.label:
                cur.label = t
                label_cols[id(cur)] = c
                column_depth = text_cols.index(c) if c in text_cols and not side else 0
                cur.indent = column_depth + ordinal_depth(t)
            elif not is_total_label(t):     # "一般公共预算资金 | 小计": the row is the group's own total
                cur.text_cells[self.t.names[c] or f"列{c + 1}"] = t
        out = [(b, r) for b, r in out if not _is_column_numbers(r)]
        for _, raw in out:
            self._project_label(raw, label_cols.get(id(raw)))
        for i, (_, raw) in enumerate(out):
            self._finish(raw, code_parts if i == 0 else {}, cols)
        return [(b, r) for b, r in out if r.label or any(v is not None for v in r.values)]

    def _project_label(self, raw: RawRow, label_col: int | None) -> None:
        """"单位名称 | 项目名称 | 金额…": the row is the project, run by the unit its first cell names (kept as
        that column's text cell, which gives the fact its entity)."""
        if label_col is None or not raw.text_cells or not _UNIT_HEADER.search(self.t.names[label_col] or ""):
            return
        key = next((k for k in raw.text_cells if _PROJECT_HEADER.match(k.split("·")[-1])), None)
        if key is None or is_total_label(raw.label):
            return
        unit, raw.label = raw.label, raw.text_cells.pop(key)
        raw.text_cells[self.t.names[label_col]] = unit

    def _finish(self, raw: RawRow, code_parts: dict[int, str], cols: list[int]) -> None:
        code = self._join_code(code_parts, cols)
        if code:
            raw.raw = f"{' '.join(code_parts[c] for c in sorted(code_parts))} {raw.raw}".strip()
        elif raw.label:
            code, label = split_code(raw.label)
            if code:
                raw.label = label
        raw.code = code
        raw.text_cells = raw.text_cells or None

    def _join_code(self, parts: dict[int, str], cols: list[int]) -> str | None:
        code_cols = [c for c in cols if self.roles[c] == "code"]      # this side's code columns
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


def _text(row: DataRow, c: int) -> str:
    """The text of the cell that starts in slot `c` of `row` ("" for an empty slot or a cell from above)."""
    cell, origin = row.slots[c]
    return cell.text if cell is not None and origin else ""


def _merge(into: RawRow, raw: RawRow) -> bool:
    """Add a period's figures to the row above (False, nothing changed, when a column would hold two)."""
    if raw.code or any(v is not None and w is not None for v, w in zip(raw.values, into.values)):
        return False
    into.values = [w if w is not None else v for v, w in zip(raw.values, into.values)]
    into.raw = f"{into.raw} {raw.raw}"
    if raw.text_cells:
        into.text_cells = {**(into.text_cells or {}), **raw.text_cells}
    return True
