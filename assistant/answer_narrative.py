"""Handlers that answer from the narrative: definitions (名词解释), 绩效目标 and uses, when, and a retrieval fallback
that quotes the best-matching sentence only when the question's words are really there. The passages
themselves are read by `answer_passages` (structure, uses, enumerations, glossary) and `passage_figures`
(figures a passage states for what the question quotes or names); lists (有哪些) are answered by
`answer_lists`; why and the change are `answer_changes`."""
from __future__ import annotations

import re

from index.chunks import sentences

from . import compute as N
from . import answer_passages as P
from . import passage_figures as F
from .compose import figure
from .documents import own_subject
from .answer_tables import Q
from .understand import match_form
from .lexicon import one_way
from .question_words import bigrams

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


# what a sentence giving a reason or the grounds of a nil figure says ("用于…", "随着…", "按照…", "本部门没有…")
_GIVES_REASON = re.compile(r"原因|因为|由于|用于|为了|鉴于|随着|根据|按照|依据|导致|致使|因此|所以|(?<![原公])因(?!公)|故|"
                           r"无|没有|未|不涉及|不安排|空表|为0|为零|是(?!指)")


def _retrieved(qq: Q, prefer: str, intent: str = "narrative", min_overlap: float = 0.6):
    """Quote the best sentence of the best narrative chunks, if it really shares the question's words."""
    ctx = qq.ctx
    want = bigrams(one_way(_Q_NOISE.sub(" ", _unjoin(qq.q, ctx.index.doc_text))), latin=False)
    latin = [w.lower() for w in re.findall(r"[A-Za-z]{2,}", qq.text)] if not qq.en else []
    if len(want) < 2:
        return None               # one shared pair of characters ("项目") is no evidence
    hits = ctx.retriever.hybrid(qq.text, k=6)
    best, best_key = None, None
    for rank, (chunk, _) in enumerate(hits):
        for sent in sentences(chunk.text):
            if any(w not in sent.lower() for w in latin):
                continue              # "PPP项目": a sentence without "PPP" does not answer it
            if intent == "why" and not (re.search(prefer, sent) or _GIVES_REASON.search(sent)):
                continue              # a reason asked: a sentence giving none (a glossary entry naming it) is none
            overlap = len(want & bigrams(one_way(sent), latin=False)) / len(want)
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
    want, focus = bigrams(one_way(qq.q)), bigrams(one_way(target))

    def fit(f):
        g = bigrams(one_way(f.subject + f.after))
        return len(want & g) + 3 * len(focus & g)
    def named_whole(f) -> bool:     # "支出决算" asked: the figure labelled 支出决算, not the sentence's first one
        label = match_form(re.sub(r"(?:19|20)\d{2}年度?", "", f.subject))
        return len(label) >= 2 and label in qq.q
    best = max(figs, key=lambda f: (named_whole(f), fit(f)))
    if focus and len(target) >= 2 and not focus & bigrams(one_way(best.subject + best.after)):
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
