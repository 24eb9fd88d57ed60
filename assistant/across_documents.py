"""Questions that span documents: another year, another department, the budget against the final account,
or every loaded document (rankings, totals).

`answer(bot, question, conversation)` returns None when the question is about one document (the usual path).
Otherwise it splits the question into one sub-question per document ("培训费是多少"), has the single-document
answerer (`Assistant.ask(..., doc=...)`) answer each, checks that the figures are the same subject (the same
cell of one template across years — see `align` — or a cell labelled with the asked subject across
departments), and computes with `numeric` (difference, percent change, ratio, share, total, ranking, list).
Every operand is shown with its document, table and page, one citation per document. Where the newer year's
narrative states a "比上年" change that the two tables contradict, the answer says so. When a figure is missing
or the figures are not the same thing, it refuses and says what was found: no figure is guessed.

Not handled: more than one subject per question ("培训费和会议费这两年…"), relative years ("今年"/"去年")
resolved against documents, per-unit rows of department-level tables.
"""
from __future__ import annotations

import re

from index.errors import AmbiguousDocument
from index.models import Document, convert

from . import compute as N
from .align import (Value, cell_key, cells, counterpart, exact_name, names_subject, narrative_names,
                    preferred, principal, whole_scope, Unclear)
from .answer import Answer, Citation
from .documents import aliases, label, named
from .understand import match_form

_STORE = re.compile(r"哪(?:个|一个|些|家)(?:部门|单位)|各(?:个)?(?:部门|单位)|所有(?:的)?(?:部门|单位|文档|文件)|"
                    r"全部(?:部门|单位|文档)|这(?:几|些|两|三|四|五)(?:个|家)?(?:部门|单位)|几个部门|各家|哪家")
_YEARS = re.compile(r"这(?:两|三|四|五|几)年|近(?:两|三|四|五|几)年|历年|各年|逐年|每年|(?:两|三|几)年(?:来|间|的|里)")
_EXEC = re.compile(r"预算执行|执行(?:得|情况|率)|决算(?:比|较|与|和|对比|相比)预算|预算(?:比|较|与|和|对比|相比)决算|预决算")
_PREV = re.compile(r"比上年|较上年|比去年|较去年|同比|与上年|和上年")
_COMPARE = re.compile(r"比|对比|相比|比较|相较")

_MAX = re.compile(r"最多|最高|最大|第一|最贵")
_MIN = re.compile(r"最少|最低|最小|最省")
_RANK = re.compile(r"排名|排序|排行|从高到低|从多到少|从大到小|从低到高|从少到多")
_PCT = re.compile(r"增长率|增幅|降幅|百分之几|百分比|幅度|变化率|变动率|增长了?多少%|百分点|%")
_RATIO = re.compile(r"几倍|多少倍|倍")
_DIFF = re.compile(r"增加|减少|增长|下降|多了|少了|多多少|少多少|相差|差额|差多少|差距|变化|变动|高多少|低多少|多出|"
                   r"比.{0,12}?(?:多|少|高|低)")
_SUM = re.compile(r"合计(?=是|为|有|多少|一共|共|$|[？?。])|总共|一共|加起来|总和|共计|之和|加总")   # not "收入总计"
_DOWN = re.compile(r"减少|下降|少了|少多少|低多少|降幅|降低")

_YEARWORD = re.compile(r"(?:19|20)\d{2}年度?|(?<!\d)(?:19|20)\d{2}(?!\d)|今年|去年|上年度|上年|本年度|本年|明年|当年|"
                       r"上一年|前一年|" + _YEARS.pattern)
_OPWORDS = sorted(["增加了", "减少了", "增长了", "下降了", "增加", "减少", "增长", "下降", "变化了", "变化", "变动",
                   "相差", "差额", "差距", "高出", "多出", "多了", "少了", "多多少", "少多少", "高多少", "低多少",
                   "差多少", "增长率", "增幅", "降幅", "变化率", "变动率", "幅度", "百分之几", "百分比", "百分点",
                   "多少倍", "几倍", "倍", "是多少", "为多少", "有多少", "多少钱", "多少", "几", "分别是", "分别为",
                   "分别", "各是", "各为", "各自", "一共", "总共", "加起来", "共计", "总和", "之和", "加总", "哪个",
                   "哪家", "哪一个", "最多", "最高", "最大", "最少", "最低", "最小", "排名", "排序", "排行",
                   "从高到低", "从多到少", "从大到小", "从低到高", "从少到多", "第一", "情况", "怎样", "怎么样",
                   "如何", "执行得", "执行", "预决算", "请问", "对比", "相比", "比较", "相较", "同比", "一下", "%",
                   "万元", "元", "部门", "单位", "文档", "文件", "各个", "所有", "全部"], key=len, reverse=True)
_OPWORD_RE = re.compile("|".join(map(re.escape, _OPWORDS)))
_EDGE = re.compile(r"^(?:[比较与和跟同及的在中里各是为了呢吗啊都这那些个家]|预算|决算)+|"
                   r"(?:[比较与和跟同及的在中里各是为了呢吗啊都这那些个家]|预算|决算|数)+$")


def operation(text: str, mode: str) -> str:
    if _MAX.search(text) or _MIN.search(text) or _RANK.search(text):
        return "rank"
    if _PCT.search(text):
        return "growth"
    if _RATIO.search(text):
        return "ratio"
    if mode == "kinds" and not _DIFF.search(text):
        return "execution"
    if _DIFF.search(text) or _PREV.search(text):
        return "difference"
    if _SUM.search(text):
        return "sum"
    return "list"


def subject_of(text: str, docs: list[Document]) -> str:
    """The thing asked about, with the documents' names, the years and the operation words taken out."""
    t = match_form(text)
    for a in sorted({a for d in docs for a in aliases(d.department)}, key=len, reverse=True):
        t = t.replace(a, "|")
    t = _YEARWORD.sub("|", t)
    t = _STORE.sub("|", t)
    segs = []
    for seg in t.split("|"):
        seg = _OPWORD_RE.sub("|", seg)
        for part in seg.split("|"):
            part = _EDGE.sub("", part)
            if len(part) >= 2:
                segs.append(part)
    return "".join(segs)


def _latest_of(docs: list[Document], kinds: set[str]) -> Document | None:
    pool = [d for d in docs if not kinds or d.kind in kinds] or docs
    pool = sorted(pool, key=lambda d: (d.year or 0, d.kind == "预算"), reverse=True)
    return pool[0] if pool else None


def targets(store, text: str, conversation: str | None) -> tuple[str, list[Document]] | None:
    """(mode, documents in operand order) when the question spans two or more documents, else None."""
    docs = store.documents()
    if len(docs) < 2:
        return None
    got = named(docs, text)
    if got["shared"]:
        return None                         # the words fit two departments: the single choice asks which
    q = match_form(text)
    depts = sorted(got["departments"], key=lambda dep: min(q.find(a) for a in aliases(dep) if a in q))
    if _STORE.search(text) and len(depts) < 2:
        pool = [d for d in docs if not got["years"] or d.year in got["years"]]
        per = {}
        for d in pool:
            per.setdefault(d.department, []).append(d)
        chosen = [_latest_of(v, got["kinds"]) for v in per.values()]
        return ("store", chosen) if len(chosen) >= 2 else None
    if len(depts) >= 2:
        chosen = []
        for dep in depts:
            mine = [d for d in docs if d.department == dep]
            if got["years"]:
                mine = [d for d in mine if d.year in got["years"]] or mine
            chosen.append(_latest_of(mine, got["kinds"]))
        return "departments", chosen
    conv = next((d for d in docs if d.id == conversation), None)
    if depts and conv is not None and conv.department != depts[0] and _COMPARE.search(text):
        other = _latest_of([d for d in docs if d.department == depts[0]], got["kinds"])
        return "departments", [conv, other]
    base = depts[0] if depts else (conv.department if conv else None)
    if base is None and len({d.department for d in docs}) == 1:
        base = docs[0].department
    if base is None and len(got["years"]) >= 2:         # the one department that has every year named
        full = {d.department for d in docs if all(any(e.department == d.department and e.year == y for e in docs)
                                                   for y in got["years"])}
        base = full.pop() if len(full) == 1 else None
    if base is None:
        return None
    same = [d for d in docs if d.department == base]
    kinds = got["kinds"] if len(got["kinds"]) == 1 else set()
    if _EXEC.search(text) or got["kinds"] == {"预算", "决算"}:
        year = max(got["years"]) if got["years"] else max((d.year or 0) for d in same)
        pair = [d for d in same if d.year == year]
        bud = next((d for d in pair if d.kind == "预算"), None)
        fin = next((d for d in pair if d.kind == "决算"), None)
        if bud and fin:
            return "kinds", [fin, bud]
        return None
    years = sorted(got["years"])
    if len(years) >= 2 or _YEARS.search(text):
        pool = [d for d in same if (d.year in years if len(years) >= 2 else True)]
        pool = [d for d in pool if d.kind in kinds] if kinds else [d for d in pool if d.kind == "预算"] or pool
        pool = sorted(pool, key=lambda d: d.year or 0)
        if len({d.year for d in pool}) != len(pool):
            raise AmbiguousDocument("同一年度有多份文档：" + "、".join(d.id for d in pool) + "；请在问题中写明预算或决算",
                                    tuple(d.id for d in pool))
        return ("years", pool) if len(pool) >= 2 else None
    if _PREV.search(text) and (_DIFF.search(text) or _PCT.search(text)):
        year = years[0] if years else max((d.year or 0) for d in same)
        this = [d for d in same if d.year == year and (not kinds or d.kind in kinds)]
        prev = [d for d in same if d.year == year - 1 and this and d.kind == this[0].kind]
        if len(this) == 1 and len(prev) == 1:
            return "years", [prev[0], this[0]]
    return None


# -- answering ---------------------------------------------------------------------------------------
def answer(bot, raw: str, conversation: str | None = None) -> Answer | None:
    found = targets(bot.store, raw, conversation)
    if found is None:
        return None
    mode, docs = found
    op = operation(raw, mode)
    subject = subject_of(raw, bot.store.documents())
    if op == "sum" and subject.endswith(("合计", "总计")) and len(subject) > 4:
        subject = subject[:-2]                       # "项目支出合计": the sum is the operation, not the row
    if not subject:
        return _refuse(raw, docs, "问题里没有认出要比较的项目（例如“培训费”）", [])
    if mode == "store" and op not in ("rank", "sum", "list"):
        return _refuse(raw, docs, "对全部文档只能排名、合计或列出（“哪个部门……最多”“这几个部门……合计”）；"
                                  "比较两份文档请写明部门或年度", [], subject)
    subs = [(d, bot.ask(f"{subject}是多少", doc=d.id)) for d in docs]
    values, problems = (_same_cells(bot, subs, subject) if mode == "years" else _labelled(bot, subs, subject))
    need_all = op not in ("rank", "list") or mode != "store"     # a total missing a department is no total
    if problems and need_all or len(values) < 2:
        return _refuse(raw, docs, "；".join(problems) or "可比较的数字不足两个", values, subject)
    try:
        return _compose(raw, mode, op, subject, values, problems, bot)
    except (ValueError, ArithmeticError) as e:
        return _refuse(raw, docs, f"这些数字无法按所问方式计算（{e}）", values, subject)


def _value(bot, d: Document, ans: Answer | None, fact, subject: str) -> Value:
    if fact is not None:
        ctx = bot.context(d.id)
        return Value(d.id, label(d), fact.value, fact.unit, ctx.fact_citation(fact), fact, subject)
    got = principal(ans)
    return Value(d.id, label(d), got[0], got[1], ans.citations[0] if ans.citations else None, None, subject)


def _found(d: Document, ans: Answer) -> str:
    if principal(ans) is None:
        return f"{label(d)}中没有找到"
    c = ans.citations[0] if ans.citations else None
    where = f"（{c.source}，第{c.page}页）" if c else ""
    return f"{label(d)}中找到的是 {ans.value}{ans.unit}{where}，不是同一项目"


def _same_cells(bot, subs, subject: str) -> tuple[list[Value], list[str]]:
    """One department's documents: the same cell (table number, row, column) in each."""
    try:
        chosen = [preferred(bot.context(d.id), subject) for d, _ in subs]
    except Unclear:
        chosen = []
    if chosen and all(chosen) and len({cell_key(p[0]) for p in chosen}) == 1:
        return [_value(bot, d, a, p[0], subject) for (d, a), p in zip(subs, chosen)], []
    cell_sets = [cells(bot.context(d.id), a) for d, a in subs]
    common = set.intersection(*[{cell_key(f) for f in cs} for cs in cell_sets]) if all(cell_sets) else set()
    if common:
        key = next(cell_key(f) for f in cell_sets[-1] if cell_key(f) in common)
        return [_value(bot, d, a, next(f for f in cs if cell_key(f) == key), subject)
                for (d, a), cs in zip(subs, cell_sets)], []
    for i in reversed(range(len(subs))):          # the newest document's cell first, then the others'
        for anchor in cell_sets[i]:
            if not names_subject(anchor, subs[i][1], subject):
                continue
            mates = [anchor if j == i else counterpart(bot.context(d.id), anchor) for j, (d, _) in enumerate(subs)]
            if all(m is not None for m in mates):
                return [_value(bot, d, a, m, subject) for (d, a), m in zip(subs, mates)], []
    if not any(cell_sets) and all(principal(a) for _, a in subs) and \
            len({a.unit for _, a in subs}) == 1 and all(names_subject(None, a, subject) for _, a in subs):
        return [_value(bot, d, a, None, subject) for d, a in subs], []        # the same narrative subject
    return [], [_found(d, a) for d, a in subs]


def labelled_value(bot, d: Document, subject: str, ans: Answer | None = None) -> Value | str:
    """One department's figure for the subject, as a `Value`, or what was found instead (a problem line):
    `align.preferred`'s cell, else the single-document answer when its cell is labelled with the subject or
    its narrative sentence names the subject right before the figure."""
    ctx = bot.context(d.id)
    try:
        pref = preferred(ctx, subject)
    except Unclear as e:
        pages = sorted({f.page for f in e.facts})
        return f"{label(d)}中{subject}有多个不同的数字（第{'、'.join(map(str, pages))}页），未采用"
    if pref:
        return _value(bot, d, ans, pref[0], subject)
    a = ans if ans is not None else bot.ask(f"{subject}是多少", doc=d.id)
    if principal(a) is None:
        return f"{label(d)}中没有找到"
    cs = cells(ctx, a)
    f = next((c for c in cs if exact_name(c, subject) and whole_scope(ctx.titles.get(c.table, ""), subject)), None)
    if f is None and (cs or not narrative_names(a, subject)):
        return _found(d, a)
    return _value(bot, d, a, f, subject)


def _labelled(bot, subs, subject: str) -> tuple[list[Value], list[str]]:
    """Other departments (other templates): `labelled_value` for each."""
    values, problems = [], []
    for d, a in subs:
        v = labelled_value(bot, d, subject, a)
        (values if isinstance(v, Value) else problems).append(v)
    return values, problems


def _operand(v: Value) -> N.Operand:
    return N.Operand(v.label, v.value, v.unit, v.citation)


def _line(v: Value) -> str:
    c = v.citation
    where = f"（{c.source}，第{c.page}页）" if c else ""
    return f"- {v.label}：{v.subject} **{N.show(v.value, v.unit)}{v.unit}**{where}"


def _narrative_check(bot, values: list[Value], delta: N.Result) -> str:
    """The newer document's own "比上年" statement about the subject, compared with the tables' change."""
    new, old = values[-1], values[0]
    newer = bot.store.load(new.doc)
    if not (new.fact and old.fact) or newer.document.year is None:
        return ""
    keys = {match_form(new.subject), match_form(new.fact.row), match_form(new.fact.column.split("·")[-1])}
    for ch in newer.changes:
        subj = match_form(ch.subject)
        if ch.delta is None or ch.value is None or ch.unit not in N.MONEY or \
                not any(k and (k == subj or (len(k) >= 4 and k in subj)) for k in keys):
            continue
        if convert(ch.value, ch.unit, "元") != convert(new.value, new.unit, "元"):
            continue              # the statement is about another figure of the same name
        stated = convert(ch.delta, ch.unit, delta.unit)
        page = f"第{ch.page}页"
        if stated == delta.value:
            return f"与{new.label}说明中“{ch.quote[:60]}”（{page}）一致。"
        return (f"**注意**：{new.label}的说明（{page}）写“{ch.quote[:80]}”，比上年变化 {N.show(ch.delta, ch.unit)}"
                f"{ch.unit}，与两份文件表格算出的 {N.show(delta.value, delta.unit)}{delta.unit} 不一致；"
                f"以上按表格计算。")
    return ""


def _compose(raw: str, mode: str, op: str, subject: str, values: list[Value], problems: list[str],
             bot) -> Answer:
    ops = [_operand(v) for v in values]
    lines = [_line(v) for v in values]
    result = None
    note = ""
    if op == "rank":
        low = bool(_MIN.search(raw)) and not _MAX.search(raw)
        order = sorted(values, key=lambda v: convert(v.value, v.unit, "元") if v.unit in N.MONEY else v.value,
                       reverse=not low)
        if len({v.unit in N.MONEY for v in values}) > 1:
            raise ValueError("单位不同")
        top = order[0]
        lines = [f"{i}. " + _line(v)[2:] for i, v in enumerate(order, 1)]
        among = f"在可比较的{len(values)}份文档中，" if problems else ""
        head = f"{among}{top.label}的{subject}{'最少' if low else '最多'}，为 **{N.show(top.value, top.unit)}{top.unit}**。"
        value, unit = N.plain(top.value, top.unit), top.unit
    elif op == "sum":
        result = N.total(ops)
        head = f"{len(values)}份文档的{subject}合计 **{result.text}{result.unit}**。"
        value, unit = N.plain(result.value, result.unit), result.unit
    elif op == "list":
        head = f"{subject}在{len(values)}份文档中的数字如下。"
        value = unit = None
    else:
        if mode == "kinds":
            new, old = values[0], values[1]       # 决算 against 预算
        elif mode == "years":
            new, old = values[-1], values[0]
        else:
            new, old = values[0], values[1]       # as named: "A比B"
        a, b = _operand(new), _operand(old)
        if op == "growth":
            result = N.growth(a, b)
            word = "增长" if result.value > 0 else "下降" if result.value < 0 else "持平，变化"
            head = f"{new.label}的{subject}比{old.label}{word} **{N.show(abs(result.value), '%')}%**。"
            value, unit = N.plain(abs(result.value), "%"), "%"
        elif op == "ratio":
            result = N.ratio(a, b)
            head = f"{new.label}的{subject}是{old.label}的 **{result.text}** 倍。"
            value, unit = None, None
        elif op == "execution":
            result = N.share(a, b)
            head = f"{subject}决算数是预算数的 **{result.text}%**（{new.label}对{old.label}）。"
            value, unit = N.plain(result.value, "%"), "%"
        else:
            result = N.difference(a, b)
            up, down = ("多", "少") if mode in ("departments", "store") else ("增加", "减少")
            word = up if result.value > 0 else down if result.value < 0 else "持平，变化"
            head = f"{new.label}的{subject}比{old.label}{word} **{N.show(abs(result.value), result.unit)}{result.unit}**。"
            value, unit = N.plain(abs(result.value), result.unit), result.unit
        if mode == "years" and op in ("difference", "growth") and len(values) == 2:
            diff = result if op == "difference" else N.difference(a, b)
            note = _narrative_check(bot, [old, new], diff)
    if problems:
        lines += [f"- {p}" for p in problems]
    cits = _one_per_doc(values)
    parts = [head, "\n".join(lines)]
    if result is not None:
        parts.append("**计算**：" + result.formula)
    if note:
        parts.append(note)
    parts.append(_sources(values))
    return Answer(question=raw, answer="\n\n".join(parts), answerable=True, value=value, unit=unit,
                  calculation=result.formula if result else None, citations=cits, doc=values[0].doc,
                  intent=f"across-{op}", subject=subject,
                  extra={"documents": [v.doc for v in values], "understood": _understood(op, subject, values)})


def _one_per_doc(values: list[Value]) -> tuple[Citation, ...]:
    out, seen = [], set()
    for v in values:
        if v.citation is not None and v.doc not in seen:
            seen.add(v.doc)
            out.append(v.citation)
    return tuple(out)


def _sources(values: list[Value]) -> str:
    lines = ["**出处**"]
    for v in values:
        c = v.citation
        if c is not None:
            q = c.quote if len(c.quote) <= 120 else c.quote[:117] + "…"
            lines.append(f"- {v.label} · {c.source}（第{c.page}页）：“{q}”")
    return "\n".join(lines)


def _understood(op: str, subject: str, values: list[Value]) -> str:
    return f"跨文档{ {'rank': '排名', 'sum': '合计', 'list': '列出', 'growth': '增长率', 'ratio': '倍数', 'execution': '执行率', 'difference': '差额'}[op] }：{subject}；文档：" + "、".join(v.doc for v in values)


def _refuse(raw: str, docs: list[Document], why: str, values: list[Value], subject: str = "") -> Answer:
    found = "\n".join(_line(v) for v in values)
    text = (f"无法跨文档回答：{why}。涉及的文档：" + "、".join(label(d) for d in docs) + "。未作推测。"
            + (f"\n\n找到的数字：\n{found}" if found else ""))
    return Answer(question=raw, answer=text, answerable=False, doc=docs[0].id if docs else None,
                  intent="across-refuse", subject=subject or None,
                  extra={"documents": [d.id for d in docs]})
