"""Choosing the cells a mention stands for: which table, which column, which row when a label repeats.

A label can appear in several tables: the same figure repeated (一般公共服务支出 in 表1–表5) is one answer
cited from up to two tables; different figures in complementary tables (租赁费 in 基本支出 and 项目支出) are
given each with its table and their sum; the same label under different parents (事业运行) is listed with
its path. A table whose title narrows the money (政府性基金, 项目支出…) is preferred only when the question
narrows it the same way; the table that is the item's own (`canonical`: the 三公 table for 三公 items, the
会议费/培训费 table for those) is preferred to one that lists it among others.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from index.models import Fact, convert

from .compute import MONEY

from .understand import Mention, NarrativeFigure, clean_label, match_form, measure_row, past_column

QUALIFIERS = ("政府性基金", "国有资本经营", "一般公共预算", "财政拨款", "基本支出", "项目支出", "三公", "行政经费", "政府采购",
              "经济分类", "功能分类", "收入")


@dataclass
class Pick:
    """What a mention resolved to."""
    name: str
    facts: list[Fact] = field(default_factory=list)          # one per distinct thing (first = principal)
    same: list[Fact] = field(default_factory=list)           # other tables repeating the principal figure
    figure: NarrativeFigure | None = None
    complementary: bool = False                              # distinct facts that add up (基本 + 项目)

    @property
    def value(self) -> Decimal | None:
        if self.facts:
            return self.facts[0].value
        return self.figure.value if self.figure else None

    @property
    def unit(self) -> str | None:
        if self.facts:
            return self.facts[0].unit
        return self.figure.unit if self.figure else None


# columns that hold no amount of money: quantities, scores and rates (a self-evaluation's 分值/得分/执行率)
_QUANTITY_COLUMN = re.compile(r"^(?:采购)?(?:数量|人数|个数|台数|辆数|台套数|面积|单价)$|^(?:自评)?(?:分值|得分|分数|评分)$|"
                              r"^执行率|^完成率")


_SPENT_Q = re.compile(r"决算|实际|花了|花费了|用了|执行|实支")
_SPENT_COLUMN = re.compile(r"决算|执行数|实际")


def _column_for(facts: list[Fact], q: str, mention: Mention, table_columns=()) -> Fact:
    """The cell of a row in the column the question names, else the row's total column when its first column is
    one part of a group (资金来源·一般公共预算资金), else its first column; this year's column
    before last year's or the change's ("2026年预算数·公务接待费" before "2025年预算数·公务接待费")."""
    if table_columns:
        now = [f for f in facts if not past_column(f.column, table_columns)]
        facts = now or facts
    facts = of_kind_asked(facts, q, lambda f: f)
    named = []
    for f in facts:
        leaf = match_form(f.column.split("·")[-1])
        pos = q.find(leaf) if len(leaf) >= 2 else -1
        if pos >= 0 and not (mention.start <= pos < mention.end):
            named.append((len(leaf), f))
    if named:
        return max(named, key=lambda x: x[0])[1]
    if _SPENT_Q.search(q):       # "实际花了多少" of a row with 年初预算数 and 全年执行数: the amount spent
        spent = [f for f in facts if _SPENT_COLUMN.search(f.column.split("·")[-1])]
        if spent:
            return spent[0]
    counted = [f for f in facts if not _QUANTITY_COLUMN.search(f.column.split("·")[-1])
               and not QUANTITY_COLUMN.search(f.column.split("·")[-1])
               and not _COUNT_COLUMN.search(f.column.split("·")[-1])]
    facts = counted or facts     # "数量 980 … 预算金额 4704.00": a row's amount, not its quantity or score column
    whole = [f for f in facts if "·" not in f.column and f.column in ("合计", "总计")]
    if whole and "·" in facts[0].column:
        return whole[0]      # "资金来源·一般公共预算资金 … 总计": no source named, the row's total is its figure
    return facts[0]


PROJECT_ROLES = frozenset({"project", "performance"})
_PROJECT_WORD = re.compile(r"项目(?!支出)|\bproject")
_COUNT_COLUMN = re.compile(r"(?:数量|人数|个数|次数|天数|期数|台数|辆数|编制数|实有人数)$")


# columns that count things (a training's 人数, a purchase's 数量) though the table's unit line says 万元
QUANTITY_COLUMN = re.compile(r"数量|台数|个数|件数|套数|人数|车辆数|面积|天数")


def _column_kind(column: str) -> str:
    head = column.split("·")[0]
    return "决算" if "决算" in head else "预算" if "预算" in head else ""


def of_kind_asked(items: list, q: str, cell) -> list:
    """Where a table prints a 预算数 and a 决算数 column of the same item (a 决算 table), the column of the kind
    the question names (预算 of the funds, "一般公共预算", is no kind); when it names none, all of them."""
    kinds = {_column_kind(cell(x).column) for x in items}
    if not {"预算", "决算"} <= kinds:
        return items
    q = re.sub(r"一般公共预算|政府性基金预算|国有资本经营预算|预算单位|预算财政拨款", "", q)   # funds, not the kind
    want = "决算" if "决算" in q else "预算" if "预算" in q else None
    if want is None:
        return items              # the kind not named: the document's own (its columns are read as before)
    return [x for x in items if _column_kind(cell(x).column) == want] or items


def named_columns(q: str, tables, mention: Mention) -> set[str]:
    """Leaf column names the question names outside the mention itself."""
    out = set()
    for t in tables:
        for col in t.columns:
            leaf = match_form(col.split("·")[-1])
            pos = q.find(leaf) if len(leaf) >= 2 else -1
            if pos >= 0 and not (mention.start <= pos < mention.end):
                out.add(leaf)
    return out


_FUND_COLUMN = re.compile(r"^(?:一般公共预算|政府性基金|国有资本经营|财政拨款|财政专户|基本支出|项目支出)")


def _penalty(title: str, q: str, role: str = "") -> int:
    """Qualifiers the title narrows the money by and the question does not. The 项目支出 of a table listing
    projects is no narrowing for its rows: a project's figure is in such a table whatever the question says."""
    t = match_form(title)
    return sum(1 for k in QUALIFIERS if k in t and k not in q and not (k == "项目支出" and role in PROJECT_ROLES)
               and not (k == "三公" and _SANGONG_ITEM.search(q)))      # (公务接待费 is a 三公 item: no narrowing)


def _shared(title: str, q: str) -> int:
    """Qualifiers the title and the question both name ("财政拨款安排的…" and 财政拨款收支总表)."""
    t = match_form(title)
    return sum(1 for k in QUALIFIERS if k in t and k in q)


_SANGONG_ITEM = re.compile(r"因公出国|公务用车|公务接待|三公")


# the catalogue roles (index.roles) that are the own place of an item: the 三公 items in the 三公 table, 会议费
# and 培训费 in the 三公/会议费/培训费 table, 机关运行经费 in its own table.
_ROLE_ITEMS = (("sangong", _SANGONG_ITEM), ("sangong_meeting_training", re.compile(r"因公出国|公务用车|公务接待|三公|会议费|培训费")),
               ("operating_cost", re.compile(r"机关运行经费")))


def canonical(f: Fact, title: str, role: str = "", column: bool = False) -> bool:
    """The table that is the disclosure's own place for this item: its role is the item's table (the 三公 table
    for 公务接待费, the 三公/会议费/培训费 table for 培训费), or its title names the item ("…会议费、培训费
    支出预算表" for 培训费) or the item's group (a table titled 三公 for 因公出国（境）费, 公务用车…). With `column`, the
    item is the cell's column (a table printing its items as columns over rows 预算数 | 决算数)."""
    if role:
        item = match_form(f.column.split("·")[-1]) if f.is_total or column else match_form(clean_label(f.row))
        if any(r == role and rx.search(item) for r, rx in _ROLE_ITEMS):
            return True
    t = match_form(title)
    name = match_form(re.sub(r"支出$", "", clean_label(f.row)))
    leaf = match_form(f.column.split("·")[-1])
    if f.is_total or not name or name in t:
        name = leaf          # a total row or a one-row table (labelled with its title): the column is the item
    if len(name) >= 3 and (name in t or (name.endswith("费") and name[:-1] in t)):
        return True
    return bool(_SANGONG_ITEM.search(name)) and "三公" in t


def _bonus(f: Fact, q: str, mention: Mention | None = None) -> int:
    """An ancestor the question names besides the mention itself ("一般公共服务支出的行政运行")."""
    def named(anc: str) -> bool:
        k = match_form(anc)
        if len(k) < 2:
            return False
        at = [m.start() for m in re.finditer(re.escape(k), q)]
        return any(mention is None or not (mention.start <= a < mention.end) for a in at)
    return sum(2 for anc in f.path if named(anc))


def _decided(cells: list[Fact], q: str, mention: Mention, titles: dict | None = None) -> Fact | None:
    """The one of several cells of a name that the question's other words point to: a pair of characters of
    the question outside the mention that only that cell's printed row, ancestors or table title carry ("机关工资福利支出"
    for "301 501 工资福利支出 机关工资福利支出 1,014.57" beside the 505 对事业单位经常性补助 row)."""
    from .question_words import bigrams
    rest = bigrams(q[:mention.start] + " " + q[mention.end:], latin=False)
    own = [bigrams(match_form(f.raw + "".join(f.path) + (titles or {}).get(f.table, "")), latin=False) for f in cells]
    common = set.intersection(*own) if own else set()
    hits = [len((g - common) & rest) for g in own]
    top = max(hits)
    return cells[hits.index(top)] if top > 0 and hits.count(top) == 1 else None


def _measure_asked(cells: list[Fact], q: str, tables: dict | None) -> list[Fact]:
    """Of one item's cells in rows 预算数 | 决算数 (…年初预算数, 调整预算数), the one whose measure the question says,
    else the document's own kind (a 决算 document's 决算数): as where the measures are columns."""
    said = [f for f in cells if match_form(clean_label(f.row)).rstrip("数") in q]
    if len(said) == 1:
        return said
    if not said and not re.search(r"预算|决算|执行", q):
        kinds = {"决算": [f for f in cells if "决算" in f.row], "预算": [f for f in cells if "预算" in f.row]}
        table = (tables or {}).get(cells[0].table)
        kind = "决算" if table is not None and "决算" in table.title else "预算"
        if len(kinds[kind]) == 1:
            return kinds[kind]
    return cells


def pick(mention: Mention, q: str, titles: dict[str, str], tables: dict | None = None) -> Pick:
    row_cands = [c for c in mention.candidates if c.kind in ("row", "column")]
    narr = [c for c in mention.candidates if c.kind == "narrative"]
    if not row_cands:
        return Pick(name=mention.name, figure=narr[0].figure if narr else None)
    groups: dict[tuple, list[Fact]] = {}
    for cand in row_cands:
        for f in cand.facts:
            if cand.kind == "column":
                groups.setdefault((f.table, f.row_index, f.side, f.column), []).append(f)
            else:
                groups.setdefault((f.table, f.row_index, f.side, None), []).append(f)
    if "本级" in q:                 # "发改委本级": the unit's own row (…（本级）), not the department above it
        own = {k: fs for k, fs in groups.items() if "本级" in fs[0].row}
        groups = own or groups
    named = named_columns(q, (tables or {}).values(), mention)
    coded = any(f.code for fs in groups.values() for f in fs)
    chosen: list[tuple[int, int, Fact]] = []
    for (table, _, _, col), facts in groups.items():
        cell = facts[0] if col else _column_for(facts, q, mention,
                                                tables[table].columns if tables and table in tables else ())
        # a table without the column the question names ranks below one that has it
        lacks = bool(named) and not any(match_form(c.split("·")[-1]) in named
                                        for c in (tables[table].columns if tables else ())) and \
            not any(n in match_form(titles.get(table, "")) for n in named if _FUND_COLUMN.match(n))
        # (a table all of the fund or kind named: 一般公共预算支出表 for "一般公共预算安排的…", 基本支出表)
        # the item's own table; a classification row (with its code) over the same label printed uncoded elsewhere
        role = tables[table].role if tables and table in tables else ""
        by_column = bool(col) or measure_row(cell)   # (预算数 | 决算数 rows)
        canon = (3 if canonical(cell, titles.get(table, ""), role, column=by_column) else 0) + (1 if coded and cell.code else 0)
        own = role if not (col or cell.is_total) else ""     # a project's own row, not the table's total
        chosen.append((2 * _penalty(titles.get(table, ""), q, own) + 4 * lacks - 2 * canon - _shared(titles.get(table, ""), q),
                       -_bonus(cell, q, mention), cell))
    if tables:
        # a value is this year's: a column of last year or of the change stands only when nothing else does
        now = [c for c in chosen if not (c[2].table in tables and past_column(c[2].column, tables[c[2].table].columns))]
        chosen = now or chosen
        # a thing the question calls a project ("这个项目多少钱") is a row of a table listing projects: the same
        # name among a procurement table's items or an economic class's rows stands only when no such row does
        if _PROJECT_WORD.search(q[:mention.start] + " " + q[mention.end:]):
            listed = [c for c in chosen if c[2].table in tables and tables[c[2].table].role in PROJECT_ROLES]
            chosen = listed or chosen
    chosen = of_kind_asked(chosen, q, lambda c: c[2])
    best = min((p, b) for p, b, _ in chosen)
    cells = [f for p, b, f in chosen if (p, b) == best]
    distinct, same = dedupe(cells)
    if len(distinct) == 1:        # the same figure under the same name in tables ranked lower: cited after it,
        f0 = distinct[0]          # a classification table that codes it first (the item's own place)
        key = match_form(clean_label(f0.row))
        seen = {f0.table} | {f.table for f in same}
        more = sorted(((not f.code, p, f) for p, _, f in chosen if f.table not in seen and f.value == f0.value
                       and f.unit == f0.unit and match_form(clean_label(f.row)) == key), key=lambda x: x[:2])
        for _, _, f in more:
            if f.table not in seen:
                seen.add(f.table)
                same.append(f)
    if len(distinct) > 1 and len({f.table for f in distinct}) == 1 and \
            all(map(measure_row, distinct)):
        distinct = _measure_asked(distinct, q, tables)      # rows 预算数 | 决算数 of one table: the one asked
    if len(distinct) > 1:          # the question's own words around the name decide between rows of that name
        one = _decided(distinct, q, mention, titles)
        distinct = [one] if one is not None else distinct
    comp = False
    if len(distinct) > 1:
        kinds = {("基本" if "基本支出" in titles.get(f.table, "") else "项目" if "项目支出" in titles.get(f.table, "")
                  else "") for f in distinct}
        comp = kinds == {"基本", "项目"}
    name = row_cands[0].name
    return Pick(name=name, facts=distinct, same=same, complementary=comp,
                figure=narr[0].figure if narr else None)


def dedupe(cells: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """(one cell per distinct thing, cells repeating one of them in another table). The same figure in
    another table is the same thing repeated; in the same table it is another row."""
    distinct: list[Fact] = []
    same: list[Fact] = []
    for f in cells:
        twin = next((d for d in distinct if same_amount(d, f) and (d.table != f.table or d.row == f.row)), None)
        if twin is None:
            distinct.append(f)
        elif twin.table != f.table:
            same.append(f)
    return distinct, same


def same_amount(a: Fact, b: Fact) -> bool:
    """The same figure, in whatever money unit each table prints it (29406800 元 in one, 2940.68 万元 in another);
    other figures by their value, as before."""
    if a.unit != b.unit and {a.unit, b.unit} <= set(MONEY):
        return convert(a.value, a.unit, "元") == convert(b.value, b.unit, "元")
    return a.value == b.value


def describe(f: Fact) -> str:
    """'表7 …｜商品和服务支出 › 租赁费（预算）'"""
    path = " › ".join((*f.path, f.row))
    return f"{path}（{f.column}）"
