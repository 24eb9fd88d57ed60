"""Percent statements of the narrative checked by the consistency audit (see `index._auditnarr`): a change
statement's percent against its own amounts ("增加…万元，增长…%", "与上年持平"), and a share's percent ("占“三公”
经费的…%", "合计…万元，其中：…占…%") against the whole it names."""
from __future__ import annotations

import re
from decimal import Decimal

from .audit import Finding
from ._auditnarr import _AMT, _CLAUSE_END, _ITEM_CHANGE, _ITEM_RE, _ORD, Narrative
from ._auditpct import _dec, _grade_pct, _pct_range, _share_range

_SHARE_RE = re.compile(rf"({_AMT})(万元|亿元)[，,]?占(“三公”经费的|\"三公\"经费的|三公经费的|本年支出合计的|"
                       rf"本年收入合计的)?({_AMT})\s*%")
_LEAD_RE = re.compile(rf"(?:合计|总计)({_AMT})万元[，,]?其中[:：]")


def change_facts(nar: Narrative) -> list[tuple]:
    """(subject, value, unit, delta, prev, percent, quote, section) for every change statement: the
    reader's ChangeFacts, and those `index.narrative.extract_changes` finds in the narrative sections
    the audit reads (the same extraction, so a document built without the reader is covered too)."""
    from .narrative import extract_changes
    out = []
    secs = {s.id: s for s in nar.parsed.sections}
    seen = set()
    found = list(nar.parsed.changes)
    pages = list(enumerate(nar.parsed.page_texts, 1))
    for sec in nar.sections:
        found += [c for c in extract_changes(sec, pages)]
    for c in found:
        if c.value is None or c.percent is None or (c.delta is None and c.base is None):
            continue
        key = (c.section, c.value, c.delta, c.base, c.percent)
        if key in seen:
            continue
        seen.add(key)
        sec = secs.get(c.section) or next((s for s in nar.sections if s.id == c.section), None) \
            or (nar.sections[0] if nar.sections else None)
        if sec is not None:
            out.append((c.subject, c.value, c.unit, c.delta if c.base is None else None, c.base, c.percent,
                        c.quote, sec))
    for sec in nar.sections:
        text = nar.texts[sec.id]
        items = list(_ITEM_RE.finditer(text))
        for i, m in enumerate(items):
            body = text[m.end():items[i + 1].start() if i + 1 < len(items) else len(text)]
            cm = _ITEM_CHANGE.search(body)
            if not cm:
                continue
            prev, value = _dec(cm.group(2)), _dec(cm.group(4))
            if cm.group(5) == "持平":
                pct = Decimal("0")
            elif cm.group(6) is None:
                continue
            else:
                pct = _dec(cm.group(6)) * (-1 if cm.group(5) == "减少" else 1)
            subject = re.sub(r"[（(](?:类|款|项)[)）]", "·", m.group(1)).strip("·")
            out.append((subject, value, "万元", None, prev, pct, body[cm.start():cm.end()], sec))
    return out


def check_changes(nar: Narrative) -> list["Finding"]:
    C = nar.C
    out: list[Finding] = []
    for subject, value, unit, delta, prev, pct, quote, sec in change_facts(nar):
        if prev is not None and pct == 0 and value != prev:
            diff = value - prev
            out.append(Finding("error", "narrative_percent",
                               f"“{subject}”称与上年持平，但上年{C.fmt(prev)}{unit}、本年{C.fmt(value)}{unit}，相差{C.fmt(diff)}{unit}",
                               prev, value, diff, (nar._evidence(sec, quote),)))
            continue
        if prev is not None and pct == 0:
            continue
        rng = _pct_range(value, unit, delta=delta, prev=prev)
        if rng is None:
            continue
        res = _grade_pct(pct, rng)
        if res is None:
            continue
        sev, expected = res
        base = prev if prev is not None else value - delta
        change = value - base
        how = "增长" if expected > 0 else "下降"
        msg = (f"“{subject}”{C.fmt(value)}{unit}，上年{C.fmt(base)}{unit}（变动{C.fmt(change)}{unit}），"
               f"按此应{how}{C.fmt(abs(expected))}%，说明写的是{'增长' if pct > 0 else '下降'}{C.fmt(abs(pct))}%")
        out.append(Finding(sev, "narrative_percent", msg, expected, pct, pct - expected,
                           (nar._evidence(sec, quote),)))
    return out

def check_shares(nar: Narrative) -> list["Finding"]:
    C = nar.C
    out: list[Finding] = []
    measure, avoid = C.sangong_measures(nar.parsed)
    sg_total = C.sangong_items(nar.K.get(C.SANGONG), measure=measure, avoid=avoid).get("total")
    expend = C.side_total(nar.K.get(C.OVERALL), "支出") or C.grand(nar.K.get(C.EXPEND))
    income = C.side_total(nar.K.get(C.OVERALL), "收入") or C.grand(nar.K.get(C.INCOME))
    for sec in nar.sections:
        text = nar.texts[sec.id]
        for m in _SHARE_RE.finditer(text):
            part, unit, den, pct = _dec(m.group(1)), m.group(2), m.group(3) or "", _dec(m.group(4))
            whole, wdesc = None, ""
            if "三公" in den and sg_total is not None:
                whole, wdesc = C.to_common(sg_total.value, sg_total.unit, part, unit)[0], "“三公”经费合计"
            elif den.startswith("本年支出") and expend is not None:
                whole, wdesc = C.to_common(expend.value, expend.unit, part, unit)[0], "本年支出合计"
            elif den.startswith("本年收入") and income is not None:
                whole, wdesc = C.to_common(income.value, income.unit, part, unit)[0], "本年收入合计"
            elif not den:
                leads = [x for x in _LEAD_RE.finditer(text, 0, m.start())]
                if leads and not re.search(r"[。]", text[leads[-1].end():m.start()]):
                    whole, wdesc = _dec(leads[-1].group(1)), "所列合计"
            if whole is None:
                continue
            rng = _share_range(part, whole, unit)
            if rng is None:
                continue
            res = _grade_pct(pct, rng)
            if res is None:
                continue
            sev, expected = res
            s0 = max([x.end() for x in _CLAUSE_END.finditer(text, max(0, m.start() - 40), m.start())]
                     or [max(0, m.start() - 40)])
            quote = text[s0:m.end()]
            subject = _ORD.sub("", text[s0:m.start()]) or "该项"
            msg = (f"“{subject}”{C.fmt(part)}{unit}占{wdesc}{C.fmt(whole)}{unit}的比例应为{C.fmt(expected)}%，"
                   f"说明写的是{C.fmt(pct)}%")
            out.append(Finding(sev, "narrative_share", msg, expected, pct, pct - expected,
                               (nar._evidence(sec, quote),)))
    return out
