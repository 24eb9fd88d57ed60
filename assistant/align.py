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
        own = names(f)[:2]
        return any(n and (n == key or (len(n) >= 2 and (n in key or key in n))) for n in own)
    subj = match_form(ans.subject or "")
    return bool(subj) and (subj == key or key in subj or subj in key)


_AMOUNT_WORDS = re.compile(r"(?:本年)?(?:预算数|决算数|预算|决算|金额|数)$")


def _words(part: str) -> str:
    return match_form(_AMOUNT_WORDS.sub("", part))


def titled(ctx: DocContext, subject: str) -> list[Fact]:
    """The cells of a table made for the subject: the 三公 table's 公务接待费 column, the 机关运行经费 table's
    total, the “…培训费支出预算表”'s 培训费 — the standard table's figure, preferred over the same words in an
    economic-classification or procurement table. Empty when no such table or when it gives no single figure.
    (Detected by title; can switch to `Table.role` when the readers provide it.)"""
    key = match_form(subject)
    if len(key) < 2:
        return []
    found = []
    for f in ctx.parsed.facts:
        title = match_form(re.sub(r"^\S*表\s*", "", ctx.titles.get(f.table, "")))
        parts = f.column.split("·")
        row, leaf = match_form(clean_label(f.row)), _words(parts[-1])
        if key in (row, leaf):
            context = [key, *(_words(p) for p in parts[:-1]), *map(match_form, f.path)]
            if any(len(w) >= 2 and w in title for w in context):
                found.append(f)
        elif key in title and (f.is_total or row in ("合计", "总计")) and len(title) <= len(key) + 16 \
                and (leaf in ("", "合计", "总计") or leaf.startswith(key)):
            found.append(f)
    if len({f.value for f in found}) > 1:
        order = {t.id: t.columns for t in ctx.parsed.tables}
        first = min(order.get(f.table, ()).index(f.column) if f.column in order.get(f.table, ()) else 99
                    for f in found)
        found = [f for f in found if f.column in order.get(f.table, ()) and order[f.table].index(f.column) == first]
    return found if len({(f.value, f.unit) for f in found}) == 1 else []
