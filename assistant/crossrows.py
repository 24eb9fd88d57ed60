"""Rows classified by several classifications at once (the 支出总表 of some templates prints, on each row, the
functional subject, the government economic subject and the departmental one: "2010801-行政运行
50101-工资奖金津补贴 30101-基本工资 3,138.09"). The reader labels such a row by its first subject (行政运行);
`as_last(facts)` gives the same cells labelled by the last, most specific subject (30101 基本工资) under the
others (行政运行 › 工资奖金津补贴), so that "基本工资（行政运行）" names the row too. The stored facts are unchanged
(the row stays findable by its first subject and code).

Only rows whose printed text starts with two or more "code-name" subjects, the first of them the row's own
code, are concerned. Not handled: such rows split over two printed lines.

`two_classes(rows)`: the other layout of the same idea ("302 15 502 02 会议费 会议费 40.50": a departmental and a
government economic subject, codes first, then both names). Each row's path becomes its departmental class, the
government class it is booked under (the row "302 502 商品和服务支出 机关商品和服务支出" above it) and its own
government subject, so that "机关的会议费" and "对事业单位经常性补助中的工资福利支出" name one row.


`past_column(column, table_columns)`: a column of last year or of the change, not this year's figure.
"""
from __future__ import annotations

import dataclasses
import re

from index.models import Fact

_SUBJECTS = re.compile(r"^\s*((?:\d{3,9}\s*-\s*[^\s\d][^\s]*\s+){2,})")
_ONE = re.compile(r"(\d{3,9})\s*-\s*([^\s]+)")


def as_last(facts: list[Fact]) -> tuple[str, list[Fact]] | None:
    """(the last subject's name, the row's cells relabelled by it), or None for a row of one classification."""
    f0 = facts[0]
    m = _SUBJECTS.match(f0.raw)
    subjects = _ONE.findall(m.group(1)) if m else []
    if len(subjects) < 2 or not f0.code or subjects[0][0] != f0.code:
        return None
    name = subjects[-1][1]
    path = tuple(dict.fromkeys(n for _, n in subjects[:-1] if n != name))
    return name, [dataclasses.replace(f, row=name, code=subjects[-1][0], path=path, level=len(path)) for f in facts]


_TWO = re.compile(r"^\s*(\d{3})(?:\s+(\d{2}))?\s+(\d{3})(?:\s+(\d{2}))?\s+([^\s\d]\S*)\s+([^\s\d]\S*)\s")


def two_classes(rows: dict) -> dict:
    """`rows` ({(table, row index, side): facts}) with the facts of two-classification rows given their paths."""
    parsed = {}
    for key, facts in rows.items():
        m = _TWO.match(facts[0].raw)
        if m:
            parsed[key] = m.groups()
    if not parsed:
        return rows
    heads = {(k[0], g[0], g[2]): g for k, g in parsed.items() if g[1] is None and g[3] is None}
    out = dict(rows)
    for key, (a, a2, b, b2, own, gov) in parsed.items():
        head = heads.get((key[0], a, b))
        if head is None:
            continue
        if a2 is None and b2 is None:
            path = (gov,)                      # "301 505 工资福利支出 对事业单位经常性补助"
        else:
            path = tuple(dict.fromkeys(x for x in (head[4], head[5], gov) if x != own))
        out[key] = [dataclasses.replace(f, path=path) for f in rows[key]]
    return out


_PAST_WORDS = re.compile(r"上年(?!结转|结余)|去年|上一年|增减|变化|变动|增长|下降")
_COL_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def past_column(column: str, table_columns=()) -> bool:
    """A column of last year or of the change (上年·…, 增减变化情况·…, "2025年预算数" beside "2026年预算数"): not
    this year's figure. Years are compared with the latest year printed in the same table's columns."""
    head = column.split("·")[:-1] or [column]
    if any(_PAST_WORDS.search(h) for h in head) or _PAST_WORDS.search(column.split("·")[-1] or "") and \
            len(column.split("·")) == 1:
        return True
    years = [int(y) for c in table_columns for y in _COL_YEAR.findall(c)]
    mine = [int(y) for y in _COL_YEAR.findall(column)]
    return bool(mine and years and max(mine) < max(years))
