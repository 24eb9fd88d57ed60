"""Handlers that answer from the narrative: why (原因), definitions (名词解释), last year's figure and the
change (from the document's statements of change), 绩效目标 and uses, and a retrieval fallback
that quotes the best-matching sentence only when the question's words are really there. The passages
themselves are read by `answer_passages` (structure, uses, enumerations, glossary) and `passage_figures`
(figures a passage states for what the question quotes or names); lists (有哪些) are answered by
`answer_lists`."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from index.chunks import sentences
from index.models import ChangeFact

from . import compute as N
from . import answer_passages as P
from . import passage_figures as F
from .compose import figure
from .change_pairs import completed_for
from .documents import own_subject
from .answer_tables import Q, cites
from .understand import match_form
from .question_words import bigrams

_CORE = re.compile(r"(?:预算|合计|总计|总额|安排|支出)$")


def _core(text: str) -> str:
    k = match_form(text)
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
    for ch in pool:
        key = match_form(own_subject(ch.subject, qq.ctx))   # "福州市医疗保障局收入": the department's 收入
        if qq.ctx.doc.year:                                  # "2026年收入预算": this year's, as every statement is
            key = re.sub(rf"^{qq.ctx.doc.year}年度?(?=..)", "", key)
        if _WHOLE_BUDGET.fullmatch(key) and ((ch.value is None and grand) or (not qq.mentions and "预算" in qq.q)):
            best, best_s = (ch, 3.0) if best_s < 3.0 else (best, best_s)
            continue              # "2026年预算比2025年预算增加50.32万元": the department's budget as a whole
        if len(key) < 3 and key != match_form(ch.subject) and ch.value not in values:
            continue              # a bare "收入" left: only the statement of the very figure asked about
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
            core = _core(key)      # "收入" of "2026年收入预算" is the 本年收入 (or 上年收入) asked
            if len(core) >= 2 and any(_core(re.sub(r"^(?:本年|当年|今年|上年|去年)", "", n)) == core for n in names):
                s = len(core) * 0.9
        if s > best_s or (s == best_s and best is not None and len(key) < len(match_form(best.subject))):
            best, best_s = ch, s
    if best is None:
        best = _delta_only(qq)
    return completed_for(qq, best)      # one change told in two statements (change_pairs)


_WHOLE_BUDGET = re.compile(r"(?:部门)?(?:收支)?(?:总)?预算(?:总额|总计|合计)?|收支总预算")
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


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


def change(qq: Q):
    ch = find_change(qq)
    if ch is None:
        return _column_change(qq)
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
                       value=abs(ch.percent), unit="%", citations=citations, intent="change", subject=ch.subject)
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
                       value=abs(r.value), unit="%", result=r, citations=citations, intent="change", subject=ch.subject)
    word = "增加" if ch.delta > 0 else "减少" if ch.delta < 0 else "持平，变化"
    return qq.done(f"{ch.subject}比上年{word} **{figure(abs(ch.delta), ch.unit)}**（{_trend(ch)}）。",
                   f"{ch.subject} {'rose' if ch.delta > 0 else 'fell' if ch.delta < 0 else 'changed'} by "
                   f"**{figure(abs(ch.delta), ch.unit)}** on last year.",
                   value=abs(ch.delta), unit=ch.unit, citations=citations, intent="change", subject=ch.subject)


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
                       value=abs(r.value), unit="%", result=r, citations=cites_, intent="change", subject=name)
    r = N.difference(new, old)
    word = "增加" if r.value > 0 else "减少" if r.value < 0 else "持平，变化"
    return qq.done(f"{name}比上年{word} **{figure(abs(r.value), r.unit)}**（表中两年的数字）。",
                   f"{name} {'rose' if r.value > 0 else 'fell' if r.value < 0 else 'changed'} by "
                   f"**{figure(abs(r.value), r.unit)}** on last year (the table's two years).",
                   value=abs(r.value), unit=r.unit, result=r, citations=cites_, intent="change", subject=name)


def definition(qq: Q):
    ctx = qq.ctx
    idx = ctx.index
    best, best_s = None, 0.0
    for sec in ctx.parsed.sections:
        if not sec.heading or sec.id.startswith("t"):
            continue
        in_glossary = any("名词解释" in h or "名词" in h for h in sec.heading)
        term = re.sub(r"^[一二三四五六七八九十]+、", "", sec.heading[-1])
        if re.search(r"名词|术语|释义", term):
            continue          # the glossary's own heading is no term: its entries are (glossary_entry)
        s, _, _ = idx.score(match_form(term), qq.q)
        if s == 0 or (not in_glossary and not re.search(r"[:：]\s*指|是指", sec.text)):
            continue
        s += 1 if in_glossary else 0
        if s > best_s:
            best, best_s = sec, s
    if best is None:
        ans = P.glossary_entry(qq)
        return ans if ans is not None else _retrieved(qq, r"是指|指的是|[:：]\s*指", intent="definition")
    text = best.text.split("\n")[0]
    quote = text if ctx.verified(text) else next((s for s in sentences(text) if ctx.verified(s)), text)
    cit = ctx.section_citation(best.id, quote)
    return qq.done(f"{text}", f"Definition given by the document (名词解释): {text}", citations=(cit,),
                   intent="definition", subject=best.heading[-1])


def goal(qq: Q):
    """What an item is for (its "主要用于…" sentence), or a project's own text field (绩效目标, 项目概述)."""
    asks_target = "目标" in qq.q
    ans = None if asks_target else P.uses(qq)
    return ans if ans is not None else _project_text(qq) or F.project_overview(qq) or \
        (P.uses(qq) if asks_target else None)


def _project_text(qq: Q):
    ctx = qq.ctx
    best, best_s, want = None, (0.0,), bigrams(qq.q) - {"项目", "资金", "金额"}
    for sec in ctx.parsed.sections:
        if not sec.id.startswith("t") or len(sec.heading) < 2:
            continue
        field = sec.heading[2] if len(sec.heading) > 2 else ""
        if re.search(r"名称|科目|编码|代码|类型|性质|单位", field) and not (want & bigrams(field)):
            continue          # a label or a code of the row is no text about it ("…的政府经济科目名称")
        s, _, _ = ctx.index.score(match_form(re.sub(r"^(?:19|20)\d{2}年?(?=\D)", "", sec.heading[1])), qq.q)
        # of one project's fields: the one the question names (绩效目标), else the fullest text (项目概述)
        key = (s, len(want & bigrams(sec.heading[2])) if len(sec.heading) > 2 else 0, len(sec.text))
        if s > 0 and key > best_s:
            best, best_s = sec, key
    if best is None:
        return None
    # the same project's target in another table (the 项目支出 table and the 重点项目 table): each is given
    also = next((sec for sec in ctx.parsed.sections if sec.id.startswith("t") and len(sec.heading) >= 3 and
                 sec.heading[0] != best.heading[0] and match_form(sec.heading[1]) == match_form(best.heading[1]) and
                 match_form(sec.heading[2]) == match_form(best.heading[2]) and sec.text.strip() != best.text.strip()),
                None)
    parts, cits = [], ()
    for sec in [best] + ([also] if also is not None else []):
        got = P.cited_text(ctx, sec.id, sec.text)      # every figure of it in a cited quote
        if got is None:
            if sec is best:
                return None
            continue
        parts.append((sec, got[0]))
        cits += tuple(got[1])
    field = "内容" if re.fullmatch(r"列\d+", best.heading[2]) else best.heading[2]
    if len(parts) == 1:
        zh = f"{best.heading[1]}的{field}：{parts[0][1]}"
        en = f"{field} of {best.heading[1]}: {parts[0][1]}"
    else:
        zh = f"{best.heading[1]}的{field}：\n" + "\n".join(f"- {sec.heading[0]}：{text}" for sec, text in parts)
        en = f"{field} of {best.heading[1]}:\n" + "\n".join(f"- {sec.heading[0]}: {text}" for sec, text in parts)
    return qq.done(zh, en, citations=cits, intent="goal", subject=best.heading[1])


_Q_NOISE = re.compile(r"中的|里的|是多少|多少钱|多少|是什么|什么|为什么|怎么样|怎么|请问|一下|哪些|有没有|是否|吗|呢|吧|啊|"
                      r"的|了|是|有|几个|几|和|与|及|或|本部门|部门|今年|\d{4}年")


def _unjoin(q: str, doc_text: str) -> str:
    """"政府采购中服务类" → "政府采购 服务类": a 中 (or 里) joining two phrases, when neither pair of characters
    around it occurs in the document (中心, 集中 and the like stay)."""
    out = list(q)
    for i, ch in enumerate(q):
        if ch in "中里" and 0 < i < len(q) - 1 and q[i - 1:i + 1] not in doc_text and q[i:i + 2] not in doc_text:
            out[i] = " "
    return "".join(out)


def _retrieved(qq: Q, prefer: str, intent: str = "narrative", min_overlap: float = 0.6):
    """Quote the best sentence of the best narrative chunks, if it really shares the question's words."""
    ctx = qq.ctx
    want = bigrams(_Q_NOISE.sub(" ", _unjoin(qq.q, ctx.index.doc_text)), latin=False)
    latin = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", qq.text)] if not qq.en else []
    if len(want) < 2:
        return None               # one shared pair of characters ("项目") is no evidence
    hits = ctx.retriever.hybrid(qq.text, k=6)
    best, best_key = None, None
    for rank, (chunk, _) in enumerate(hits):
        for sent in sentences(chunk.text):
            if any(w not in sent.lower() for w in latin):
                continue              # "PPP项目": a sentence without "PPP" does not answer it
            overlap = len(want & bigrams(sent, latin=False)) / len(want)
            bonus = 0.2 if re.search(prefer, sent) else 0
            if intent == "list" and overlap >= min_overlap and P.items_after(ctx, chunk.section, sent):
                bonus += 0.3          # a sentence that introduces numbered items answers "有哪些"
            key = (overlap + bonus - rank * 0.02, -rank)
            if overlap >= min_overlap and (best_key is None or key > best_key):
                best, best_key = (chunk, sent), key
    if best is None:
        return None
    chunk, sent = best
    if not ctx.verified(ctx.quotable(sent)):
        return None               # nothing of it can be quoted verbatim
    q = ctx.quotable(sent)
    cit = (ctx.section_citation(chunk.section, sent, chunk.page),)
    if q != sent and any(f not in q for f in P._FIG.findall(P._LEAD.sub("", sent))):
        got = P.cited_text(ctx, chunk.section, sent)      # only part of it quotable: every figure quoted as printed
        if got is None:
            return None
        sent, cit = got
    sec = ctx.sections.get(chunk.section)
    more = P.continued(sec.text, sent) if sec is not None and intent in ("why", "list") else ""
    if more and ctx.verified(ctx.quotable(more)):
        cit = cit + (ctx.section_citation(chunk.section, more, chunk.page),)
    else:
        more = ""
    text = sent + more + (P.items_after(ctx, chunk.section, sent) if intent == "list" and not more else "")
    return qq.done(text, f"The document says: {text}", citations=cit, intent=intent)


# English asks a figure also by naming the amount itself ("And its procurement budget?", "the spending on …")
_ASKS_FIGURE = re.compile(r"多少|(?<!哪)几|金额|数额|how much|how many|"
                          r"\b(?:budget|spending|expenditure|amount|cost|funding)s?\b(?!\s+(?:for|used|spent on)\b)")
_ASKS_WORDS = re.compile(r"哪些|哪几|什么|为什么|为何|原因|怎么|如何")
def narrative(qq: Q):
    """The best narrative sentence; for a "how much" question, with the figure in it that the question names
    ("政府采购中的货物类" → 拟采购货物支出303.4万元: the words after 中的 count double)."""
    asks_figure = _ASKS_FIGURE.search(qq.q + qq.text.lower()) and not _ASKS_WORDS.search(qq.q)
    own = F.project_figure(qq) if asks_figure else None      # a project described under its own headings
    if own is not None:
        return own
    ans = _retrieved(qq, r"万元|个|项", intent="narrative", min_overlap=0.6)
    if ans is None or not asks_figure:
        return ans
    import dataclasses
    sent = ans.answer.split("\n")[0]
    figs = [f for f in qq.ctx.index.figures if f.quote in sent or sent in f.quote]
    if not figs:
        none = re.search(r"无([^，。；]{0,24}?)(?:收支|支出|收入|预算|经费)", sent)
        if none and len(bigrams(qq.q) & bigrams(none.group(0))) >= 2:
            # "省检察院无政府性基金预算相关收支项目": the document says there is none
            unit = qq.ctx.doc.unit or "万元"
            return dataclasses.replace(ans, value="0", unit=unit, answer=f"**0{unit}**（文件说明：{sent}）\n\n" + ans.answer)
        n = N.stated_count(sent, qq.q)
        if n is not None:           # "内设十个机构" for "内设多少个机构"
            return dataclasses.replace(ans, value=str(n[0]), unit=n[1], answer=f"**{n[0]}{n[1]}**\n\n" + ans.answer)
        return None                 # asked how much: a sentence without that figure is not an answer
    figs = _of_kind_asked(qq, figs)
    from .question_words import count_unit
    money = count_unit(qq.text, qq.q) is None and not re.search(r"率|比例|比重|百分|%", qq.q)
    figs = [f for f in figs if (f.unit in N.MONEY) == money] or figs   # an amount asked: not "3家" beside it
    target = _Q_NOISE.sub("", re.split(r"中的|里的|的|\s", _unjoin(qq.q, qq.ctx.index.doc_text))[-1])
    want, focus = bigrams(qq.q), bigrams(target)

    def fit(f):
        g = bigrams(f.subject + f.after)
        return len(want & g) + 3 * len(focus & g)
    def named_whole(f) -> bool:     # "支出决算" asked: the figure labelled 支出决算, not the sentence's first one
        label = match_form(re.sub(r"(?:19|20)\d{2}年度?", "", f.subject))
        return len(label) >= 2 and label in qq.q
    best = max(figs, key=lambda f: (named_whole(f), fit(f)))
    if focus and len(target) >= 2 and not focus & bigrams(best.subject + best.after):
        return None                 # "基本支出里的人员经费": the 基本支出 figure is not what is asked
    if fit(best) == 0 or not F.in_best_clause(sent, best.value, focus or want):
        return None                 # none of the sentence's figures is about what was asked
    named = [match_form(m.name) for m in qq.mentions if any(c.kind in ("row", "column") for c in m.candidates)]
    subj = match_form(best.subject + best.after)
    if len(named) >= 2 and not re.search(r"各|分别|respectively", qq.text) and \
            sum(1 for n in named if n in subj or n.removesuffix("费") in subj) < len(named):
        return None                 # "公务用车购置和运行维护费" is not the 运行维护费 stated beside it
    # (its subject, without the department's name and the year, is what a follow-up "为什么比上年少" is about)
    subject = re.sub(r"^(?:19|20)\d{2}年度?", "", own_subject(best.subject, qq.ctx)) if best.subject else None
    return dataclasses.replace(ans, value=N.plain(best.value, best.unit), unit=best.unit, subject=subject or ans.subject,
                               answer=f"**{figure(best.value, best.unit)}**（{best.subject or best.after}）\n\n" + ans.answer)


def _of_kind_asked(qq: Q, figs: list) -> list:
    """The sentence's figures of the kind the question asks: a count in its unit ("几个" → 个), else an amount
    ("1家行政单位…机关运行经费598.67万元": the 1 and the 3 units counted beside it are no answer to 多少)."""
    from .question_words import count_unit
    unit = count_unit(qq.text, qq.q)
    if unit is not None:
        same = [f for f in figs if f.unit == unit]
    elif "share" in qq.intents:
        same = [f for f in figs if f.unit == "%"]
    else:
        same = [f for f in figs if f.unit in N.MONEY]
    return same or figs


def when(qq: Q):
    """Dates are stated in the narrative ("截至2023年11月30日"): quote the sentence."""
    return _retrieved(qq, r"截至|截止|\d{4}年\d{1,2}月", intent="narrative", min_overlap=0.5)
