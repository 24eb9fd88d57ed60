"""Is a figure from one document the same thing as a figure from another? (for cross-document answers)

A sub-answer of the single-document answerer cites one table cell or one narrative sentence. `cells` finds the
table facts behind its citation (same table, page, quoted row and value). Two cells of one department's
documents are the same subject when their table number, row (label or subject code) and column agree;
across departments (other templates, other numbering) when their labels name the asked subject. `counterpart`
looks up the same cell in another document, so that two sub-answers that picked different tables for the same
words (the 三公 table in one year, the procurement table in the other) can still be compared cell by cell.
Nothing here computes or writes answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from index.models import Fact, convert

from .answer import Answer, Citation
from .context import DocContext
from .understand import clean_label, match_form

MONEY = ("元", "万元", "亿元")


class Unclear(ValueError):
    """The table made for the subject prints several different figures for it: none is taken."""

    def __init__(self, facts: list[Fact]):
        super().__init__("several figures")
        self.facts = facts


@dataclass(frozen=True)
class Value:
    """One principal figure of one document, with the citation it was read from and the cell, if a cell."""
    doc: str
    label: str                 # how the answer names the document (江苏省人民检察院2019年预算)
    value: Decimal
    unit: str
    citation: Citation | None
    fact: Fact | None = None
    subject: str = ""


def principal(ans: Answer) -> tuple[Decimal, str] | None:
    if not ans.answerable or ans.value is None or not ans.unit:
        return None
    try:
        return Decimal(ans.value), ans.unit
    except ArithmeticError:
        return None


def same_amount(a: Decimal, ua: str, b: Decimal, ub: str) -> bool:
    if ua == ub:
        return a == b
    if ua in MONEY and ub in MONEY:
        return convert(a, ua, "元") == convert(b, ub, "元")
    return False


def cells(ctx: DocContext, ans: Answer) -> list[Fact]:
    """The table facts a sub-answer's first citation and value point at (several when a row repeats a figure)."""
    got = principal(ans)
    if got is None or not ans.citations:
        return []
    cit = ans.citations[0]
    if cit.section is not None or cit.doc != ctx.doc.id:
        return []
    value, unit = got
    out = [f for f in ctx.parsed.facts if f.page == cit.page and ctx.titles.get(f.table, f.table) == cit.source
           and same_amount(f.value, f.unit, value, unit)]
    quoted = [f for f in out if ctx.fact_quote(f) == cit.quote]
    return quoted or out


def row_key(f: Fact) -> str:
    """The row's code, or its label; "" for a one-row table whose only row is labelled with the title."""
    label = match_form(clean_label(f.row))
    return f.code or ("" if label.endswith("表") else label)


def column_key(f: Fact) -> str:
    return match_form(re.sub(r"\d{4}年(?:度)?", "", f.column))


def cell_key(f: Fact) -> tuple[str, str, str]:
    """Same table number, same row, same column: the same cell in another year's edition of a template."""
    return (f.table, row_key(f), column_key(f))


def counterpart(ctx: DocContext, f: Fact) -> Fact | None:
    """The cell of `ctx`'s document with the same key as `f` (one only; None when absent or not unique)."""
    key = cell_key(f)
    found = [g for g in ctx.parsed.facts if cell_key(g) == key]
    if len({(g.row_index, g.column) for g in found}) == 1:
        return found[0]
    return None


def names(f: Fact) -> list[str]:
    """The words a cell answers to: its row label, its column's last part (one-row tables) and its ancestors."""
    return [match_form(clean_label(f.row)), match_form(f.column.split("·")[-1]), *map(match_form, f.path)]


def names_subject(f: Fact | None, ans: Answer, subject: str) -> bool:
    """Does the cited cell (or, for a narrative figure, the answer's subject) name what was asked?"""
    key = match_form(subject)
    if not key:
        return False
    if f is not None:
        own = names(f)[:2]      # a label inside a longer subject ("检察" in "检察款行政运行项支出") is not it
        return any(n and (n == key or key in n or (n in key and len(n) >= len(key) - 2)) for n in own)
    subj = match_form(ans.subject or "")
    return bool(subj) and (subj == key or key in subj or subj in key)


_AMOUNT_WORDS = re.compile(r"(?:本年)?(?:预算数|决算数|预算|决算|金额|数)$")


def _words(part: str) -> str:
    return match_form(_AMOUNT_WORDS.sub("", part))


def titled(ctx: DocContext, subject: str, by_title: bool = True) -> list[Fact]:
    """The cells of a table made for the subject: the 三公 table's 公务接待费 column, the 机关运行经费 table's
    total, the “…培训费支出预算表”'s 培训费 — the standard table's figure, preferred over the same words in an
    economic-classification or procurement table. Empty when no such table or when it gives no single figure.
    (Detected by title; can switch to `Table.role` when the readers provide it.) With `by_title` False only
    cells whose group or column is in the title (the 三公 table's items), not a table's total."""
    key = match_form(subject)
    if len(key) < 2:
        return []
    found = []
    for f in ctx.parsed.facts:
        raw_title = ctx.titles.get(f.table, "")
        if _OTHER_FUNDS.search(raw_title) and not _OTHER_FUNDS.search(subject):
            continue
        title = match_form(re.sub(r"^\S*表\s*", "", raw_title))
        parts = f.column.split("·")
        row, leaf = match_form(clean_label(f.row)), _words(parts[-1])
        groups = [_words(p) for p in parts[:-1]]
        if key in (row, leaf) or (key in groups and (_SCOPE.fullmatch(parts[-1]) or leaf in ("小计", "合计"))):
            context = [key, *groups, *map(match_form, f.path)]
            if is_sangong_table(raw_title) or any(len(w) >= 2 and w in title for w in context):
                found.append(f)
        elif by_title and key in title and (f.is_total or row in ("合计", "总计")) and len(title) <= len(key) + 16 \
                and (leaf in ("", "合计", "总计") or leaf.startswith(key)):
            found.append(f)
    year = ctx.doc.year
    dated = [f for f in found if year and (f"{year}年" in f.row or f"{year}年" in f.column.split("·")[0])]
    if dated and len({f.value for f in found}) > 1:
        found = dated               # rows (or column groups) by year (2025年 / 2026年 / 增减变化金额): this year
    if len({f.value for f in found}) > 1:
        order = {t.id: t.columns for t in ctx.parsed.tables}
        first = min(order.get(f.table, ()).index(f.column) if f.column in order.get(f.table, ()) else 99
                    for f in found)
        found = [f for f in found if f.column in order.get(f.table, ()) and order[f.table].index(f.column) == first]
    if len({(f.value, f.unit) for f in found}) > 1:
        raise Unclear(found)
    return found


def first_named(ctx: DocContext, subject: str) -> list[Fact]:
    """The subject's figure in the first table that prints it as a whole: a row labelled with the subject
    (its first column), or a column named for the subject in a total row ("合计 … 项目支出"). Tables come in
    the disclosure's order, summary tables (收支总表, 支出总表) first, so this is the department's own total
    rather than a part of it (the 政府性基金 table's 项目支出). Empty when the first such table is unclear."""
    key = match_form(subject)
    if len(key) < 2:
        return []
    cols = {t.id: t.columns for t in ctx.parsed.tables}
    for t in ctx.parsed.tables:
        if not whole_scope(t.title, subject):
            continue
        mine = [f for f in ctx.parsed.facts if f.table == t.id]
        rows = [f for f in mine if match_form(clean_label(f.row)) == key and not f.path]
        if rows:
            first = min(cols[t.id].index(f.column) if f.column in cols[t.id] else 99 for f in rows)
            rows = [f for f in rows if f.column in cols[t.id] and cols[t.id].index(f.column) == first]
        else:
            rows = [f for f in mine if _words(f.column.split("·")[-1]) == key and f.is_total]
        if rows:
            return rows[:1] if len({(f.value, f.unit) for f in rows}) == 1 else []
    return []


def narrative_names(ans: Answer, subject: str) -> bool:
    """A figure read from the narrative: the quoted sentence names the subject right before the figure."""
    if not ans.citations or ans.value is None:
        return False
    quote = re.sub(r"\s+", "", ans.citations[0].quote)
    key = match_form(subject)
    at = match_form(quote).find(key)
    if at < 0:
        return False
    digits = ans.value.replace(",", "").rstrip("0").rstrip(".")
    window = re.sub(r"[,，]", "", quote)
    pos = window.find(key) if key in window else -1
    near = window[pos + len(key): pos + len(key) + 14 + len(digits)] if pos >= 0 else ""
    return bool(digits) and digits in near.replace(",", "")


def exact_name(f: Fact, subject: str) -> bool:
    """The cell's row label or its column's last part is the subject itself; a column's leading year
    ("2024年机关运行经费预算数") is no part of the name unless the column is last year's or the change."""
    key = match_form(subject)
    last = f.column.split("·")[-1]
    if f.measure not in ("previous", "change"):
        last = _YEAR_LEAD.sub("", last)
    return key in (match_form(clean_label(f.row)), _words(last))


_YEAR_LEAD = re.compile(r"^(?:19|20)\d{2}\s*年度?")


_SCOPE = re.compile(r"政府性基金(?:预算)?|国有资本经营(?:预算)?|一般公共预算|财政拨款|政府采购|专户")
_OTHER_FUNDS = re.compile(r"政府性基金|国有资本经营")


def is_sangong_table(title: str) -> bool:
    """The 三公 table (by its title; `Table.role` will say so once the readers set it)."""
    return "三公" in (title or "")


def whole_scope(title: str, subject: str) -> bool:
    """False for a table limited to one fund or purpose (政府性基金, 一般公共预算, 财政拨款 …) that the subject
    does not name: its 项目支出 is a part of the department's, not the whole."""
    return all(m.group(0) in subject for m in _SCOPE.finditer(title or ""))


def preferred(ctx: DocContext, subject: str) -> list[Fact]:
    """The cell to use for a subject, before any sub-answer: the purpose-built table's item (the 三公 table's
    公务接待费), else the first whole-scope table printing it (收支总表's 基本支出), else a table titled for it
    (机关运行经费支出预算表's total). Raises `Unclear` when the chosen table prints several figures."""
    return titled(ctx, subject, by_title=False) or first_named(ctx, subject) or titled(ctx, subject)
