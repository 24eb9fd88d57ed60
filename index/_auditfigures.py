"""Figures of the consistency audit (see `index.audit`): what a table is (its role from `index.roles`, else
its title), the amounts the checks compare (grand totals, a side's total, a row, a code; the 三公 table's
items at this year's measure; carried-over money kept apart), and `compare`, which grades two figures.

Does not decide which figures must agree: the checks do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .audit import Evidence, Finding
from .models import ParsedDocument, Table, convert
from ._auditrows import (Row, ZERO, _MAIN_LEAF, _NON_ADDITIVE, fmt, grade, leaf, side_by_side,
    table_rows,
    tables_of, to_common)

# ----------------------------------------------------------------------------------------------- kinds

OVERALL, FISCAL, INCOME, EXPEND = "overall", "fiscal", "income", "expend"
FISCAL_FUNC, GPB_FUNC, FISCAL_BASIC, GPB_BASIC, GPB_PROJECT = "fiscal_func", "gpb_func", "fiscal_basic", \
    "gpb_basic", "gpb_project"
SANGONG, GOVFUND, SOE, DEPT_BASIC, DEPT_PROJECT, OFFICE, PROCURE = "sangong", "govfund", "soe", "dept_basic", \
    "dept_project", "office", "procure"


# the reader's table role (index.roles) -> what the audit compares it as; None: no money to compare
_ROLE_KIND = {"summary": OVERALL, "income": INCOME, "expenditure": EXPEND, "fiscal_summary": FISCAL,
              "fiscal_expenditure": FISCAL_FUNC, "general_expenditure": GPB_FUNC, "general_basic": GPB_BASIC,
              "sangong": SANGONG, "sangong_meeting_training": SANGONG, "operating_cost": OFFICE,
              "gov_fund": GOVFUND, "state_capital": SOE, "procurement": PROCURE, "project": DEPT_PROJECT,
              "performance": None, "overall_performance": None, "contents": None, "purchase_services": None,
              "special_account": None}


def kind_of(table: Table) -> str | None:
    """What a table is: its role when the reader named one (index.roles), else from its title (the number
    is ignored: templates number differently). Economic and basic-spending tables are told apart by title
    (财政拨款/一般公共预算 基本支出, 项目支出 by economic class)."""
    role = getattr(table, "role", "other") or "other"
    if role in _ROLE_KIND:
        return _ROLE_KIND[role]
    return _kind_by_title(table)


def _kind_by_title(table: Table) -> str | None:
    t = re.sub(r"\s", "", table.title)
    t = re.sub(r"^(?:公开\d+表|表\d+)[:：]?", "", t)
    if "三公" in t:
        return SANGONG
    if "政府采购" in t:
        return PROCURE
    if "机关运行经费" in t:
        return OFFICE
    if "政府性基金" in t:
        return GOVFUND
    if "国有资本经营" in t:
        return SOE
    if "财政拨款收支" in t:
        return FISCAL
    if "收支" in t:
        return OVERALL
    if "收入" in t:
        return INCOME
    if "项目支出" in t and "经济" in t:
        return GPB_PROJECT
    if "基本支出" in t:
        if "财政拨款" in t:
            return FISCAL_BASIC
        if "一般公共预算" in t:
            return GPB_BASIC
        return DEPT_BASIC
    if "项目支出" in t:
        return DEPT_PROJECT
    if "财政拨款" in t and "支出" in t:
        return FISCAL_FUNC
    if "一般公共预算" in t and "支出" in t:
        return GPB_FUNC
    if "支出" in t:
        return EXPEND
    return None


@dataclass
class Tab:
    table: Table
    rows: list[Row]
    kind: str | None


def tabs_by_kind(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> dict[str, Tab]:
    out: dict[str, Tab] = {}
    for t in tables_of(parsed, rows):
        k = kind_of(t)
        trows = rows.get(t.id, [])
        if sum(1 for r in trows if re.fullmatch(r"-?[\d,]+\.\d+", r.label.strip())) > len(trows) // 3 or \
                side_by_side(trows):
            continue                  # labels that are amounts (codes read as values), or tables side by side
        if k == SANGONG and sum(1 for r in trows if r.code and r.code[:2] in ("30", "31")) >= 3:
            k = _kind_by_title(t)     # an economic-class table lists 因公出国 and 公务接待 too: no 三公 table
            k = None if k == SANGONG else k
        if k and k not in out:
            out[k] = Tab(t, trows, k)
    return out


# ----------------------------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class Figure:
    """An amount read from a table (or computed from several cells), with where it comes from."""
    value: Decimal
    unit: str
    what: str
    evidence: tuple[Evidence, ...]


def _main_col(row: Row, exclude: str | None = None) -> str | None:
    cols = [c for c in row.cells if not (exclude and re.search(exclude, c)) and not _NON_ADDITIVE.search(c)]
    for c in cols:
        if _MAIN_LEAF.match(leaf(c)):
            return c
    return cols[0] if cols else None


def fig_of(row: Row, col: str | None = None, what: str | None = None) -> Figure | None:
    col = col or _main_col(row)
    if col is None or col not in row.cells:
        return None
    f = row.cells[col]
    colname = "" if _MAIN_LEAF.match(leaf(col)) and len(row.cells) == 1 else f"（{col}）"
    desc = what or f"{row.table.id}「{row.label}」{colname}"
    return Figure(f.value, f.unit, desc, (Evidence(row.table.title, f.page, (f.raw or f.row).strip()),))


def grand_row(rows: list[Row], side: str | None = None) -> Row | None:
    """The table's (or side's) grand total row: the last total row; a one-row table's only row."""
    cand = [r for r in rows if side is None or r.side == side]
    totals = [r for r in cand if r.total]
    if totals:
        # prefer 总计 / 合计 over 小计 when both exist
        best = [r for r in totals if re.search(r"总计|合计", r.label)] or totals
        return best[-1]
    if len(cand) == 1:
        return cand[0]
    return None


def grand(tab: Tab | None, side: str | None = None, col_re: str | None = None) -> Figure | None:
    if tab is None:
        return None
    parts = list(dict.fromkeys(r.side for r in tab.rows if r.side))
    if side is None and len(parts) > 1 and not {"收入", "支出"} & set(parts) and not any(
            r.total and not r.side for r in tab.rows):
        # parts printed side by side, each with its own 合计 (人员经费 | 公用经费): the whole is their sum
        figs = [grand(tab, s, col_re) for s in parts]
        return None if None in figs else _sum_figs(figs, "+".join(parts))
    r = grand_row(tab.rows, side)
    if r is None:
        return None
    if col_re:
        col = next((c for c in r.cells if re.search(col_re, leaf(c))), None)
        return fig_of(r, col) if col else None
    return fig_of(r, _main_col(r, exclude=r"支出用途") or _main_col(r))


def side_total(tab: Tab | None, side: str) -> Figure | None:
    if tab is None:
        return None
    r = grand_row(tab.rows, side)
    if r is None:
        return None
    return fig_of(r, _main_col(r))


def find_row(tab: Tab | None, pattern: str, side: str | None = None, col_re: str | None = None) -> Figure | None:
    if tab is None:
        return None
    for r in tab.rows:
        if side is not None and r.side != side:
            continue
        if r.total or not re.search(pattern, r.bare):
            continue
        if col_re:
            col = next((c for c in r.cells if re.search(col_re, c)), None)
            if col:
                return fig_of(r, col)
            continue
        return fig_of(r)
    return None


def same_amount(a: Figure | None, b: Figure | None) -> bool:
    if a is None or b is None:
        return False
    x, y, _, _ = to_common(a.value, a.unit, b.value, b.unit)
    return x == y


def compare(check: str, expected: Figure | None, actual: Figure | None, relation: str = "") -> Finding | None:
    """Finding when two figures that must be equal are not (units converted; rounding graded)."""
    if expected is None or actual is None:
        return None
    e, a, unit, q = to_common(expected.value, expected.unit, actual.value, actual.unit)
    diff = a - e
    sev = grade(diff, q)
    if sev is None:
        return None
    msg = (f"{actual.what}为{fmt(a)}{unit}，与{expected.what}{fmt(e)}{unit}不一致"
           f"{'（' + relation + '）' if relation else ''}，相差{fmt(diff)}{unit}")
    return Finding(sev, check, msg, e, a, diff, actual.evidence + expected.evidence)


# ----------------------------------------------------------------------------------------------- 三公 items

SANGONG_NAMES = {"total": "“三公”经费", "abroad": "因公出国（境）费", "car": "公务用车购置及运行（维护）费",
                 "car_buy": "公务用车购置费", "car_run": "公务用车运行（维护）费", "reception": "公务接待费",
                 "meeting": "会议费", "training": "培训费", "office": "机关运行经费"}


def sangong_key(text: str) -> str | None:
    """Which 三公-table item a row label or a column header names."""
    t = re.sub(r"\s", "", text)
    if "因公出国" in t:
        return "abroad"
    if "购置及运行" in t:
        return "car"
    if re.search(r"机关运行经费|行政经费", t):
        return "office"
    if "购置" in t:
        return "car_buy"
    if "运行" in t:
        return "car_run"
    if "公务接待" in t:
        return "reception"
    if "会议费" in t:
        return "meeting"
    if "培训费" in t:
        return "training"
    if "三公" in t:
        return "total"
    return None


def sangong_items(tab: Tab | None, prefer_col: str | None = None, measure: str | None = None,
                  avoid: str | None = None) -> dict[str, Figure]:
    """The 三公 table's figures by item, whether items are rows (广东 表8) or columns (江苏, 上海; and per-unit
    tables, whose 合计 row carries them). `measure` (a pattern the column must match: "决算", "上年") and
    `avoid` (one it must not) pick the measure when the table prints several (预算数/决算数, 2025年/2026年)."""
    out: dict[str, Figure] = {}
    if tab is None:
        return out

    def usable(col: str) -> bool:
        return not (avoid and re.search(avoid, col)) and not (measure and not re.search(measure, col)) and \
            not _NON_ADDITIVE.search(col)

    items = [r for r in tab.rows if not r.total]
    if len(items) > 1 and any(sangong_key(r.bare) for r in items):
        for r in tab.rows:
            k = sangong_key(r.bare)
            if k is None or k in out:
                continue
            cols = [c for c in r.cells if usable(c)]
            col = next((c for c in cols if prefer_col and re.search(prefer_col, leaf(c))), None)
            main = _main_col(r, exclude=avoid)
            col = col or (main if main in cols else (cols[0] if cols else None))
            fig = fig_of(r, col) if col else None
            if fig:
                out[k] = fig
        return out
    rows = tab.rows if len(items) <= 1 else [r for r in [grand_row(tab.rows)] if r is not None]
    for r in rows:
        for col in r.cells:
            if not usable(col):
                continue
            path = col.split("·")
            if path[-1] in ("合计", "小计", "总计"):
                if len(path) == 1:
                    continue          # the table's grand 合计 (三公 + 会议费 + 培训费 in Jiangsu)
                k = sangong_key(path[-2])
            else:
                k = sangong_key(path[-1])
            if k and k not in out:
                out[k] = fig_of(r, col, what=f"{tab.table.id}「{col}」")
    return out


def sangong_measures(parsed: ParsedDocument) -> tuple[str | None, str]:
    """(measure, avoid) patterns for this year's 三公 figures of a document: its 决算数 in a final account,
    never a 上年 / last year's / 增减 column."""
    year = parsed.document.year
    avoid = r"上年|增减|变动|变化|比上年|结转|结余" + (f"|{year - 1}" if year else "")
    return ("决算" if parsed.document.kind == "决算" else None), avoid


def sangong_table(parsed: ParsedDocument, rows=None) -> tuple[Tab | None, dict[str, Figure], dict[str, Figure]]:
    """The 三公 table (by role), this year's items and last year's (from a 上年 / last-year column, when the
    table prints one)."""
    rows = rows if rows is not None else table_rows(parsed)
    tab = tabs_by_kind(parsed, rows).get(SANGONG)
    if tab is None:
        return None, {}, {}
    measure, avoid = sangong_measures(parsed)
    this = sangong_items(tab, measure=measure, avoid=avoid)
    year = parsed.document.year
    last = r"上年" + (f"|{year - 1}" if year else "")
    prev = sangong_items(tab, measure=last, avoid=r"增减|变动|变化|结转|结余")    # (上年结转结余 is no last year)
    return tab, this, prev


# ----------------------------------------------------------------------------------------------- check 2: across

_SANGONG_CODES = {"reception": ("30217",), "car_run": ("30231",), "abroad": ("30212",), "car_buy": ("31013",),
                  "meeting": ("30215",), "training": ("30216",)}


def _code_fig(tab: Tab | None, code: str, col_re: str | None = None) -> Figure | None:
    if tab is None:
        return None
    for r in tab.rows:
        if r.code == code:
            if col_re:
                col = next((c for c in r.cells if re.search(col_re, leaf(c))), None)
                return fig_of(r, col) if col else None
            return fig_of(r, _main_col(r))
    return None


def _sum_figs(figs: list[Figure], what: str) -> Figure | None:
    figs = [f for f in figs if f is not None]
    if not figs:
        return None
    unit = figs[0].unit
    total = sum((convert(f.value, f.unit, unit) for f in figs), ZERO)
    ev = tuple(e for f in figs for e in f.evidence)
    return Figure(total, unit, what, ev)


_CARRY = r"上年结转|结转结余|上年结余|结转和结余|年初结转"


def carry_over(tab: Tab | None) -> Decimal:
    """The carried-over money on the income side of a two-sided table (上年结转), 0 when none."""
    rows = [r for r in (tab.rows if tab else []) if r.side == "收入" and re.search(_CARRY, r.bare)]
    vals = [r.get(_main_col(r)) for r in rows if _main_col(r)]
    return max((v for v in vals if v is not None), default=ZERO)


def this_year_total(tab: Tab | None, side: str) -> Figure | None:
    """A two-sided table's 本年收入合计 / 本年支出合计 (this year's money, before 结转): that row, else the side's
    total when nothing was carried over."""
    if tab is None:
        return None
    for r in tab.rows:
        if r.side == side and r.total and re.match(r"^本年(?:收入|支出)(?:合计|小计)", r.bare):
            return fig_of(r, _main_col(r))
    return side_total(tab, side) if carry_over(tab) == 0 else None


def closest(cands: list[Figure | None], to: Figure | None) -> Figure | None:
    """Of figures that may each be what `to` stands for (收入总计 or 本年收入合计), the one nearest to it."""
    cands = [c for c in cands if c is not None]
    if not cands or to is None:
        return cands[0] if cands else None
    return min(cands, key=lambda c: abs(to_common(c.value, c.unit, to.value, to.unit)[0] - to_common(
        c.value, c.unit, to.value, to.unit)[1]))


def fiscal_this_year(tab: Tab | None) -> Figure | None:
    """This year's 财政拨款 income of the 财政拨款收支总表: its 本年收入 row, else its income total when
    nothing was carried over (the total then is this year's money only)."""
    if tab is None:
        return None
    for r in tab.rows:
        if r.side == "收入" and re.match(r"^(?:本年收入|(?:本年)?财政拨款(?:收入)?)(?:合计|小计)?$", r.bare):
            return fig_of(r)
    return side_total(tab, "收入") if carry_over(tab) == 0 else None


def fiscal_gpb_income(tab: Tab | None) -> Figure | None:
    """The 一般公共预算 money of the 财政拨款收支总表's income side, this year's and the carried-over
    part together (what the 一般公共预算支出表 spends); None when money was carried over without saying
    how much of it is 一般公共预算."""
    if tab is None:
        return None
    rows = [r for r in tab.rows if r.side == "收入" and not r.total and re.match(r"^一般公共预算", r.bare)]
    if not rows:
        return None
    carried_out = [r for r in tab.rows if r.side == "支出" and re.search(r"结转下年|年末结转", r.bare)]
    if any(r.get(_main_col(r)) for r in carried_out if _main_col(r)):
        return None               # money left for next year: this year's spending is not all the money
    if carry_over(tab) != 0:
        if len(rows) < 2:
            return None
        return _sum_figs([fig_of(r) for r in rows], f"{tab.table.id}一般公共预算（本年与上年结转）合计")
    return fig_of(rows[0])
