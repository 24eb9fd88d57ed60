"""Changes and their reasons: the statement of change about what a question names (`find_change`), the change
itself ("比上年增加多少", "增长百分之几") and why (原因). A change is read from the narrative's statements
(`index.narrative`'s ChangeFacts), completed where a sentence states only the change and the table gives this
year's figure (`_delta_only`, `this_year_cell`), or worked out from a table that prints both years
(`_column_change`); a reason may stand in a sentence of its own (`_reason_apart`). Last year's figure is
`lastyear.previous`. Not handled: a change across more than one year."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from index.chunks import sentences
from index.models import ChangeFact

from . import compute as N
from . import passage_figures as F
from . import answer_passages as P
from .compose import figure
from .change_pairs import completed_for
from .documents import own_subject
from .answer_tables import Q, cites
from .understand import match_form

_CORE = re.compile(r"(?:预算|合计|总计|总额|安排|支出)$")


def _core(text: str) -> str:
    k = match_form(re.sub(r"[（(](?:类|款|项)[)）]|(?<=[\u4e00-\u9fff])(?:19|20)\d{2}年度?$", "", text))
    # ("一般公共服务支出（类）支出"; "公务用车运行维护费2026年预算数…": the year after the name is no part of it)
    prev = None
    while prev != k and len(k) > 2:
        prev, k = k, _CORE.sub("", k)
    return k


def find_change(qq: Q) -> ChangeFact | None:
    """The change statement about what the question names (best match of its subject)."""
    idx = qq.ctx.index
    best, best_s = None, 0.0
    names = [m.name for m in qq.mentions] or \
        [qq.q, re.sub(r"(?:19|20)\d{2}年度?|上一?年|去年|本年|今年|当年|的|是多少|有多少|多少|为多少|[？?]", "", qq.q)]
    # the statement about exactly the item the question was linked to, before one that only shares words
    # with it ("公务用车购置及运行维护费" for 运行维护费 linked to 公务用车运行维护费)
    linked = {_core(m.candidates[0].name) for m in qq.mentions if m.candidates and m.candidates[0].kind != "narrative"}
    exact = [ch for ch in idx.changes if _core(ch.subject) in linked]
    pool = exact if exact and len({_core(ch.subject) for ch in exact}) == 1 else idx.changes
    values = {f.value for p in qq.picks() for f in p.facts[:1]}
    grand = [p for p in qq.picks() if p.facts and p.facts[0].is_total and p.facts[0].level == 0 and
             re.search(r"本年(?:收入|支出)合计|收入总计|支出总计|收支总计", match_form(p.facts[0].row + p.name))]
    heads = _heads(qq)
    for ch in pool:
        key = match_form(own_subject(ch.subject, qq.ctx))   # "福州市医疗保障局收入": the department's 收入
        if qq.ctx.doc.year:                                  # "2026年收入预算": this year's, as every statement is
            key = re.sub(rf"^{qq.ctx.doc.year}年度?(?=..)|(?<=..){qq.ctx.doc.year}年度?$", "", key)
        if _WHOLE_BUDGET.fullmatch(key) and ((ch.value is None and grand) or (not qq.mentions and "预算" in qq.q)):
            best, best_s = (ch, 3.0) if best_s < 3.0 else (best, best_s)
            continue              # "2026年预算比2025年预算增加50.32万元": the department's budget as a whole
        if len(key) < 3 and key != match_form(ch.subject) and ch.value not in values:
            continue              # a bare "收入" left: only the statement of the very figure asked about
        if heads and not any(h in _core(key) or (len(key) >= 4 and _core(key) in h) for h in heads):
            continue              # "…拨款安排的机关运行经费" is not "一般公共预算拨款支出": the thing itself must be named
        s, _, _ = idx.score(key, qq.q)
        if re.fullmatch(r"(?:20\d{2}年度?)?(?:预算安排|预算数?|安排|支出|预算支出)", key):
            # "预算安排18.85万元，…与上年持平" under "（二）公务接待费": the heading names what changed
            sec = qq.ctx.sections.get(ch.section)
            head = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.]", "", sec.heading[-1]) if sec and sec.heading else ""
            hs = idx.score(match_form(head), qq.q)[0] if len(match_form(head)) >= 2 else 0
            if hs > s:
                s, key, ch = hs, match_form(head), dataclasses.replace(ch, subject=head + ch.subject)
        if s == 0:
            # "省检察院一般公共预算机关运行经费": the question names the end of it
            length, _, kpos = idx._best_span(key, qq.q)
            if length >= 4 and kpos + length == len(key) and not re.search(r"[及和与、]", key[:kpos]):
                s = length * 0.9      # (not one conjunct of "公务用车购置及运行维护费": the whole is not its part)
        if s == 0:
            lead = _FUND_LEAD.match(key)         # "一般公共预算安排委托业务费" for "一般公共预算委托业务费"
            bare = key[lead.end():] if lead else key
            if bare != key and len(bare) >= 3 and bare in qq.q and lead.group(1) in qq.q:
                s = len(bare) * 0.9
        if s == 0:
            # "机关运行经费（公用经费）预算总额": either name of the thing, its bracketed aside left out or taken
            aside = re.match(r"(.{2,}?)[（(]([^）)]{2,})[）)](.*)$", own_subject(ch.subject, qq.ctx))
            said = [c for c in (_core(aside.group(1) + aside.group(3)), _core(aside.group(2)))
                    if len(c) >= 4 and c in qq.q] if aside else []
            if said:
                s = max(map(len, said)) * 0.9
        if s == 0:
            core = _core(key)      # "收入" of "2026年收入预算" is the 本年收入 (or 上年收入) asked
            if len(core) >= 2 and any(_core(re.sub(r"^(?:本年|当年|今年|上年|去年)", "", n)) == core for n in names):
                s = len(core) * 0.9
        if s > best_s or (s == best_s and best is not None and len(key) < len(match_form(best.subject))):
            best, best_s = ch, s
    if best is None:
        best = _delta_only(qq)
    return completed_for(qq, best)      # one change told in two statements (change_pairs)


_FUND_LEAD = re.compile(r"^(一般公共预算|财政拨款|政府性基金)(?:预算)?(?:财政)?(?:拨款)?(?:安排的?)?")
_WHOLE_BUDGET = re.compile(r"(?:部门)?(?:收支)?(?:总)?预算(?:总额|总计|合计)?|收支总预算")
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def _heads(qq: Q) -> list[str]:
    """The things the question's row and sentence mentions are about, without the department, the year and what
    only qualifies them before 的 ("福州市医疗保障局一般公共预算拨款安排的机关运行经费" → 机关运行经费)."""
    out = []
    for m in qq.mentions:
        if not any(c.kind in ("row", "narrative") for c in m.candidates):
            continue
        name = re.sub(r"(?:19|20)\d{2}年度?", "", match_form(own_subject(m.name, qq.ctx)))
        head = _core(name.rsplit("的", 1)[-1])
        if len(head) >= 2:
            out.append(head)
    return out


def this_year_cell(qq: Q):
    """(cell, mention) of the one thing the question names in a table, in a this-year column; None when it names
    several, or the cells of its name disagree."""
    from .understand import past_column
    picks = [p for p in qq.picks() if p.facts]
    if len(picks) != 1 or len({f.value for f in picks[0].facts[:3]}) != 1:
        return None
    f = picks[0].facts[0]
    if f.value is None or past_column(f.column, qq.ctx.parsed.table(f.table).columns):
        return None
    m = next((m for m in qq.mentions if picks[0].name in (m.name, *(c.name for c in m.candidates))), None)
    return (f, m) if m is not None else None


def _delta_only(qq: Q) -> ChangeFact | None:
    """A change the narrative states without this year's figure ("其中…政府性基金预算收入增加1,488.03万元"), for
    the one table cell the question names: its this-year figure from the table, the change from the sentence."""
    from .understand import clean_label
    cell = this_year_cell(qq)
    if cell is None:
        return None
    f, m = cell
    names = {match_form(qq.q[m.start:m.end]), match_form(clean_label(f.row))} - {""}
    found = []
    for sec in qq.ctx.parsed.sections:
        text = re.sub(r"\s+", "", sec.text)
        for name in names:
            if len(name) < 4:
                continue
            for hit in re.finditer(re.escape(name) + rf"(?:预算)?(?:比上年|较上年|比\d{{4}}年(?:预算)?|同比)?(增加|减少)({_AMOUNT})({f.unit})", text):
                lead = text[max(0, hit.start() - 2):hit.start()]
                if lead and lead[-1] not in "，,。；;、：:（(\n" and lead != "其中":
                    continue      # "财政拨款基本支出增加…" is not the change of 基本支出 itself
                start = max(text.rfind(c, 0, hit.start()) for c in "。；\n") + 1
                stop = min([i for i in (text.find("。", hit.end()), text.find("；", hit.end())) if i >= 0] or [len(text)])
                delta = Decimal(hit.group(2).replace(",", "")) * (-1 if hit.group(1) == "减少" else 1)
                found.append((delta, text[start:stop + 1], sec))
    if len({d for d, _, _ in found}) != 1:
        return None               # never stated, or stated twice with different changes
    delta, quote, sec = found[0]
    return ChangeFact(subject=clean_label(f.row), value=f.value, unit=f.unit, delta=delta, percent=None, reason="",
                      quote=quote, section=sec.id, page=sec.pages[0] if sec.pages else 1)


def _change_cites(qq: Q, ch: ChangeFact):
    ctx = qq.ctx
    out = [ctx.section_citation(ch.section, ch.quote, ch.page)]
    picks = [p for p in qq.picks() if p.facts and ch.value is not None and p.facts[0].value == ch.value]
    if picks:
        out += list(cites(ctx, picks[0], 1))
    return tuple(out), picks


def why(qq: Q):
    ch = find_change(qq)
    quoted = F.stated_change(qq)      # "为什么比去年少了13.5%": the statement with that figure
    if quoted is not None and (ch is None or not ch.reason or quoted is not ch):
        ch = quoted
    if ch is not None and not ch.reason:
        # "公务用车运行维护费…减少0.28万元" sits inside a statement whose reason covers it
        outer = next((c for c in qq.ctx.index.changes if c.reason and ch.quote in c.quote and c is not ch), None)
        if outer is not None:
            ch = ChangeFact(ch.subject, ch.value, ch.unit, ch.delta, ch.percent, outer.reason, outer.quote,
                            outer.section, outer.page)
    said_apart = None
    if ch is not None and not ch.reason:
        said_apart = _reason_apart(qq, ch)        # "3.收支预算增加的主要原因，使用债券资金…": its own sentence
        if said_apart is not None:
            ch = dataclasses.replace(ch, reason=said_apart[0])
    if ch is not None and ch.reason:
        citations, picks = _change_cites(qq, ch)
        if said_apart is not None:
            citations += (qq.ctx.section_citation(ch.section, said_apart[1], ch.page),)
        sec = qq.ctx.sections.get(ch.section)
        more = P.continued(sec.text, ch.quote) if sec is not None and said_apart is None else ""
        if more and qq.ctx.verified(qq.ctx.quotable(more)):      # "1.…；" then "2.…；3.…": every item of it
            ch = dataclasses.replace(ch, reason=ch.reason.rstrip("；;。") + "；" + more.rstrip("；;。"))
            citations += (qq.ctx.section_citation(ch.section, more, ch.page),)
        val = picks[0].facts[0] if picks else None
        trend = _trend(ch)
        zh = f"{ch.subject}{trend}，主要原因是：{ch.reason.lstrip('：:')}。"
        en = f"{ch.subject}: {trend}. The document gives the reason: “{ch.reason}”."
        return qq.done(zh, en, value=val.value if val else ch.value, unit=val.unit if val else ch.unit,
                       citations=citations, intent="why", subject=ch.subject,
                       value_str=N.plain(val.value, val.unit) if val else None)
    from .answer_narrative import _retrieved
    return _retrieved(qq, r"原因|因为|由于|主要是|主要用于", intent="why")


def _reason_apart(qq: Q, ch: ChangeFact) -> tuple[str, str] | None:
    """(reason, sentence) of a sentence of the change's section that gives the reason of that subject's change
    on its own ("收支预算增加的主要原因，使用债券资金开展工程建设增加…"); None when there is none, or several."""
    sec = qq.ctx.sections.get(ch.section)
    core = re.sub(r"^(?:19|20)\d{2}年度?", "", ch.subject)
    if sec is None or len(core) < 2:
        return None
    rx = re.compile(re.escape(core) + r"[^。；]{0,8}?(?:增加|减少|增长|下降|变化|变动|增减)的?(?:主要)?原因(?:是|为|主要是)?[，,：:]?")
    found = []
    for sent in sentences(sec.text):
        m = rx.search(sent)
        if m and len(sent) - m.end() >= 4:
            found.append((sent[m.end():].rstrip("。；;"), sent))
    return found[0] if len(found) == 1 else None


def _trend(ch: ChangeFact) -> str:
    parts = []
    if ch.value is not None:
        parts.append(f"{figure(ch.value, ch.unit)}")
    if ch.delta is not None and ch.delta == 0 and not ch.percent:
        return "，".join(parts + ["与上年持平"])      # (no "变化0.00万元，增长0.00%" the document does not print)
    if ch.delta is not None:
        word = "增加" if ch.delta > 0 else "减少" if ch.delta < 0 else "持平，变化"
        parts.append(f"比上年{word}{figure(abs(ch.delta), ch.unit)}")
    if ch.percent is not None:
        parts.append(f"{'增长' if ch.percent >= 0 else '下降'}{N.show(abs(ch.percent), '%')}%")
    return "，".join(parts)


_NEUTRAL = re.compile(r"变化|变动|增减|\bchange", re.I)
_DIRECTED = re.compile(r"增长|下降|增加|减少|上升|降低|提高|压减|多了|少了|涨|降|increase|decrease|rise|fall|drop|grow", re.I)


def _signed(qq: Q, v):
    """A change as the question asks it: "变化了百分之多少" (no direction said) signed, a fall negative; "下降了
    多少" (the direction said, and the answer's words say which) its size."""
    return v if _NEUTRAL.search(qq.q) and not _DIRECTED.search(qq.q) else abs(v)


def change(qq: Q):
    ch = find_change(qq)
    if ch is None:
        return _column_change(qq)
    if ch.delta == 0 and not ch.percent and re.search(r"(?:基本|大体|大致|总体)持平|略有|小幅", ch.quote):
        return _column_change(qq)       # "与上年基本持平": about the same, not a change of 0.00
    citations, _ = _change_cites(qq, ch)
    wants_pct = re.search(r"率|幅|百分|%|percent", qq.q + qq.text.lower())
    if wants_pct and ch.percent is None and ch.delta is not None:
        # the enclosing statement with the same figures gives the percent ("…（…减少0.28万元。）比上年减少0.28万元，下降8%")
        outer = next((c for c in qq.ctx.index.changes if c.percent is not None and ch.quote in c.quote
                      and c.delta == ch.delta), None)
        if outer is not None:
            ch = ChangeFact(ch.subject, ch.value, ch.unit, ch.delta, outer.percent, outer.reason, outer.quote,
                            outer.section, outer.page)
    # "按两位小数算": a percent printed rounder than that ("下降7%") is worked out from the amounts stated
    precise = re.search(r"两位小数|精确到|保留两位|小数点后两位|two decimal", qq.raw, re.I) and ch.percent is not None \
        and ch.delta is not None and ch.value not in (None, ch.delta) and any(
            Decimal(x) == abs(ch.percent) and len(x.partition(".")[2]) < 2 for x in re.findall(r"(\d+(?:\.\d+)?)\s*[%％]", ch.quote or ""))
    if (wants_pct or ch.delta is None) and ch.percent is not None and not precise:
        word = "增长" if ch.percent >= 0 else "下降"
        return qq.done(f"{ch.subject}比上年{word} **{N.show(abs(ch.percent), '%')}%**（{_trend(ch)}）。",
                       f"{ch.subject} changed by **{N.show(ch.percent, '%')}%** on last year.",
                       value=_signed(qq, ch.percent), unit="%", citations=citations, intent="change", subject=ch.subject)
    if ch.delta is None:
        return None
    if wants_pct:                 # a rate asked, only the amounts stated: worked out from them, or no answer
        if ch.value is None or ch.value == ch.delta:
            return None
        new = N.Operand(f"{ch.subject}（本年）", ch.value, ch.unit, citations[0])
        old = N.Operand(f"{ch.subject}（上年，本年数减增加额）", ch.value - ch.delta, ch.unit, citations[0])
        r = N.growth(new, old)
        word = "增长" if r.value >= 0 else "下降"
        how = f"− 增加额 {figure(ch.delta, ch.unit)}" if ch.delta >= 0 else f"+ 减少额 {figure(-ch.delta, ch.unit)}"
        return qq.done(f"{ch.subject}比上年{word} **{N.show(abs(r.value), '%')}%**（上年 {figure(old.value, ch.unit)} = "
                       f"本年 {figure(ch.value, ch.unit)} {how}）。",
                       f"{ch.subject} changed by **{N.show(r.value, '%')}%** on last year.",
                       value=_signed(qq, r.value), unit="%", result=r, citations=citations, intent="change", subject=ch.subject)
    word = "增加" if ch.delta > 0 else "减少" if ch.delta < 0 else "持平，变化"
    return qq.done(f"{ch.subject}比上年{word} **{figure(abs(ch.delta), ch.unit)}**（{_trend(ch)}）。",
                   f"{ch.subject} {'rose' if ch.delta > 0 else 'fell' if ch.delta < 0 else 'changed'} by "
                   f"**{figure(abs(ch.delta), ch.unit)}** on last year.",
                   value=_signed(qq, ch.delta), unit=ch.unit, citations=citations, intent="change", subject=ch.subject)


def _column_change(qq: Q):
    """A change no sentence states, of an item whose table prints last year beside this year ("2025年预算数" |
    "2026年预算数"): this year's cell less last year's, both cited; the rate when a rate is asked."""
    from .lastyear import column_previous
    col = column_previous(qq)
    if col is None:
        return None
    last, now = col
    ctx = qq.ctx
    name = qq.picks()[0].name if qq.picks() else now.row
    new = N.Operand(f"{name}（{now.column}）", now.value, now.unit, ctx.fact_citation(now))
    old = N.Operand(f"{name}（{last.column}）", last.value, last.unit, ctx.fact_citation(last))
    cites_ = (new.citation,) if new.citation == old.citation else (new.citation, old.citation)
    if re.search(r"率|幅|百分|%|percent", qq.q + qq.text.lower()):
        if not old.value:
            return None
        r = N.growth(new, old)
        word = "增长" if r.value >= 0 else "下降"
        return qq.done(f"{name}比上年{word} **{N.show(abs(r.value), '%')}%**（表中两年的数字）。",
                       f"{name} changed by **{N.show(r.value, '%')}%** on last year (the table's two years).",
                       value=_signed(qq, r.value), unit="%", result=r, citations=cites_, intent="change", subject=name)
    r = N.difference(new, old)
    word = "增加" if r.value > 0 else "减少" if r.value < 0 else "持平，变化"
    return qq.done(f"{name}比上年{word} **{figure(abs(r.value), r.unit)}**（表中两年的数字）。",
                   f"{name} {'rose' if r.value > 0 else 'fell' if r.value < 0 else 'changed'} by "
                   f"**{figure(abs(r.value), r.unit)}** on last year (the table's two years).",
                   value=_signed(qq, r.value), unit=r.unit, result=r, citations=cites_, intent="change", subject=name)
