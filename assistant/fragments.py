"""Follow-ups that name a part of what was just answered: "服务呢" after the procurement budget, "其中X呢", "那Y呢".

`loose` refuses a fragment answered with an unrelated item, `in_last_sentence` finds the part in the previous
answer's own sentence (or section), `sibling_outside` and `column_of_a_row` keep a part inside its whole.

"X呢" mid-conversation borrows its meaning from the turns before: a careful reader takes "服务呢" after "政府采购预算"
and "其中货物呢" as the procurement of services. When X is no item's whole name and the item found for it shares
nothing with the subject the conversation was about (商品和服务支出; every row whose name holds 服务, summed), the
figure answers another question than the one asked: it is not given.
"""
from __future__ import annotations

import re

from .understand import match_form

PART_OF = re.compile(r"^(?:这?其中|这里面|里面)")     # a part of the previous answer asked
_BARE = re.compile(r"^(?:那么|那|其中|还有|另外)?(?P<x>.{1,16}?)(?:的)?呢[?？]?$")
_SUFFIX = re.compile(r"(?:支出|经费|费用|费|预算|资金|收入|数|合计|总计|小计|总额|类)+$")
_CODE = re.compile(r"^(?:[a-z0-9]+|[一二三四五六七八九十]+)(?=[\u4e00-\u9fff])")
_LETTER = re.compile(r"(?<=[\u4e00-\u9fff])[a-z]$")     # "一、货物A": the class letter of a procurement table

LOOSE = "“{x}”不是文件中哪一项的完整名称，找到的“{found}”与上文所问的也不相干；请写出完整的项目名称"
SUMMED = "“{x}”不是文件中哪一项的完整名称，名称中含“{x}”的各项加起来也不是上文所问的；请写出完整的项目名称"


def core(text: str) -> str:
    """A name without its code or ordinal, class letter and money ending: "一、货物A" → 货物, "教育支出" → 教育."""
    return _SUFFIX.sub("", _LETTER.sub("", _CODE.sub("", match_form(text).lower())))


def loose(text: str, ans, history, names_unit: bool = False) -> str | None:
    """Why the answer of a bare "X呢" follow-up is not given, or None. It stands when X names the item found
    (up to a code, an ordinal and a 支出/费/经费 ending), or when the item found carries the subject of the last
    answered turn ("县区负担部分呢" → 公务接待费（含县区负担部分）after 公务接待费). Every row whose name holds X,
    summed, is no item named X. Only amounts are judged: a unit named ("发展研究中心呢", `names_unit`) is the same
    question of that unit, and a count is named by what is counted ("离退休人员呢")."""
    m = _BARE.match(text.strip())
    if not history or m is None or ans is None or not ans.answerable or ans.value is None or names_unit or \
            ans.intent in ("previous", "change", "why") or ans.unit not in ("元", "万元", "亿元"):
        return None
    said, found = core(m.group("x")), core(ans.subject or "")
    if not said or not found:
        return None
    summed = ans.intent == "sum" and said == found
    if said == found and not summed:
        return None
    if not summed and said not in found:
        return None        # (a name the reader gave otherwise: the checks on the answer judge it)
    before = next((h for h in reversed(history) if h.answerable and h.subject), None)
    if not summed and before is not None and core(before.subject) and core(before.subject) in found:
        return None
    if summed:
        return SUMMED.format(x=m.group("x"))
    return LOOSE.format(x=m.group("x"), found=ans.subject)


def in_last_sentence(qq, text: str, last):
    """"其中货物呢" after an answer read from a sentence ("政府采购预算总额6,546.82万元:政府采购货物预算1,267.79万元、…"):
    the one amount of that same sentence whose subject names X, else of the section it stands in. None unless
    exactly one amount there does."""
    from . import compute as N
    from .compose import figure
    m = _BARE.match(text.strip())
    if m is None or last is None or not last.answerable or not last.citations:
        return None
    said = core(m.group("x"))
    quotes = [match_form(c.quote) for c in last.citations if len(c.quote) >= 8]
    if not said or not quotes:
        return None
    year = qq.ctx.doc.year
    named = [f for f in qq.ctx.index.figures if f.unit in N.MONEY and said in core(f.subject) and
             (f.part or N.plain(f.value, f.unit) != last.value) and not _another_year(f.subject, year) and
             _of_the_whole(f, said, last) and not (PART_OF.match(text.strip()) and _over(f, last))]
    figs = [f for f in named if any(q in match_form(f.quote) or match_form(f.quote) in q for q in quotes)]
    heads = {c.section for c in last.citations if c.section}
    if not figs and heads:          # not in that sentence: in the section it stands in ("其中因公出国（境）费用…")
        figs = [f for f in named if f.heading.replace(" › ", " ") in heads]
    if len({(f.value, f.unit) for f in figs}) > 1:
        figs = _nearest_after(figs, last.value)     # "总额6,546.82万元:…货物1,267.79万元…；其中一般公共预算拨款
    if len({(f.value, f.unit) for f in figs}) != 1:  # 5,499.84万元:…货物564.79万元": the part next after the whole
        return None
    f = figs[0]
    return qq.done(f"{f.subject}为 **{figure(f.value, f.unit)}**。", f"{f.subject}: **{figure(f.value, f.unit)}**.",
                   value=f.value, unit=f.unit, citations=(qq.ctx.figure_citation(f),), intent="value",
                   subject=f.subject, value_str=N.plain(f.value, f.unit))


def _printed_at(quote: str, value) -> int:
    for text in (f"{value:,}", str(value), f"{value:,f}".rstrip("0").rstrip(".")):
        i = quote.find(text)
        if i >= 0:
            return i
    return -1


def _nearest_after(figs: list, whole) -> list:
    """Of figures of one sentence, the first stated after the whole asked before (none when it is not printed)."""
    from decimal import Decimal, InvalidOperation
    try:
        at = _printed_at(figs[0].quote, Decimal(str(whole)))
    except (InvalidOperation, ValueError):
        return []
    after = sorted((p, i) for i, f in enumerate(figs) if (p := _printed_at(f.quote, f.value)) > at >= 0)
    return [figs[after[0][1]]] if after else []


def exceeds(part, whole) -> bool:
    """A part's amount above its whole's (both amounts): it cannot lie inside it."""
    from decimal import Decimal, InvalidOperation
    from index.models import convert
    money = ("元", "万元", "亿元")
    if part.value is None or whole.value is None or part.unit not in money or whole.unit not in money:
        return False
    try:
        return convert(Decimal(str(part.value)), part.unit, whole.unit) > Decimal(str(whole.value))
    except (InvalidOperation, ValueError):
        return False


def sibling_outside(text: str, ans, history, inside) -> bool:
    """"其中教育支出呢" then "那卫生健康支出呢": the second part is still of the whole asked before the first; True when
    the answer found lies outside it (`inside(whole)` says so for cells, or its amount exceeds the whole's). Not for
    the whole itself asked of another unit ("地铁分局的三公经费呢")."""
    if len(history) < 2 or not ans.answerable or ans.extra.get("entity") or not re.search(r"呢[?？]?$", text):
        return False
    last, whole = history[-1], history[-2]
    if not PART_OF.match(last.extra.get("asked") or "") or \
            match_form(ans.subject or "") == match_form(whole.subject or ""):
        return False
    return not inside(whole) or exceeds(ans, whole)


def _another_year(subject: str, year) -> bool:
    """A subject of last year's figure ("2025年公务接待费", "上年…"), not this year's."""
    return bool(re.search(r"上年|去年|上一年", subject)) or \
        any(int(y) != year for y in re.findall(r"((?:19|20)\d{2})年", subject)) if year else False


def column_of_a_row(ctx, last, ans) -> bool:
    """"其中财政拨款呢" after 收入总计, answered with the 财政拨款 column of one project's row in another table (a
    performance table's "公租房运管和维修费"): a part of that project, not of the whole asked before."""
    from .align import cells
    before, now = cells(ctx, last), cells(ctx, ans)
    if not before or not now or not any(f.is_total for f in before):
        return False
    asked = match_form(ans.subject or "")
    return all(not f.is_total and f.table not in {b.table for b in before} and
               match_form(f.column.split("·")[-1]) == asked != match_form(f.row) for f in now)


def _of_the_whole(f, said: str, last) -> bool:
    """The figure names X beside the whole asked before ("政府采购服务预算" after 政府采购预算总额: 服务 of 政府采购),
    not a thing of its own that merely holds X ("一般公共服务支出" after 支出预算). ("其中X" must not exceed it either.)"""
    from .question_words import bigrams, content_pairs
    rest = core(f.subject).replace(said, " ", 1)
    grams = content_pairs(bigrams(rest)) - {"预算", "支出", "收入", "资金", "经费"}
    return not grams or bool(grams & bigrams(match_form(last.subject or "")))


def _over(f, whole) -> bool:
    from types import SimpleNamespace
    return exceeds(SimpleNamespace(value=f.value, unit=f.unit), whole)


def anchor(history):
    """The turn a bare "X呢" is about: the last one, or the one before it when the last was itself a bare follow-up
    that found nothing ("政府采购…" → "服务呢" (not found) → "货物呢")."""
    if not history:
        return None
    last = history[-1]
    if not last.answerable and len(history) >= 2 and history[-2].answerable and \
            _BARE.match((last.question or "").strip()):
        return history[-2]
    return last
