"""Text answers read from the narrative's own structure: which units or internal bodies a department has and
what its duties are (from the 机构设置 / 预算单位构成 / 职能 sections), what an item is used for (the
"主要用于…" sentence that follows the item's name), the enumerated rest of a reason or a list
("主要原因是：1.…；2.…", "一是…；二是…"), glossary entries (also run together on one line), and the quoting
of a passage whose whole is not verbatim in the page text (a wrapped table cell: each figure quoted as printed).

Every answer here is a verbatim passage, cited; none states a figure of its own (value None), and a figure in
its text stands in a cited quote. Does not handle: lists spread over tables, duties not under a 职能/职责
heading, uses stated before the item's name.
"""
from __future__ import annotations

import re

from index.chunks import sentences

from .answer_tables import Q
from .understand import match_form
from .question_words import bigrams

# -- units, internal bodies and duties ----------------------------------------------------------------------
_BODY = r"(?:内设|下属|直属|所属|下设)?(?:事业单位|行政单位|预算单位|单位|机构|部门|科室|处室)"
_ORG_Q = re.compile(rf"(?:哪些|哪几个|哪几家|哪几|什么){_BODY}|{_BODY}(?:有|包括|包含|都有|都是|是|分别是)(?:哪些|哪几|什么)"
                    rf"|(?:下属|下设|内设)(?:有|包括)?(?:哪些|哪几|什么)")
_DUTY_Q = re.compile(r"职责|职能|负责(?:哪些|什么)|管(?:哪些|什么)")
_ORG_HEAD = re.compile(r"机构|构成|预算单位|下属单位")
_DUTY_HEAD = re.compile(r"职能|职责")
_ASK_WORDS = re.compile(r"哪些|哪几个?|哪几家|什么|有|包括|包含|都|主要|是|的|了|呢|吗|\d{4}年|今年|本部门|部门预算")


def _enumerates(sent: str) -> bool:
    """A sentence that lists names ("综合事务部、综合治理部、后勤服务部", "1、办公室2、组织人事处…")."""
    if sent.count("、") >= 1 or len(re.findall(r"\n\s*(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）])", sent)) >= 2 \
            or len(re.findall(r"(?<![\d.])\d{1,2}[.．](?!\d)", sent)) >= 3:
        return True       # (or numbered items, one line each or run together: "1.烟台市教育局2.…")
    m = re.search(r"分别为|分别是|包括|包含|具体为|有[:：]|[:：]", sent)
    return bool(m) and bool(re.search(r"[和及与，,；]", sent[m.end():]))


def structure(qq: Q):
    """Units, internal bodies or duties, when the question asks for them: the enumerating sentence of the
    机构设置 / 预算单位构成 section that shares most with the question, or the duties section."""
    text = qq.text
    if _DUTY_Q.search(text) and not _ORG_Q.search(text):
        return _duties(qq)
    m = _ORG_Q.search(text)
    if not m:
        return None
    said = re.search(_BODY, m.group(0)) or re.search(_BODY, text[m.end():m.end() + 8])
    noun = said.group(0) if said else "下属单位"
    want = bigrams(_ASK_WORDS.sub(" ", text), latin=False)
    internal = re.search(r"机构|部门|科室|处室", noun) and "单位" not in noun
    best, best_key = None, None
    for sec in qq.ctx.parsed.sections:
        if sec.id.startswith("t") or not any(_ORG_HEAD.search(h) for h in sec.heading):
            continue
        head = " ".join(sec.heading)
        named = len(want & bigrams(sec.heading[-1], latin=False)) * 0.5     # "部门预算由哪些单位构成" → 三、部门预算构成
        paras = sec.text.split("\n")
        for pi, para in enumerate(paras):
            sents = sentences(para)
            if sents and re.search(r"[:：]。?$", sents[-1]):     # (also "包括：。" of a text layer)
                k = pi + 1        # "…预算单位包括：" then the numbered items, one line each
                while k < len(paras) and _LEAD.match(paras[k]) and k - pi <= 30:
                    sents[-1] += "\n" + paras[k]
                    k += 1
            for j, sent in enumerate(sents):
                if not _enumerates(sent):
                    continue
                if internal and "内设" not in sent and re.search(r"预算单位|预算包括|单位构成", sent):
                    continue          # the budget's units are no internal bodies
                if not internal and "内设" in sent and "单位" not in sent:
                    continue          # nor are internal bodies units
                s = len(want & bigrams(sent, latin=False)) + named
                s += 3 if len(noun) > 2 and noun in sent else 0
                if internal and re.search(r"内设|机构设置", head + sent[:20]):
                    s += 1
                if not internal and re.search(r"单位构成|预算单位|下属", head + sent):
                    s += 1
                items = sent.count("、") + len(re.findall(r"(?<![\d.])\d{1,2}[.．、](?!\d)", sent))
                key = (s, items if s else -len(sent))
                if s >= 1 and (best_key is None or key > best_key):
                    nxt = sents[j + 1] if j + 1 < len(sents) else ""
                    # "…包括：局本级预算，以及下属单位预算。" then "下属单位具体包括：…": both
                    more = [nxt] if nxt and _enumerates(nxt) and (want & bigrams(nxt, latin=False)) else []
                    best, best_key = (sec, [sent] + more), key
    if best is None:
        return None
    sec, parts = best
    return _quote(qq, sec, parts, "list", noun)


def _duties(qq: Q):
    """The duties section; for a question on one field of them ("在校车安全管理方面…负责哪些工作"), the
    paragraphs of it that share the question's words."""
    secs = [s for s in qq.ctx.parsed.sections if not s.id.startswith("t") and s.heading
            and any(_DUTY_HEAD.search(h) for h in s.heading) and not any("名词" in h for h in s.heading)]
    if not secs:
        return None
    topic = bigrams(re.sub(r"职责|职能|负责|工作|主要|方面|哪些|什么|部门", " ", _ASK_WORDS.sub(" ", qq.text)), latin=False)
    if len(topic) >= 2:
        scored = [(len(topic & bigrams(p, latin=False)), i, s, p) for s in secs for i, p in enumerate(s.text.split("\n"))]
        top = max(scored, key=lambda t: (t[0], -t[1]))
        if top[0] >= 2:
            return _quote(qq, top[2], [top[3]], "narrative", top[2].heading[-1])
    # the duties heading and every section under it ("一、主要职责" then "（一）…", "（二）…" as sections)
    top = min(secs, key=lambda s: next(i for i, h in enumerate(s.heading) if _DUTY_HEAD.search(h)))
    depth = next(i for i, h in enumerate(top.heading) if _DUTY_HEAD.search(h)) + 1
    under = [s for s in qq.ctx.parsed.sections if s.heading[:depth] == top.heading[:depth] and not s.id.startswith("t")]
    sec = under[0]
    paras = [(s, p) for s in under for p in ((s.heading[-1],) if len(s.heading) > depth else ()) +
             tuple(s.text.split("\n")) if p.strip()]
    keep, n = [], 0
    for sp in paras:
        if n + len(sp[1]) > 900 and keep:
            break
        keep.append(sp)
        n += len(sp[1])
    return _quote(qq, sec, keep, "list", sec.heading[-1], more=len(keep) < len(paras))


_LEAD = re.compile(r"^\s*(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


def _quote(qq: Q, sec, parts: list[str], intent: str, subject: str, more: bool = False):
    """Answer with these passages of one section, each cited when it carries a figure (the first always)."""
    ctx = qq.ctx
    cits = []
    parts = [p if isinstance(p, tuple) else (sec, p) for p in parts]      # (section, passage) or a passage of sec
    texts = []
    for i, (where, p) in enumerate(parts):
        if i == 0 or re.search(r"\d", _LEAD.sub("", p)):
            q = ctx.quotable(p)
            if not ctx.verified(q):
                return None
            if q != p and any(f not in q for f in _FIG.findall(_LEAD.sub("", p))):
                got = cited_text(ctx, where.id, p)      # part of it quotable: every figure quoted as printed
                if got is None:
                    return None
                p, more_cits = got
                cits += more_cits
            else:
                cits.append(ctx.section_citation(where.id, q))
        texts.append(p)
    body = "\n".join(texts) + ("\n……" if more else "")
    return qq.done(body, f"The document says ({' '.join(sec.heading)}): {body}", citations=tuple(cits[:8]),
                   intent=intent, subject=subject)


def best_heading(qq: Q, want: set[str], rows_answer):
    """A table or a section whose title the question names: its top rows, or its text."""
    ctx = qq.ctx
    want = want - {"哪些", "有哪", "包括", "哪几", "几类"}
    best, best_n = None, 1
    for t in ctx.parsed.tables:
        n = len(want & bigrams(re.sub(r"^\S+表\s*", "", t.title)))
        if n > best_n:
            best, best_n = ("table", t), n
    for sec in ctx.parsed.sections:
        if sec.id.startswith("t") or not sec.heading:
            continue
        n = len(want & bigrams(re.sub(r"^[一二三四五六七八九十]+、", "", sec.heading[-1])))
        if n > best_n:
            best, best_n = ("section", sec), n
    if best is None:
        return None
    kind, obj = best
    if kind == "table":
        tops = [fs[0] for (tid, _, _), fs in ctx.index.rows.items()
                if tid == obj.id and not fs[0].is_total and not fs[0].path and fs[0].value != 0]
        return rows_answer(qq, tops, obj.title) if len(tops) >= 2 else None     # one row lists nothing
    text = obj.text if len(obj.text) <= 600 else obj.text[:600] + "…"
    first = obj.text.split("\n")[0]
    quote = first if ctx.verified(first) else next((s for s in sentences(first) if ctx.verified(s)), "")
    if not quote:
        return None
    cit = ctx.section_citation(obj.id, quote)
    return qq.done(text, f"The document says ({' '.join(obj.heading)}): {text}", citations=(cit,), intent="list",
                   subject=obj.heading[-1])


# -- what an item is used for -------------------------------------------------------------------------------
_USE = re.compile(r"主要用于|具体用于|用于|主要包括|具体包括|包括")
_BEFORE_ITEM = "、和及与或"


def uses(qq: Q):
    """The sentence saying what an item the question names is used for: the item's name, then within the same
    paragraph and a short stretch "主要用于…" (or "包括…"). The item as a member of another list ("…、公务接待费")
    is not its subject."""
    names = set()
    for m in qq.mentions:
        names.add(qq.q[m.start:m.end])
        names |= {c.name for c in m.candidates[:3]}
    names = {n for n in names if len(match_form(n)) >= 3}
    if not names:
        return None
    best, best_key = None, None
    for sec in qq.ctx.parsed.sections:
        if sec.id.startswith("t"):
            continue
        glossary = any("名词" in h for h in sec.heading)
        for para in sec.text.split("\n"):
            for name in names:
                for at in (mm.start() for mm in re.finditer(re.escape(name), para)):
                    if at and para[at - 1] in _BEFORE_ITEM:
                        continue
                    use = _USE.search(para, at + len(name))
                    if use is None or use.start() - at > 90 or "用于" in para[at + len(name):use.start()]:
                        continue
                    start = max(para.rfind(c, 0, at) for c in "。；：") + 1      # (not "…主要包括：" before it)
                    end = min([i for i in (para.find(c, use.end()) for c in "。；") if i >= 0] or [len(para) - 1]) + 1
                    passage = para[start:end].strip()
                    key = (not glossary, "用于" in use.group(0), len(name), -(use.start() - at))
                    if len(passage) <= 400 and (best_key is None or key > best_key):
                        best, best_key = (sec, passage, name), key
    if best is None:
        return None
    sec, passage, name = best
    return _quote(qq, sec, [passage], "goal", name)


_ITEM = re.compile(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)")


def items_after(ctx, section_id: str, sent: str) -> str:
    """The numbered items a sentence introduces ("…具体包括：" then "1. …", "2. …"), within two sentences."""
    sec = ctx.sections.get(section_id)
    if sec is None or sent not in sec.text:
        return ""
    rest = sec.text[sec.text.index(sent) + len(sent):]
    lines = rest.split("\n")
    head = lines[0]
    if not re.search(r"[:：]\s*$", head) and not re.search(r"[:：]\s*$", sent):
        if len(lines) < 2 or not re.search(r"[:：]\s*$", lines[0]):
            return ""
    items = [ln for ln in lines[1:13] if _ITEM.match(ln.strip())]
    return ("\n" + head if head.strip() else "") + "".join("\n- " + it.strip() for it in items) if items else ""


# -- an enumeration continued -------------------------------------------------------------------------------
_FIRST = re.compile(r"(?:^|[：:，,是])\s*(?:1[.．、](?!\d)|（1）|\(1\)|一是|（一）|第一)")
_NEXT = (r"{n}[.．、](?!\d)", r"（{n}）", r"\({n}\)")
_CN = "一二三四五六七八九十"


def continued(section_text: str, passage: str, limit: int = 6) -> str:
    """The enumerated items that follow `passage` when it opens an enumeration ("主要原因是：1.…；" then
    "2.…；3.…", "一是…；二是…"), within its paragraph or on the lines right after it; "" when it does not."""
    at = section_text.find(passage)
    if at < 0 or not _FIRST.search(passage):
        return ""
    cn = "是" if re.search(r"一是", passage) else None
    rest = section_text[at + len(passage):]
    out, n = "", 2
    while n <= limit + 1:
        mark = (f"{_CN[n - 1]}是" if cn else None)
        pats = [re.escape(mark)] if mark else [p.format(n=n) for p in _NEXT] + [rf"（{_CN[n - 1]}）"]
        m = re.match(rf"\s*(?:{'|'.join(pats)})", rest)
        if not m:
            break
        end = [i for i in (rest.find(c, m.end()) for c in "。；\n") if i >= 0]
        cut = min(end) + 1 if end else len(rest)
        out += rest[:cut]
        rest = rest[cut:]
        n += 1
    return out.strip("\n")


_FIG = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _around(ctx, sent: str, m) -> str:
    """The longest stretch of `sent` around the figure `m` that stands verbatim in the page text ("纳电费27万元"
    out of a table cell wrapped over lines); "" when not even the figure with two characters beside it does."""
    a, b = m.start(), m.end()
    while a > 0 and ctx.verified(sent[a - 1:b]):
        a -= 1
    while b < len(sent) and ctx.verified(sent[a:b + 1]):
        b += 1
    return sent[a:b] if (m.start() - a >= 2 or b - m.end() >= 2) and ctx.verified(sent[a:b]) else ""


def cited_text(ctx, section_id: str, text: str):
    """(text, citations) for a passage whose whole may not stand verbatim in the page text (a table cell
    wrapped over lines): the first sentence that can be quoted, and every figure with the words around it
    quoted as printed; a sentence with a figure that cannot be quoted so is left out. None when nothing of it
    can be quoted."""
    if ctx.verified(text):
        return text, (ctx.section_citation(section_id, text),)
    keep, cits = [], []
    for sent in sentences(text):
        body = _LEAD.sub("", sent)
        quotes = [_around(ctx, body, m) for m in _FIG.finditer(body)]
        if not all(quotes):
            continue
        whole = ctx.quotable(sent)
        mine = [ctx.section_citation(section_id, q) for q in quotes]
        if len(set(cits) | set(mine)) > 8:
            break                 # no more than eight quotes: the text stops where its figures stop being cited
        if not cits and not quotes and ctx.verified(whole) and len(whole) >= 4:
            cits.append(ctx.section_citation(section_id, whole))
        cits += mine
        keep.append(sent)
    if not cits or not keep:
        return None
    return "".join(keep), tuple(dict.fromkeys(cits))


# -- a glossary entry ---------------------------------------------------------------------------------------
_ENTRY = re.compile(r"(?:\d+[.．、]\s*|[（(]?[一二三四五六七八九十\d]+[)）、.]\s*)?([^：:，。；]{2,30}?)\s*[:：]")
_STARTS = re.compile(r"(?<=[。；])|(?<=[^\d.．])(?=\d{1,2}[．.、]\D)")


def glossary_entries(text: str) -> list[tuple[str, str]]:
    """(term, entry) of a glossary's text, entries also run together on one line ("基本支出：指…。项目支出：指…",
    "…支出4．基本支出：指…5．项目支出：指…")."""
    out = []
    for para in text.split("\n"):
        starts = sorted({0} | {m.start() for m in _STARTS.finditer(para)})
        found = [(i, m) for i in starts if (m := _ENTRY.match(para, i)) and i < len(para)]
        for k, (i, m) in enumerate(found):
            end = found[k + 1][0] if k + 1 < len(found) else len(para)
            entry = para[i:end].strip()
            if len(entry) > len(m.group(0)) + 2:
                out.append((m.group(1).strip(), entry))
    return out


def defines(ctx, q: str) -> bool:
    """The document's glossary has an entry for a term the question (match form) names in full ("基本支出包括哪些":
    the glossary says what 基本支出 includes)."""
    for sec in ctx.parsed.sections:
        if sec.id.startswith("t") or not any("名词" in h for h in sec.heading):
            continue
        if any(len(match_form(term)) >= 3 and match_form(term) in q for term, _ in glossary_entries(sec.text)):
            return True
    return False


def glossary_entry(qq: Q):
    """The glossary entry whose term the question names best ("项目支出是什么意思" → "项目支出：指…")."""
    ctx = qq.ctx
    best, best_s = None, 0.0
    for sec in ctx.parsed.sections:
        if sec.id.startswith("t") or not any("名词" in h for h in sec.heading):
            continue
        for term, entry in glossary_entries(sec.text):
            s, _, _ = ctx.index.score(match_form(term), qq.q)
            s += 0.5 if match_form(term) in qq.q else 0
            if s > best_s:
                best, best_s = (sec, term, entry), s
    if best is None:
        return None
    sec, term, entry = best
    got = cited_text(ctx, sec.id, entry)
    if got is None:
        return None
    text, cits = got
    return qq.done(text, f"Definition given by the document: {text}", citations=cits, intent="definition",
                   subject=term)
