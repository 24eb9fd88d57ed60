"""Figures a passage of the narrative states for what the question quotes or names: the statement of change
with the figure the question quotes ("为什么比去年少了13.5%"), the sentence splitting an amount the question
quotes ("X的1410万元分成哪几块"), a project described under its own headings (X经费情况说明: 项目概述,
年度预算安排: its amount, a part of it, its overview), and the check that a figure taken from a sentence stands
in the clause that names what is asked.

Does not handle: amounts written in words, projects whose sections carry no heading of their own.
"""
from __future__ import annotations

import re

from index.chunks import sentences

from .answer_passages import _ASK_WORDS, _FIG, _quote
from .answer_tables import Q
from .understand import match_form
from .question_words import bigrams

# -- the statement of change a question quotes a figure of ------------------------------------------------
_STATED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|％|万元|万|亿元|亿|元)?(?![\d.]|\s*年)")


def stated_change(qq: Q):
    """The change statement (with a reason) whose figure the question quotes ("为什么比去年少了13.5%",
    "为什么安排5万"), about what the question names when it names something; None when none or several
    differ in what they say."""
    from decimal import Decimal
    said = []
    for m in _STATED.finditer(qq.text):
        v, unit = Decimal(m.group(1)), m.group(2) or ""
        said.append((v * 10000 if unit.startswith("亿") else v, "%" if unit in ("%", "％") else unit))
    if not said:
        return None
    names = [match_form(m.name) for m in qq.mentions if len(match_form(m.name)) >= 2]
    found = []
    for ch in qq.ctx.index.changes:
        if not ch.reason:
            continue
        sec = qq.ctx.sections.get(ch.section)
        about = match_form(ch.subject + " ".join(sec.heading if sec else ()) + ch.quote)
        if names and not any(n in about for n in names):
            continue
        for v, unit in said:
            if (unit == "%" and ch.percent is not None and abs(ch.percent) == v) or (unit != "%" and (
                    (ch.value is not None and ch.value == v) or (ch.delta is not None and ch.delta and abs(ch.delta) == v))):
                found.append(ch)
                break
    if not found:
        return None
    want = bigrams(qq.q)
    ranked = sorted(found, key=lambda c: (-len(want & bigrams(c.subject)), found.index(c)))
    if len({c.reason for c in found}) > 1 and len(want & bigrams(ranked[0].subject)) == \
            len(want & bigrams(ranked[1].subject)):
        # several statements with that figure and different reasons, the question telling none apart
        # ("为什么是0"): unless they are the same statement over again (收入预算 and 支出预算 alike)
        if not all(_same_reason(c.reason, ranked[0].reason) for c in found):
            return None
    return ranked[0]


def _same_reason(a: str, b: str) -> bool:
    ga, gb = bigrams(a, latin=False), bigrams(b, latin=False)
    return bool(ga and gb) and len(ga & gb) / min(len(ga), len(gb)) >= 0.8


def breakdown(qq: Q):
    """"X的1410万元分成哪几块": the sentence that states the quoted amount and splits it ("总预算1410.00万，其中
    支持…340.00万，…"), in a section whose heading or text names what the question names."""
    from decimal import Decimal
    amounts = {Decimal(m.group(1)) for m in _STATED.finditer(qq.text) if m.group(2) not in ("%", "％")}
    amounts.discard(Decimal(0))
    if not amounts:
        return None
    want = bigrams(_ASK_WORDS.sub(" ", qq.text), latin=False)
    best, best_s = None, 1
    for sec in qq.ctx.parsed.sections:
        if sec.id.startswith("t"):
            continue
        head = bigrams(" ".join(sec.heading), latin=False)
        for para in sec.text.split("\n"):
            for sent in sentences(para):
                if not re.search(r"其中|分别|包括", sent) or len(_FIG.findall(sent)) < 3:
                    continue
                if not any(Decimal(f.replace(",", "")) in amounts for f in _FIG.findall(sent)):
                    continue
                s = len(want & (head | bigrams(sent, latin=False)))
                if s > best_s:
                    best, best_s = (sec, sent), s
    if best is None:
        return None
    sec, sent = best
    return _quote(qq, sec, [sent], "list", sec.heading[0] if sec.heading else "")


# -- a project's own narrative (一、项目概述 … 六、年度预算安排 under "X经费情况说明") ----------------------------
_PROJECT_HEAD = re.compile(r"^第[一二三四五六七八九十]+部分\s*|(?:经费|资金|项目)?(?:情况说明|说明)$")
_PART = {"overview": re.compile(r"项目概述|项目内容|主要内容|项目简介"), "target": re.compile(r"绩效目标"),
         "budget": re.compile(r"预算安排|资金安排|预算情况")}


def _project_parts(qq: Q) -> dict[str, object] | None:
    """The sections of the project the question names, by part, when the document describes projects under
    their own headings and the question names one of them (its name as the heading prints it)."""
    groups: dict[str, list] = {}
    for sec in qq.ctx.parsed.sections:
        if not sec.id.startswith("t") and len(sec.heading) >= 2 and _PROJECT_HEAD.search(sec.heading[0]):
            groups.setdefault(sec.heading[0], []).append(sec)
    best, best_n, best_name = None, 0, ""
    for head, secs in groups.items():
        name = match_form(_PROJECT_HEAD.sub("", head))
        short = re.sub(r"[（(][^（()）]*[)）]", "", _PROJECT_HEAD.sub("", head))   # "商业创新专项（政策资金）"
        if len(match_form(short)) >= 4 and match_form(short) in qq.q and name not in qq.q:
            name = match_form(short)
        if len(name) >= 4 and name in qq.q and len(name) > best_n and \
                sum(any(rx.search(s.heading[-1]) for rx in _PART.values()) for s in secs) >= 1:
            best, best_n, best_name = secs, len(name), name
    if best is None:
        return None
    parts = {"name": _PROJECT_HEAD.sub("", best[0].heading[0]), "rest": qq.q.replace(best_name, " ")}
    for sec in best:
        for part, rx in _PART.items():
            if rx.search(sec.heading[-1]) and part not in parts:
                parts[part] = sec
    return parts


_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|万|元)")
_REST_NOISE = re.compile(r"今年|本年|年度|预算|安排|了|多少|是|的|有|经费|资金|总|共|合计|一共|总共|其中|中|金额|钱|项目")


def project_figure(qq: Q):
    """"生命健康专项（政策资金）今年预算多少": the amount of the project's 年度预算安排 ("项目总预算1170.00万");
    a part of it the question names ("…中各级企业技术中心及专精特新认定安排了多少"): the clause that names it, or
    nothing when no clause does."""
    from decimal import Decimal
    parts = _project_parts(qq)
    if parts is None or "budget" not in parts:
        return None
    sec = parts["budget"]
    rest = bigrams(_REST_NOISE.sub(" ", parts["rest"]), latin=False)
    for sent in sentences(sec.text.replace("\n", "")):
        clauses = [c for c in re.split(r"[，,；;]", sent) if _AMOUNT.search(c)]
        if not clauses:
            continue
        if rest:
            scored = sorted(clauses, key=lambda c: -len(rest & bigrams(c, latin=False)))
            pick = scored[0]
            if len(rest & bigrams(pick, latin=False)) < max(2, len(rest) // 2):
                return None          # a part the budget sentence does not name
        else:
            pick = clauses[0]
        m = _AMOUNT.search(pick)
        unit = {"万": "万元"}.get(m.group(2), m.group(2))
        value = Decimal(m.group(1).replace(",", ""))
        quote = qq.ctx.quotable(sent)
        if not qq.ctx.verified(quote) or m.group(0) not in quote:
            return None
        from .compose import figure
        cit = qq.ctx.section_citation(sec.id, quote)
        return qq.done(f"{parts['name']}：**{figure(value, unit)}**（{pick.strip()}）\n\n{sent}",
                       f"{parts['name']}: **{figure(value, unit)}** ({pick.strip()})", value=value, unit=unit,
                       citations=(cit,), intent="narrative", subject=parts["name"])
    return None


def project_overview(qq: Q):
    """What the project the question names is for, or its target: its 项目概述 / 绩效目标 section."""
    parts = _project_parts(qq)
    if parts is None:
        return None
    sec = parts.get("target" if "目标" in qq.q else "overview") or parts.get("overview")
    if sec is None:
        return None
    return _quote(qq, sec, [p for p in sec.text.split("\n") if p.strip()][:6], "goal", parts["name"])


def in_best_clause(sent: str, value, want: set[str]) -> bool:
    """The amount `value` stands in a clause of `sent` that names what is asked at least as well as every other
    clause with an amount (also those written "120.00万", which the figure index does not read)."""
    from decimal import Decimal
    best, mine = -1, -1
    for clause in re.split(r"[，,；;。]", sent):
        amounts = {Decimal(m.group(1).replace(",", "")) for m in _AMOUNT.finditer(clause)}
        if not amounts:
            continue
        n = len(want & bigrams(clause, latin=False))
        best = max(best, n)
        if value in amounts:
            mine = max(mine, n)
    return mine < 0 or mine == best        # (a count or a percent is not judged here)
