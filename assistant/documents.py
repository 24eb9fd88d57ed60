"""Which stored document(s) a question is about, when no --doc is given.

A department is recognised by its full name or by the short forms people use, derived from the name itself:
region prefixes stripped (江苏省, 上海市普陀区), 人民/中国共产党 dropped, 委员会→委, 办事处/办公厅 shortened,
and the level of the last region kept in front (省检察院, 区商务委, 市政府办公室). The year ("2019年") and the
kind (预算/决算) narrow the choice. Without a department in the question the document of the conversation is
kept; with only one department loaded its most recent document is used. Otherwise `AmbiguousDocument` lists
the candidates. `without_department` takes the department's own name (or a short name of it, "政务数据局") out
of a question about its document. This module does not answer anything and knows nothing about tables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.errors import AmbiguousDocument, NotFound
from index.models import Document

from .understand import match_form
from .question_words import years_in

_REGION = re.compile(r"^(?:中国共产党)?([\u4e00-\u9fff]{2,7}?(?:自治区|自治州|特别行政区|省|市|区|县|州|盟|旗))")
_BRACKET = re.compile(r"[（(][^）)]*[）)]")
_SHORTEN = (("中国共产党", ""), ("人民政府", "政府"), ("人民", ""), ("委员会", "委"), ("街道办事处", "街道"),
            ("办事处", "办"), ("办公厅", "办"), ("办公室", "办"))
_LEVEL_WORDS = {"省": "省", "自治区": "区", "市": "市", "区": "区", "县": "县", "州": "州"}


@dataclass(frozen=True)
class Choice:
    doc: str
    how: str                # "given", "only", "question", "conversation", "latest"


def label(d: Document) -> str:
    """How an answer names the document it used: 江苏省人民检察院2019年预算."""
    return f"{d.department}{d.year or ''}年{d.kind}" if d.department else d.id


@lru_cache(maxsize=512)
def aliases(department: str) -> tuple[str, ...]:
    """Match forms the department may be called by in a question, longest first."""
    name = _BRACKET.sub("", department or "").strip()
    if not name:
        return ()
    regions = []
    rest = name.replace("中国共产党", "", 1) if name.startswith("中国共产党") else name
    while True:
        m = _REGION.match(rest)
        if not m or len(rest) - len(m.group(1)) < 2:
            break
        regions.append(m.group(1))
        rest = rest[len(m.group(1)):]
    cores = {rest}
    parent = re.match(r"(?:人民)?政府(?!办)(.{2,})$", rest)       # 人民政府万里街道办事处: the office is the body
    if parent:
        cores.add(parent.group(1))
    for old, new in _SHORTEN:
        cores |= {c.replace(old, new) for c in cores}
    cores = {c for c in cores if len(c) >= 2}
    out = {name, *cores}
    if regions:
        last = regions[-1]
        level = next((v for k, v in _LEVEL_WORDS.items() if last.endswith(k)), "")
        place = re.sub(r"(?:自治区|自治州|省|市|区|县|州)$", "", last)
        for c in cores:
            if level:
                out.add(level + c)
            out.add(last + c)
            if len(place) >= 2:
                out.add(place + c)
    keys = {match_form(a) for a in out}
    keys = {k for k in keys if len(k) >= 3 or k == match_form(name)}   # two characters name too much
    return tuple(sorted(keys, key=len, reverse=True))


def department_score(department: str, q: str) -> int:
    """Length of the longest alias of the department found in the question's match form (0: not named)."""
    return next((len(a) for a in aliases(department) if a in q), 0)


_KIND = re.compile(r"决算|预算")


def named(docs: list[Document], question: str) -> dict:
    """What the question names: departments (their best-scoring names), years and kinds found in the docs.
    `shared` is true when two departments answer to the same words ("公安局" for two cities' bureaus)."""
    q = match_form(question)
    scores = {d.department: department_score(d.department, q) for d in docs}
    best = max(scores.values(), default=0)
    depts = {k for k, v in scores.items() if v and v == best}
    # a second department named as well ("和区财政局比"): any with a distinct alias found
    others = {k for k, v in scores.items() if v and k not in depts and not any(
        a in match_form(k) for d in depts for a in aliases(d) if a in q)}
    years = {y for y in years_in(question) if any(d.year == y for d in docs)}
    kinds = {k for k in ("决算",) if k in question}
    if "预算" in question and "决算" in question:
        kinds = {"预算", "决算"}
    spans = {}
    for dep in depts | others:
        a = next(a for a in aliases(dep) if a in q)
        spans.setdefault(a, []).append(dep)
    shared = any(len(v) > 1 for v in spans.values())
    return {"departments": depts | others, "years": years, "kinds": kinds, "shared": shared}


def _narrow(docs: list[Document], question: str) -> list[Document]:
    got = named(docs, question)
    out = docs
    if got["departments"]:
        out = [d for d in out if d.department in got["departments"]]
    elif len(got["years"]) >= 2:          # "2019年比2018年": the departments that have every year named
        full = {d.department for d in docs if all(any(e.department == d.department and e.year == y for e in docs)
                                                   for y in got["years"])}
        out = [d for d in out if d.department in full] or out
    if got["years"]:
        out = [d for d in out if d.year in got["years"]] or out
    if got["kinds"]:
        out = [d for d in out if d.kind in got["kinds"]] or out
    return out


def _latest(docs: list[Document]) -> Document | None:
    """The most recent document when all are one department's; a tie between kinds of one year is no answer."""
    if len({d.department for d in docs}) != 1:
        return None
    top = max(d.year or 0 for d in docs)
    newest = [d for d in docs if (d.year or 0) == top]
    return newest[0] if len(newest) == 1 else None


def ambiguous(candidates: list[Document]) -> AmbiguousDocument:
    names = "；".join(f"{d.id}（{label(d)}）" for d in candidates)
    return AmbiguousDocument(f"问题可能指多份文档：{names}。请在问题中写明部门和年度，或用 --doc 指定其中一份",
                             tuple(d.id for d in candidates))


def choose(store, question: str, doc: str | None = None, conversation: str | None = None) -> Choice:
    """The one document to answer from. Raises NotFound (empty store, unknown --doc) or AmbiguousDocument."""
    if doc:
        return Choice(store.resolve(doc).id, "given")
    docs = store.documents()
    if not docs:
        raise NotFound("存储中还没有文档；先用 `budgetqa ingest 文件` 导入")
    if len(docs) == 1:
        return Choice(docs[0].id, "only")
    got = named(docs, question)
    cands = _narrow(docs, question)
    if conversation and not got["departments"]:
        conv = next((d for d in docs if d.id == conversation), None)
        same = [d for d in docs if conv is not None and d.department == conv.department]
        if got["years"] and not any(d.year in got["years"] for d in same):
            conv = None                     # "2019年…" and the conversation's department has no 2019 document
        if conv is not None:
            pick = _narrow(same, question) if (got["years"] or got["kinds"]) else [conv]
            if len(pick) == 1:
                return Choice(pick[0].id, "conversation")
            if conv in pick:
                return Choice(conv.id, "conversation")
    if len(cands) == 1:
        return Choice(cands[0].id, "question")
    latest = _latest(cands)
    if latest is not None:
        return Choice(latest.id, "latest")
    raise ambiguous(cands)


def mark(ans, d: Document, choice: Choice):
    """The answer, saying which document it used when the store offered a choice (not for --doc or one document)."""
    from dataclasses import replace
    if choice.how in ("given", "only"):
        return ans
    how = {"question": "按问题所指", "conversation": "沿用对话中的文档", "latest": "该部门最新的文档"}[choice.how]
    return replace(ans, answer=f"{ans.answer}\n\n（依据：{label(d)}，{how}）", doc=ans.doc or d.id,
                   extra={**ans.extra, "document_choice": choice.how, "document": d.id})


def without_names(question: str, d: Document, ctx=None) -> str:
    """The question with the document's own department name and year taken out ("省检察院2018年培训费是多少" →
    "培训费是多少" for that document): they chose the document and are not part of what is asked. Not a short
    name inside a longer name the document prints ("政府办" in 其他政府办公厅（室）及相关机构事务支出)."""
    q = question
    rows = _row_keys(ctx) if ctx is not None else frozenset()
    for a in aliases(d.department):
        m = re.search(r"[^\w]*".join(map(re.escape, a)), q)
        if m and rows and len(a) <= 4:
            around = match_form(q[max(0, m.start() - 2):m.end() + 2])
            if len(around) > len(a) + 1 and any(around[i:] in k or around[:len(around) - i] in k
                                                for k in rows for i in range(2)):
                continue
        if m:
            pre = q[:m.start()]
            places = re.findall(r"[\u4e00-\u9fff]{1,4}?(?:省|市|区|县)", d.department or "")
            while any(pre.endswith(p) for p in places):     # "上海市" before "普陀区万里街道办事处"
                pre = pre[:-len(next(p for p in places if pre.endswith(p)))]
            q = pre + q[m.end():]
            break
    if d.year:
        q = re.sub(rf"(?<!\d){d.year}年(?:度)?(?:的)?", "", q)
    q = re.sub(r"^[的\s，,]+", "", q)
    return q if len(match_form(q)) >= 2 else question


# -- the department named inside a question about its own document ---------------------------------
def without_department(text: str, ctx) -> str:
    """The department's own name says which document, not what is asked: "江苏省高级人民法院的差旅费" asks 差旅费.
    Kept when nothing else is named."""
    rest = _department_rest(text, ctx)
    return rest if rest is not None and re.search(r"[\u4e00-\u9fff]{2}", _bare(rest)) else text


@lru_cache(maxsize=4096)
def own_subject(subject: str, ctx) -> str:
    """A statement's or a mention's subject without the department's own name ("福州市医疗保障局收入" → "收入");
    cached per document: the same statements are matched for every question."""
    return without_department(subject, ctx)


def only_department(text: str, ctx) -> bool:
    """The question names the department (and perhaps a year) and nothing else: "上海市普陀区商务委员会呢"."""
    rest = _department_rest(text, ctx)
    return rest is not None and not re.search(r"[\u4e00-\u9fff]", re.sub(r"(?:19|20)\d{2}年?(?:度)?|那|的", "",
                                                                        _bare(rest)))


def _department_rest(text: str, ctx) -> str | None:
    dept = ctx.doc.department or ""
    named = next((dept[i:] for i in range(0, max(len(dept) - 4, 0) + 1) if len(dept) - i >= max(4, len(dept) // 2)
                  and dept[i:] in text), None) or _abbreviation(text, dept, ctx)   # "普陀区商务委员会", "政务数据局"
    if not named:
        return None
    named = next((named + w for w in ("全系统", "系统") if named + w in text), named)   # "卫健委系统": all its units
    return re.sub(r"^[的在里中，,\s]+", "", text.replace(named, "", 1))


def _abbreviation(text: str, dept: str, ctx) -> str | None:
    """The longest stretch of the question (four characters or more, or three after 省/市/区/县) that
    `names_department`."""
    if len(dept) < 5:
        return None
    best = None
    rows = _row_keys(ctx)
    for j, ch in enumerate(text):
        if ch not in _ends(match_form(dept)):
            continue
        for i in range(max(0, j - 15), j - 1):
            cand = text[i:j + 1]
            if len(cand) == 3 and cand[0] not in "省市区县" and cand[2] not in "局委厅":
                continue      # three characters only as a level's short name ("省政协", "市商务") or a body's ("住建局")
            if (best is None or len(cand) > len(best)) and names_department(cand, ctx) and \
                    not any(text[p:p + n] in rows for p in range(i + 1, j + 1) for n in range(j + 2 - p, 9)):
                best = cand   # (not "发改委会" out of "发改委会议费": a stretch ending inside a row's name)
    return best


def _row_keys(ctx) -> frozenset[str]:
    keys = getattr(ctx.index, "_row_key_set", None)
    if keys is None:
        keys = frozenset(c.key for c in ctx.index.candidates if c.kind == "row" and len(c.key) >= 2)
        ctx.index._row_key_set = keys
    return keys


def names_department(word: str, ctx) -> bool:
    """A name of the department itself, full or short as people say it ("宣传部" of 中国共产党广州市委员会宣传部,
    "政务数据局" of 惠州市政务服务数据管理局, "医保局" of 福州市医疗保障局, "高院" of 江苏省高级人民法院): a part of its
    name, or its characters in order, ending where the name ends (委员会 may end at 委, 办公室 at 办), and in the
    second case not the name of a row the document prints, nor inside one (a unit's, a project's). The one test for both the question's department
    (`without_department`) and a word a plan left over (`check`)."""
    dept, w = match_form(ctx.doc.department or ""), match_form(word)
    if len(w) < 2 or not dept or w[-1] not in _ends(dept):
        return False
    if w in dept:
        return True
    it = iter(dept)
    return all(c in it for c in w) and not any(
        w == c.key or (w in c.key and c.key[:c.key.find(w)] not in dept) for c in ctx.index.candidates
        if c.kind == "row")
    # (a row that starts with it, or with it after the name's own head, is the department's own project:
    # "广州市卫健委精细化管理平台…项目")


def _ends(dept: str) -> set[str]:
    """The characters a name of the department may end with: its last one and its body's ("委" of 委员会, "道"
    of 街道办事处: "街道" is what residents call it)."""
    return {dept[-1:], re.sub(r"(?:员会|公室|事处)$", "", dept)[-1:], re.sub(r"(?:办事处|办公厅)$", "", dept)[-1:]} - {""}


def _bare(rest: str) -> str:
    return re.sub(r"是多少|多少|是什么|的|吗|呢|？|\?", "", rest)
