"""Charts for the web app: the figures a person would rather look at than read, each with its source table.

Tables are found by what their titles and columns say, never by number, so the Guangdong (表N), Jiangsu
(公开NN表) and Shanghai templates all work. A chart the document cannot support is `None`, and the app
shows "本文件未提供" instead of guessing. Rendering is plain HTML with inline styles: no scripts, no
network, no CDN; every label is escaped.

Charts: spending by function class (类), 基本支出 vs 项目支出 (from the expenditure table, by its role),
projects by size, “三公”经费 this year vs last year (from the 三公 table's own items, whatever the
template prints around them — 会议费 and 培训费 in Jiangsu's table, units as rows in Hangzhou's; last year from
the table when it has a 上年 column, else from the narrative's "比上年增加…" / "较2025年预算…" statements:
`ChangeFact.previous`).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from index.models import ChangeFact, Fact, ParsedDocument, Table, convert, fmt_amount

from .render import esc

_VALUE_COLUMNS = ("合计", "小计", "总计", "本年预算", "预算数", "预算", "金额", "财政拨款·合计")
_TOTAL_LABELS = ("合计", "总计", "小计")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    previous: Decimal | None = None
    page: int | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    source: str          # table title(s) the figures come from, with pages
    unit: str
    bars: tuple[Bar, ...]
    note: str = ""
    compare: bool = False  # two series: this year and last year


TITLES = {"function": "按功能分类的支出（类）", "split": "基本支出与项目支出",
          "projects": "项目支出（按金额）", "three": "“三公”经费：今年与上年"}


# -- finding tables --------------------------------------------------------------------------------
def _facts(parsed: ParsedDocument, table: Table) -> list[Fact]:
    return [f for f in parsed.facts if f.table == table.id]


def _value_column(table: Table) -> str | None:
    for name in _VALUE_COLUMNS:
        if name in table.columns:
            return name
    return table.columns[0] if table.columns else None


def _pages(facts: list[Fact]) -> str:
    pages = sorted({f.page for f in facts})
    if not pages:
        return ""
    return f"第{pages[0]}页" if len(pages) == 1 else f"第{pages[0]}–{pages[-1]}页"


def _source(table: Table, facts: list[Fact]) -> str:
    return f"{table.title}（{_pages(facts)}）" if facts else table.title


def _is_total(f: Fact) -> bool:
    return f.is_total or f.row.replace(" ", "") in _TOTAL_LABELS


def _tables(parsed: ParsedDocument, must: tuple[str, ...], avoid: tuple[str, ...] = ()) -> list[Table]:
    return [t for t in parsed.tables if all(k in t.title for k in must) and not any(k in t.title for k in avoid)]


# -- the charts ------------------------------------------------------------------------------------
def spending_by_function(parsed: ParsedDocument) -> Chart | None:
    """类-level rows (3-digit subject codes) of the spending-by-function table."""
    candidates = (_tables(parsed, ("功能分类",), ("收入",)) + _tables(parsed, ("支出",), ("经济分类", "收入", "三公")))
    for table in candidates:
        col = _value_column(table)
        facts = [f for f in _facts(parsed, table)
                 if f.column == col and f.code and len(f.code) == 3 and not _is_total(f) and f.side != "收入"]
        bars = [Bar(f.row, f.value, page=f.page) for f in facts if f.value]
        if bars:
            bars.sort(key=lambda b: b.value, reverse=True)
            return Chart("function", TITLES["function"], _source(table, facts), table.unit, tuple(bars))
    return None


_SPLIT_ROLES = ("expenditure", "general_expenditure", "fiscal_expenditure")


def basic_vs_project(parsed: ParsedDocument) -> Chart | None:
    """The total row's 基本支出 and 项目支出 columns, from the expenditure table (role `expenditure`, then the
    一般公共预算 / 财政拨款 expenditure tables; by title for a document read without roles)."""
    def rank(t: Table) -> tuple:
        role = getattr(t, "role", "other")
        by_role = _SPLIT_ROLES.index(role) if role in _SPLIT_ROLES else len(_SPLIT_ROLES)
        return (by_role, not any(k in t.title for k in ("支出总体", "支出总表", "支出预算总表")), "功能分类" not in t.title)
    leaf = lambda c: c.split("·")[-1]      # noqa: E731
    tables = [t for t in parsed.tables if {"基本支出", "项目支出"} <= {leaf(c) for c in t.columns}]
    for table in sorted(tables, key=rank):
        facts = [f for f in _facts(parsed, table) if _is_total(f) and leaf(f.column) in ("基本支出", "项目支出")
                 and not getattr(f, "entity", "")]
        first_row = min((f.row_index for f in facts), default=None)
        facts = [f for f in facts if f.row_index == first_row]
        by_col: dict[str, Fact] = {}
        for f in facts:
            by_col.setdefault(leaf(f.column), f)
        if len(by_col) == 2:
            bars = tuple(Bar(c, by_col[c].value, page=by_col[c].page) for c in ("基本支出", "项目支出"))
            return Chart("split", TITLES["split"], _source(table, facts), table.unit, bars)
    return None


def projects_by_size(parsed: ParsedDocument, top: int = 15) -> Chart | None:
    """Leaf rows of the project-spending table (rows nothing else is nested under), largest first."""
    for table in _tables(parsed, ("项目支出",), ("经济分类", "功能分类", "三公")):
        col = _value_column(table)
        facts = [f for f in _facts(parsed, table) if f.column == col and not _is_total(f)]
        parents = {p for f in facts for p in f.path}
        leaves = [f for f in facts if f.row not in parents and f.value]
        if not leaves:
            continue
        leaves.sort(key=lambda f: f.value, reverse=True)
        shown = leaves[:top]
        note = f"共 {len(leaves)} 个项目，显示金额最大的 {len(shown)} 个。" if len(leaves) > top else f"共 {len(leaves)} 个项目。"
        bars = tuple(Bar(f.row, f.value, page=f.page) for f in shown)
        return Chart("projects", TITLES["projects"], _source(table, leaves), table.unit, bars, note=note)
    return None


# (label shown, the 三公 table's item, keywords a change subject must contain — any of them)
_THREE = (("“三公”经费合计", "total", ("三公",)), ("因公出国（境）费", "abroad", ("出国",)),
          ("公务用车购置及运行维护费", "car", ("购置及运行", "购置和运行")), ("公务接待费", "reception", ("接待",)))


def _match(text: str, keys: tuple[str, ...]) -> bool:
    return any(k in text for k in keys)


def _change_for(changes: tuple[ChangeFact, ...], keys: tuple[str, ...], is_total: bool) -> ChangeFact | None:
    for c in changes:
        if c.previous is None:
            continue
        if is_total and "三公" in c.subject:
            return c
        if not is_total and "三公" not in c.subject and _match(c.subject, keys):
            return c
    return None


def three_public(parsed: ParsedDocument) -> Chart | None:
    """“三公”经费 by item from the 三公 table's own items (the table with that role; items as rows or as
    columns, this year's measure — 决算数 in a final account), last year from the table's 上年 column, else
    from the narrative's change statements (`ChangeFact.previous`: the printed base, or this year minus
    the change)."""
    from index._auditchecks import sangong_table
    tab, this, prev_items = sangong_table(parsed)
    if tab is None:
        return None
    table = tab.table
    bars, used, used_changes = [], [], []
    for label, key, keys in _THREE:
        fig = this.get(key)
        if fig is None:
            continue
        page = fig.evidence[0].page if fig.evidence else None
        used.append(page)
        previous = None
        pf = prev_items.get(key)
        if pf is not None:
            previous = convert(pf.value, pf.unit, fig.unit) if pf.unit != fig.unit else pf.value
        else:
            change = _change_for(parsed.changes, keys, key == "total")
            if change is not None:
                previous = convert(change.previous, change.unit, fig.unit) if change.unit != fig.unit \
                    and {change.unit, fig.unit} <= {"元", "万元", "亿元"} else change.previous
                used_changes.append(change)
        bars.append(Bar(label, fig.value, previous, page))
    if not bars:
        return None
    pages = sorted({p for p in used if p})
    source = table.title + (f"（第{pages[0]}页）" if len(pages) == 1 else
                            f"（第{pages[0]}–{pages[-1]}页）" if pages else "")
    if prev_items:
        source += "；上年数取自该表的上年数列"
    elif used_changes:
        cpages = sorted({c.page for c in used_changes})
        source += "；上年数由预算说明中“比上年增减”的数字推算（第" + "、".join(map(str, cpages)) + "页）"
    note = "" if any(b.previous is not None for b in bars) else "本文件未提供上年数，只显示今年。"
    unit = next(iter(this.values())).unit
    return Chart("three", TITLES["three"], source, unit, tuple(bars), note=note, compare=True)


def all_charts(parsed: ParsedDocument) -> dict[str, Chart | None]:
    return {"function": spending_by_function(parsed), "split": basic_vs_project(parsed),
            "projects": projects_by_size(parsed), "three": three_public(parsed)}


# -- rendering -------------------------------------------------------------------------------------
_THIS, _LAST = "#2563eb", "#9ca3af"


def _bar(width: Decimal, color: str) -> str:
    pct = max(Decimal("0.5"), width) if width > 0 else Decimal(0)
    return (f'<div style="background:{color};height:14px;border-radius:3px;width:{pct:.1f}%;'
            f'min-width:{2 if width > 0 else 0}px"></div>')


def render_chart(chart: Chart | None, key: str) -> str:
    """One chart as HTML; "本文件未提供" when the document has nothing to draw it from."""
    title = esc(TITLES[key])
    if chart is None or not chart.bars:
        return (f'<div class="bq-chart" data-chart="{esc(key)}"><h3>{title}</h3>'
                f'<p class="bq-absent">本文件未提供</p></div>')
    top = max(max(b.value, b.previous or 0) for b in chart.bars) or Decimal(1)
    total = sum((b.value for b in chart.bars), Decimal(0)) if chart.key in ("function", "split") else None
    rows = []
    for b in chart.bars:
        share = f"（{b.value / total * 100:.2f}%）" if total else ""
        value = f"{fmt_amount(b.value)} {esc(chart.unit)}{share}"
        cells = [f'<div style="display:flex;align-items:center;gap:.5em"><div style="flex:1">'
                 f'{_bar(b.value / top * 100, _THIS)}</div><div style="min-width:11em">{"今年 " if chart.compare else ""}'
                 f'{value}</div></div>']
        if chart.compare:
            last = "本文件未提供" if b.previous is None else f"{fmt_amount(b.previous)} {esc(chart.unit)}"
            width = Decimal(0) if b.previous is None else b.previous / top * 100
            cells.append(f'<div style="display:flex;align-items:center;gap:.5em"><div style="flex:1">'
                         f'{_bar(width, _LAST)}</div><div style="min-width:11em">上年 {last}</div></div>')
        rows.append(f'<div class="bq-bar" style="margin:.45em 0"><div style="font-size:.92em">{esc(b.label)}</div>'
                    f'{"".join(cells)}</div>')
    legend = (f'<p style="font-size:.85em"><span style="color:{_THIS}">■</span> 今年　'
              f'<span style="color:{_LAST}">■</span> 上年</p>') if chart.compare else ""
    note = f'<p style="font-size:.85em">{esc(chart.note)}</p>' if chart.note else ""
    return (f'<div class="bq-chart" data-chart="{esc(key)}"><h3>{title}</h3>{legend}{"".join(rows)}{note}'
            f'<p style="font-size:.85em;opacity:.8">📎 来源：{esc(chart.source)}</p></div>')
