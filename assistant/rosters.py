"""The units a department's budget covers, as the narrative numbers them ("烟台市教育局部门预算包括：1.烟台市教育局
2.烟台市市级机关幼儿园…29.烟台市润新学校"): "包括哪些单位" lists them, "一共包括多少个单位" counts them.

Only a list numbered 1, 2, 3 … without a gap, right after "(部门)预算包括" or "纳入…预算…的单位(有/包括)", is read;
the count is its last number, cited with the list as printed.
"""
from __future__ import annotations

import re
from decimal import Decimal

from .answer_tables import Q

_ASKS_UNITS = re.compile(r"(?:包括|包含|纳入|涵盖|有)(?:了)?(?:哪些|哪几个|哪几家|多少个|多少家|几个|几家)(?:下属|所属|二级|预算)?单位|"
                         r"(?:哪些|多少个|多少家|几个|几家)(?:下属|所属|二级)?(?:预算)?单位(?:纳入|包括|列入)")
_COUNT = re.compile(r"多少|几")
_LEAD = re.compile(r"(?:部门)?预算(?:包括|包含|由)[^。\n]{0,6}?[:：]|纳入[^。\n]{0,12}预算[^。\n]{0,12}单位(?:有|包括)[:：]?")
_ITEM = re.compile(r"(\d{1,2})\s*[.．、]\s*([^\d\n。；;]{2,40}?)(?=\s*\d{1,2}\s*[.．、]|[。；;\n]|$)")


def roster(ctx) -> tuple[list[str], str, str, int] | None:
    """(units, quote, section id, page) of the numbered list of units, or None."""
    for sec in ctx.parsed.sections:
        lead = _LEAD.search(sec.text)
        if lead is None:
            continue
        rest = sec.text[lead.end():]
        start = re.search(r"1\s*[.．、]", rest)
        if start is None or rest[:start.start()].strip("。 \n"):
            continue
        items, want = [], 1
        for m in _ITEM.finditer(rest, start.start()):
            if int(m.group(1)) != want:
                break
            items.append(m.group(2).strip())
            want += 1
            end = m.end()
        if len(items) >= 2:
            quote = rest[start.start():end].strip()
            return items, quote, sec.id, (sec.pages[0] if sec.pages else 1)
    return None


def _citations(ctx, items: list[str], sec: str, page: int) -> tuple:
    """The list as printed, cut where a page ends (a quote stands on the document's text as printed: the page's
    footer is not in the section's text), and its last item."""
    printed = re.sub(r"\s+", "", "".join(ctx.parsed.page_texts))
    lines = [f"{i}.{name}" for i, name in enumerate(items, 1)]
    head = next((k for k in range(len(lines), 0, -1) if "".join(lines[:k]) in printed), 0)
    out = [ctx.section_citation(sec, "".join(lines[:head]), page)] if head else []
    if head < len(lines) and lines[-1] in printed:
        out.append(ctx.section_citation(sec, lines[-1], page))
    return tuple(out)


def answer(qq: Q):
    if not _ASKS_UNITS.search(qq.text):
        return None
    found = roster(qq.ctx)
    if found is None:
        return None
    items, quote, sec, page = found
    cits = _citations(qq.ctx, items, sec, page)
    if _COUNT.search(qq.text):
        n = len(items)
        return qq.done(f"部门预算包括 **{n}个** 单位（文件逐一列出，第1家为{items[0]}，第{n}家为{items[-1]}）。",
                       f"The budget covers **{n}** units (listed one by one, from {items[0]} to {items[-1]}).",
                       value=Decimal(n), unit="个", citations=cits, intent="count", subject="部门预算包括的单位")
    lines = "\n".join(f"{i}. {name}" for i, name in enumerate(items, 1))
    return qq.done(f"部门预算包括以下{len(items)}个单位：\n{lines}", f"The budget covers {len(items)} units:\n{lines}",
                   citations=cits, intent="list", subject="部门预算包括的单位")
