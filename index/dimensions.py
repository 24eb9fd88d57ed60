"""Dimensions of a fact beyond its label: the unit (单位) a per-unit row belongs to, the normalised measure of
its column, and the kind of subject code it carries.

- Entity: in per-unit tables (收入总表 by 单位名称, 项目支出表 by 资金使用单位, 绩效表 by 单位编码) a row whose
  label (or 单位 text cell) names a body is that unit's row, and the rows under it (its projects) belong to
  it too. Department-level rows (合计, function or economic subjects) have entity "".
- Measure: the column's meaning from its header path, leaf first ("本年预算", "上年预算数", "增减", "基本支出",
  "项目支出", "年初预算", "调整预算", "决算数" …) as one of `MEASURES`; "" when the header says nothing known.
  Last year's and the change's columns are `previous` / `change` wherever the path says so (a table whose rows
  are periods has its periods read into the column path by the reader: "2025年·总计·一般公共预算").
- Code kind: 类/款/项 of a function class code (3/5/7 digits, 2xx…) or 类/款 of an economic class code (30x…).

Does not handle: units named only by a code with no name; measures printed as a bare year ("2026年") are
`current` or `previous` only when the document's year is known.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Iterable

from .header import is_department
from .models import Fact

MEASURES = ("total", "basic", "project", "personnel", "public", "current", "previous", "change", "change_pct",
            "initial_budget", "adjusted_budget", "final", "completion_rate", "carryover", "general_public",
            "gov_fund", "state_capital", "fiscal", "special_account", "business", "other_income", "amount")

_RULES: tuple[tuple[str, re.Pattern], ...] = tuple((m, re.compile(rx)) for m, rx in (
    ("change_pct", r"增减率|增长率|增幅|增减[（(]?%|比上年增减.*%|变动率"),
    ("change", r"增减|增加|减少|变动|比上年"),
    ("completion_rate", r"完成.*[%率]|执行率"),
    ("adjusted_budget", r"调整预算|全年预算"),
    ("initial_budget", r"年初预算"),
    ("final", r"决算"),
    ("carryover", r"上年结转|结转结余|结转"),
    ("previous", r"上年|去年"),
    ("current", r"本年|当年|今年"),
    ("basic", r"基本支出"),
    ("project", r"项目支出|专项业务"),
    ("personnel", r"人员经费|工资福利|对个人和家庭"),
    ("public", r"公用经费|商品和服务"),
    ("general_public", r"一般公共预算"),
    ("gov_fund", r"政府性基金"),
    ("state_capital", r"国有资本经营"),
    ("special_account", r"财政专户"),
    ("fiscal", r"财政拨款"),
    ("business", r"事业收入|经营收入"),
    ("other_income", r"其他收入|上级补助|附属单位上缴"),
    ("total", r"^(?:合计|总计|小计|预算数?|金额|本年预算数?|预算金额)$|合计$|总计$|小计$"),
    ("amount", r"金额|预算数|资金|数额"),
))
_YEAR = re.compile(r"(20\d{2})\s*年")
_TIME_RULES = 9                 # the rules up to "current" outrank a printed year ("2025年预算数" is previous)


_NOT_THIS_YEAR = ("change_pct", "change", "previous")
_CARRYOVER = dict(_RULES)["carryover"]


def measure_of(column: str, year: int | None = None) -> str:
    """The measure of a column named by its header path ("财政拨款·一般公共预算", "2025年预算数", "增减").

    A figure that is not this year's (a 上年 / last year's / 增减 group: "2025年·总计·一般公共预算",
    "增减变化金额·公务接待费") is `previous` or `change` whatever its leaf says; otherwise the leaf decides."""
    parts = list(reversed([p for p in column.split("·") if p]))
    for part in parts:
        if _CARRYOVER.search(part):
            continue                    # 上年结转结余 is this year's money carried over, not last year's
        for name, rx in _RULES:
            if name in _NOT_THIS_YEAR and rx.search(part):
                return name
        if year and (m := _YEAR.search(part)) and int(m.group(1)) != year:
            return "previous" if int(m.group(1)) == year - 1 else ""
    for part in parts:
        for name, rx in _RULES[:_TIME_RULES]:
            if rx.search(part):
                return name
        if year and (m := _YEAR.search(part)):
            y = int(m.group(1))
            return "current" if y == year else "previous" if y == year - 1 else ""
        for name, rx in _RULES[_TIME_RULES:]:
            if rx.search(part):
                return name
    return ""


def code_kind(code: str | None) -> str:
    """'function:类' / 'function:款' / 'function:项', 'economic:类' / 'economic:款', or ''."""
    if not code or not code.isdigit():
        return ""
    level = {3: "类", 5: "款", 7: "项"}.get(len(code))
    if level is None:
        return ""
    if code[:2] in ("30", "31", "39") and len(code) <= 5:
        return f"economic:{level}"
    if code[0] == "2":
        return f"function:{level}"
    return ""


_UNIT_COL = re.compile(r"单位|机构")
_UNIT_CODE = re.compile(r"^\d{3,}\s*[_\-－]?\s*")


def row_entities(labels: list[str], codes: list[str | None], levels: list[int], totals: list[bool],
                 text_cells: list[dict | None]) -> list[str]:
    """The unit each row belongs to ("" for department-level rows): a body-named row, or a body-named 单位
    text cell, and the rows nested under such a row."""
    out: list[str] = []
    current, current_level = "", -1
    for label, code, level, total, cells in zip(labels, codes, levels, totals, text_cells):
        named = next((v for k, v in (cells or {}).items() if _UNIT_COL.search(k) and is_department(v)), "")
        if total:
            current, current_level = "", -1
            out.append("")
            continue
        name = _UNIT_CODE.sub("", label)       # "253_烟台市住房和城乡建设局", "305025 江苏省无锡师范学校附属小学"
        if not named and is_department(name) and code_kind(code) == "":
            named = name
        if named:
            current, current_level = named, level
            out.append(named)
        elif current and level > current_level:
            out.append(current)
        else:
            current, current_level = "", -1
            out.append("")
    return out


def with_measures(facts: Iterable[Fact], year: int | None) -> list[Fact]:
    """Facts with their measure filled in from their column (computed once per column)."""
    cache: dict[str, str] = {}
    out = []
    for f in facts:
        if f.column not in cache:
            cache[f.column] = measure_of(f.column, year)
        out.append(replace(f, measure=cache[f.column]) if cache[f.column] != f.measure else f)
    return out


@dataclass(frozen=True)
class Project:
    """A project (项目) as the 项目支出 and 绩效目标 tables list it."""
    name: str
    entity: str                          # the unit that runs it ("" when the table is not by unit)
    table: str                           # Table.id where it is listed first
    page: int
    amount: Decimal | None               # its total (合计/金额 column), in `unit`
    unit: str
    description: str = ""                # 项目简介 / 项目概述 / 主要内容
    targets: str = ""                    # 绩效目标 / 绩效指标 text


_DESC = re.compile(r"简介|概述|概况|主要内容|项目内容|说明|用途")
_TARGET = re.compile(r"绩效目标|绩效指标|目标|指标")
_PROJECT_ROLES = ("project", "performance")


def projects(parsed) -> list[Project]:
    """The projects of a document: rows of its project and performance tables (not totals), with the
    description and performance-target text cells that the reader kept as sections (heading = table title,
    row label, column)."""
    tables = {t.id: t for t in parsed.tables if t.role in _PROJECT_ROLES}
    titles = {t.title: t.id for t in tables.values()}
    texts: dict[tuple[str, str], dict[str, str]] = {}
    for s in parsed.sections:
        if len(s.heading) == 3 and s.heading[0] in titles:
            texts.setdefault((titles[s.heading[0]], s.heading[1]), {})[s.heading[2]] = s.text
    found: dict[tuple[str, str], Project] = {}
    for f in parsed.facts:
        if f.table not in tables or f.is_total or is_department(f.row):
            continue
        key = (f.entity, f.row)
        if key in found:
            p = found[key]
            if p.amount is None or (f.measure in ("total", "amount") and p.table == f.table and f.row_index == 0):
                found[key] = replace(p, amount=f.value)
            continue
        cells = texts.get((f.table, f.row), {})
        desc = "；".join(v for k, v in cells.items() if _DESC.search(k))
        goal = "；".join(v for k, v in cells.items() if _TARGET.search(k) and not _DESC.search(k))
        found[key] = Project(f.row, f.entity, f.table, f.page, f.value, f.unit, desc, goal)
    return list(found.values())
