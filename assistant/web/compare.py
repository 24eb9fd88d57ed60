"""Key figures of several documents side by side (the app's 对比 tab), with differences and charts.

`compare(bot, doc_ids)` reads, for each document, the figures of its standard tables: 收入总计, 支出总计 (the
first whole-scope table that prints them), 基本支出 and 项目支出, spending by function class (类), the 三公
items (the charts module's readings, so the 图表 tab and this one agree), and 机关运行经费 (its own table, the
三公 table, or the narrative sentence that names it). Every figure keeps its table and page; a figure a
document does not print is None and shown as "未提供", never guessed. Amounts are compared in 万元, exactly.
Rendering is plain HTML with inline styles (no scripts); every label is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from index.models import Document, convert, fmt_amount, round2

from . import charts
from ..align import Value
from ..documents import label
from .render import esc

MONEY = ("元", "万元", "亿元")
THREE = (("“三公”经费合计", ()), ("因公出国（境）费", ("因公出国（境）费",)),
         ("公务用车购置及运行维护费", ("公务用车购置及运行维护费", "公务用车购置及运行费")), ("公务接待费", ("公务接待费",)))
COLORS = ("#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9")


@dataclass(frozen=True)
class Cell:
    value: Decimal          # in 万元
    source: str             # table or section
    page: int | None


@dataclass(frozen=True)
class Line:
    group: str              # 收支, 基本与项目, 功能分类, 三公, 机关运行经费
    label: str
    cells: tuple[Cell | None, ...]

    def difference(self) -> Decimal | None:
        a, b = self.cells[0], self.cells[-1]
        return None if a is None or b is None else b.value - a.value

    def change(self) -> Decimal | None:
        a, d = self.cells[0], self.difference()
        return None if d is None or a is None or a.value == 0 else round2(d / a.value * 100)


@dataclass(frozen=True)
class Comparison:
    docs: tuple[Document, ...]
    lines: tuple[Line, ...]

    @property
    def one_department(self) -> bool:
        return len({d.department for d in self.docs}) == 1 and len({d.year for d in self.docs}) == len(self.docs)


def _wan(value: Decimal, unit: str) -> Decimal | None:
    return convert(value, unit, "万元") if unit in MONEY else None


def _from_value(v) -> Cell | None:
    if not isinstance(v, Value) or v.unit not in MONEY:
        return None
    c = v.citation
    return Cell(_wan(v.value, v.unit), c.source if c else "", c.page if c else None)


def _from_bars(chart, wanted: str) -> Cell | None:
    if chart is None or chart.unit not in MONEY:
        return None
    bar = next((b for b in chart.bars if b.label == wanted), None)
    return None if bar is None else Cell(_wan(bar.value, chart.unit), chart.source, bar.page)


def figures(bot, d: Document) -> dict[tuple[str, str], Cell | None]:
    """(group, label) -> cell for one document."""
    from ..across_documents import labelled_value
    parsed = bot.store.load(d.id)
    out: dict[tuple[str, str], Cell | None] = {}
    for name, alts in (("收入总计", ("收入总计", "本年收入合计", "收入合计")),
                       ("支出总计", ("支出总计", "本年支出合计", "支出合计"))):
        cell = None
        for alt in alts:
            cell = _from_value(labelled_value(bot, d, alt))
            if cell is not None:
                break
        out[("收支", name)] = cell
    split = charts.basic_vs_project(parsed)
    for name in ("基本支出", "项目支出"):
        out[("基本与项目", name)] = _from_bars(split, name) or _from_value(labelled_value(bot, d, name))
    function = charts.spending_by_function(parsed)
    for bar in (function.bars if function else ()):
        out[("功能分类", bar.label)] = _from_bars(function, bar.label)
    three = charts.three_public(parsed)
    for name, alts in THREE:
        cell = _from_bars(three, name)
        for alt in alts if cell is None else ():
            cell = _from_value(labelled_value(bot, d, alt))
            if cell is not None:
                break
        out[("三公", name)] = cell
    out[("机关运行经费", "机关运行经费")] = _from_value(labelled_value(bot, d, "机关运行经费"))
    return out


def compare(bot, doc_ids: list[str]) -> Comparison:
    docs = [bot.store.resolve(i) for i in doc_ids]
    docs.sort(key=lambda d: (d.department, d.year or 0))
    per = [figures(bot, d) for d in docs]
    keys: list[tuple[str, str]] = []
    for f in per:
        keys += [k for k in f if k not in keys]
    order = ("收支", "基本与项目", "功能分类", "三公", "机关运行经费")
    keys.sort(key=lambda k: order.index(k[0]))
    lines = [Line(g, name, tuple(f.get((g, name)) for f in per)) for g, name in keys]
    lines = [ln for ln in lines if any(c is not None for c in ln.cells)]
    return Comparison(tuple(docs), tuple(lines))


# -- rendering -------------------------------------------------------------------------------------
def _amount(v: Decimal | None) -> str:
    return "未提供" if v is None else fmt_amount(v)


def render_table(c: Comparison) -> str:
    if len(c.docs) < 2:
        return '<p class="bq-absent">请至少选择两份文档。</p>'
    head = "".join(f"<th>{esc(label(d))}</th>" for d in c.docs)
    two = len(c.docs) == 2 or c.one_department
    extra = f"<th>差额（{esc(label(c.docs[-1]))} − {esc(label(c.docs[0]))}）</th><th>变化</th>" if two else ""
    rows = []
    group = None
    for ln in c.lines:
        if ln.group != group:
            group = ln.group
            rows.append(f'<tr><td colspan="{len(c.docs) + 3}" style="font-weight:600;padding-top:.6em">'
                        f'{esc(group)}</td></tr>')
        cells = []
        for cell in ln.cells:
            if cell is None:
                cells.append('<td class="bq-absent">未提供</td>')
            else:
                where = f"{cell.source}（第{cell.page}页）" if cell.page else cell.source
                cells.append(f'<td title="{esc(where)}">{_amount(cell.value)}'
                             f'<div style="font-size:.75em;opacity:.7">{esc(where[:40])}</div></td>')
        if two:
            d, ch = ln.difference(), ln.change()
            cells.append(f"<td>{'—' if d is None else ('+' if d > 0 else '') + fmt_amount(d)}</td>")
            cells.append(f"<td>{'—' if ch is None else ('+' if ch > 0 else '') + fmt_amount(ch) + '%'}</td>")
        rows.append(f"<tr><td>{esc(ln.label)}</td>{''.join(cells)}</tr>")
    return (f'<div class="bq-compare"><p style="font-size:.85em">金额单位：万元（元已精确换算）；'
            f'每格下方注明来源表与页码。</p><table data-compare="table" style="border-collapse:collapse;width:100%">'
            f"<thead><tr><th>项目</th>{head}{extra}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


MAIN = (("收支", "收入总计"), ("收支", "支出总计"), ("基本与项目", "基本支出"), ("基本与项目", "项目支出"),
        ("三公", "“三公”经费合计"), ("机关运行经费", "机关运行经费"))


def _bars(values: list[tuple[str, Decimal | None, str]], top: Decimal) -> str:
    out = []
    for name, v, color in values:
        width = Decimal(0) if v is None or top == 0 else max(Decimal("0.5"), v / top * 100)
        shown = "未提供" if v is None else fmt_amount(v)
        out.append(f'<div style="display:flex;align-items:center;gap:.5em;font-size:.85em">'
                   f'<div style="min-width:9em">{esc(name)}</div><div style="flex:1"><div style="background:{color};'
                   f'height:12px;border-radius:3px;width:{width:.1f}%"></div></div>'
                   f'<div style="min-width:8em">{shown}</div></div>')
    return "".join(out)


def _blocks(c: Comparison, bar_of) -> list[str]:
    """One block of bars per main figure: `bar_of(i, doc)` gives each document's (label, colour)."""
    lines = {(ln.group, ln.label): ln for ln in c.lines}
    blocks = []
    for key in MAIN:
        ln = lines.get(key)
        if ln is None:
            continue
        vals = [(name, cell.value if cell else None, colour)
                for i, (d, cell) in enumerate(zip(c.docs, ln.cells)) for name, colour in [bar_of(i, d)]]
        top = max((v for _, v, _ in vals if v is not None), default=Decimal(0))
        blocks.append(f'<div style="margin:.6em 0"><div style="font-weight:600">{esc(key[1])}</div>'
                      f"{_bars(vals, top)}</div>")
    return blocks


def render_chart(c: Comparison) -> str:
    """Grouped bars: each main figure, one bar per document (in 万元)."""
    if len(c.docs) < 2:
        return ""
    blocks = _blocks(c, lambda i, d: (label(d), COLORS[i % len(COLORS)]))
    return (f'<div class="bq-chart" data-chart="compare"><h3>主要数字对比（万元）</h3>{"".join(blocks)}</div>'
            if blocks else "")


def render_trend(c: Comparison) -> str:
    """One department in several years: each main figure year by year."""
    if not c.one_department or len(c.docs) < 2:
        return ""
    blocks = _blocks(c, lambda i, d: (f"{d.year}年", COLORS[0]))
    return (f'<div class="bq-chart" data-chart="trend"><h3>{esc(c.docs[0].department)}：逐年变化（万元）</h3>'
            f'{"".join(blocks)}</div>')
