"""The assistant: `Assistant(store).ask(question, doc=None, history=None) -> Answer`.

Order of work: a question that spans documents (another year, another department, the whole store) goes to
`across`; otherwise `documents.choose` picks the one document (named department/year/kind, the conversation's
or picked document, the latest of one department) and its own name is taken out of the question; normalise
the question; refuse what the document cannot answer (other
years, other places, nothing it names); recognise the intent and the mentions (inheriting them from the
conversation for follow-ups); run the first handler that applies. With an LLM configured, the offline answer
is handed to it to rephrase; the guard keeps every figure tied to the tools' results.
The tool methods (`find_facts`, `calculate`, `search_text`) are what an LLM may call.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import replace
from decimal import Decimal


from . import across, documents, explain, handlers, sets
from . import numeric as N
from .answer import Answer
from .compose import refusal
from .context import DocContext
from .lexicon import apply_english
from .normalize import is_english, normalize_question
from .understand import count_unit, foreign_organisations, foreign_places, intents, match_form, years_in

ORDER = ("when", "goal", "why", "definition", "previous", "change", "share", "difference", "sum", "count", "max", "min",
         "list")
HANDLERS = {"when": explain.when, "why": explain.why, "definition": explain.definition, "goal": explain.goal,
            "previous": explain.previous, "change": explain.change, "share": handlers.share,
            "difference": handlers.difference, "sum": sets.total, "count": sets.count,
            "max": lambda qq: sets.extreme(qq, True), "min": lambda qq: sets.extreme(qq, False),
            "list": explain.listing}
_FOLLOW_UP = re.compile(r"^(?:那|那么|那个|还有|再问|and|what about|how about)|呢[?？]?$", re.I)


class Assistant:
    def __init__(self, store, llm=None, use_env_llm: bool = True):
        self.store = store
        self._ctx: dict[str, DocContext] = {}
        self._lock = threading.Lock()
        if llm is None and use_env_llm and any(os.environ.get(k) for k in ("BUDGETQA_LLM_BASE_URL",
                                                                          "BUDGETQA_LLM_MODEL")):
            from .llm import from_env        # only when configured: the adapter's imports cost a quarter second
            llm = from_env()
        self.llm = llm

    # -- documents ---------------------------------------------------------------------------------
    def context(self, doc_id: str) -> DocContext:
        with self._lock:
            if doc_id not in self._ctx:
                self._ctx[doc_id] = DocContext(self.store, self.store.load(doc_id))
            return self._ctx[doc_id]

    def forget(self, doc_id: str) -> None:
        """Drop a document's context (after it was re-ingested or removed)."""
        with self._lock:
            self._ctx.pop(doc_id, None)

    def _choose_doc(self, question: str, doc: str | None, conversation: str | None = None):
        return documents.choose(self.store, question, doc, conversation)

    # -- answering ---------------------------------------------------------------------------------
    def ask(self, question: str, doc: str | None = None, history: list[Answer] | None = None,
            picked: str | None = None) -> Answer:
        """`doc` fixes the document; `picked` (the app's document picker) is only the default for a question that
        names no department, like the conversation's document."""
        raw = (question or "").strip()
        if not raw:
            return Answer(question=question or "", answer="请输入一个问题，例如：“公务接待费是多少？”", answerable=False,
                          intent="empty")
        conversation = (history[-1].doc if history and history[-1].doc else None) or picked
        if not doc:
            spanning = across.answer(self, raw, conversation)      # another year / department / the whole store
            if spanning is not None:
                return spanning
        choice = self._choose_doc(raw, doc, conversation)
        ctx = self.context(choice.doc)
        offline = self._offline(documents.without_names(raw, ctx.doc), ctx, history or [])
        offline = replace(offline, question=raw) if offline.question != raw else offline
        if self.llm is not None and offline.answerable:
            offline = self.llm.answer(raw, offline, ToolBox(self, ctx))
        return documents.mark(offline, ctx.doc, choice)

    def _offline(self, raw: str, ctx: DocContext, history: list[Answer]) -> Answer:
        en = is_english(raw)
        text = normalize_question(raw)
        q = ctx.index.question_form(apply_english(text) if en else text)
        found = intents(q)
        d = ctx.doc
        label = f"{d.department}{d.year or ''}年{d.kind}" if d.department else d.id
        if d.year and any(y == d.year - 1 and not re.search(rf"[比较与]{y}", text) for y in years_in(text)):
            found = ["previous"] + [i for i in found if i != "previous"]      # "2023年…" in a 2024 budget
        mentions = ctx.index.mentions(q)
        undisclosed = not_disclosed(text, q, mentions, ctx)
        if undisclosed:
            return refusal(raw, undisclosed[0], en, label, d.id, why=undisclosed[1])
        last = history[-1] if history else None
        if last is not None and (not mentions or _FOLLOW_UP.search(text)):
            if not mentions and last.subject:
                q2 = match_form(last.subject) + q
                mentions = ctx.index.mentions(q2)
                q = q2
            if not found and last.intent in HANDLERS:
                found = [last.intent]
        qq = handlers.Q(raw, text, q, found, mentions, en, ctx)
        for name in ORDER:
            if name in found:
                try:
                    ans = HANDLERS[name](qq)
                except (ValueError, ArithmeticError):
                    ans = None     # operands that cannot be combined (a % and an amount): try the next reading
                if ans is not None:
                    return ans
        if "count" in found and count_unit(text, q) in ("人", "辆", "台", "平方米"):
            return refusal(raw, "这一数量", en, label, d.id, why="文件中没有写明这一数量")
        if "previous" in found or "change" in found or "why" in found:
            what = mentions[0].name if mentions else "所问内容"
            return refusal(raw, f"{what}的上年数或变化原因" if "why" not in found else f"{what}变化的原因", en, label, d.id)
        if len(mentions) >= 2 and re.search(r"各是|各为|分别是|分别为|各多少|分别多少|respectively", text):
            ans = handlers.each(qq)
            if ans is not None:
                return ans
        if mentions:
            ans = handlers.value(qq)
            if ans is not None:
                return ans
        ans = sets.named_rows(qq) or (sets.grand_total(qq) if re.search(r"一共|总共|全部|合计|总", text) else None)
        if ans is not None:
            return ans
        ans = explain.narrative(qq)
        if ans is not None:
            return ans
        return refusal(raw, "这一内容", en, label, d.id, why="文件中没有找到与问题对应的数字或说明")


def not_disclosed(text: str, q: str, mentions, ctx: DocContext) -> tuple[str, str] | None:
    """(what, why) when the question asks for something a department budget of this year cannot contain:
    another year, the other kind (决算/预算), a whole city's figures, averages, another body or place, or a
    qualifier the document never mentions ("局长的工资")."""
    d = ctx.doc
    other_kind = "决算" if d.kind == "预算" else "预算"
    if other_kind in text and d.kind not in text:
        return f"{other_kind}数", f"本文件是{d.kind}，不含{other_kind}"
    for y in years_in(text):
        if d.year and y not in (d.year, d.year - 1):
            return f"{y}年的数据", f"本文件只含{d.year}年{d.kind}"
    scope = _SCOPE.search(text)
    if scope:
        return f"{scope.group(0)}的数据", "部门预算只含本部门的收支"
    if _AVERAGE.search(text):
        return "人均或平均数", "预算文件不按人列支，本工具也不推算平均数"
    orgs = foreign_organisations(text, ctx.index)
    if orgs:
        return f"{'、'.join(orgs)}的数据", "本文件只含本部门的预算"
    places = foreign_places(text, ctx.index)
    if places:
        return f"{'、'.join(places)}的数据", ""
    unknown = unknown_qualifier(text, q, mentions, ctx)
    if unknown:
        return f"“{unknown}”的数据", f"文件中没有“{unknown}”"
    return None


_SCOPE = re.compile(r"全(?:市|省|国|区|县)(?:的)?(?:一般公共预算|政府性基金|财政|总|全部)?(?:收入|支出|预算|财政)")
_AVERAGE = re.compile(r"人均|平均每人|平均工资|平均收入|平均")
_QUAL = re.compile(r"([\u4e00-\u9fff]{2,8})的")
_QUAL_OK = re.compile(r"^(?:请问|我想知道|想知道|告诉我)?(?:今年|去年|本年|上年|明年|全年|年度|本年度|上年度|当年|"
                      r"本部门|部门|单位|本单位|政府|我们|你们|他们|它|其|这个|那个|哪个|哪些|这些|所有|全部|各项|其中)$")


def unknown_qualifier(text: str, q: str, mentions, ctx: DocContext) -> str | None:
    """'局长的工资' names something ("局长") the document never mentions: the figure asked for is not there."""
    for m in _QUAL.finditer(text):
        x = re.sub(r"^(?:请问|我想知道|想知道|告诉我|查一下|问一下)", "", m.group(1))
        if len(x) < 2 or _QUAL_OK.match(x):
            continue
        key = match_form(x)
        at = q.find(key + "的")
        if at < 0 or not any(mm.start == at + len(key) + 1 for mm in mentions):
            continue              # only a qualifier of the thing asked about can make it undisclosed
        if key in ctx.index.doc_text or any(key[i:i + 2] in ctx.index.doc_text for i in range(len(key) - 1)):
            continue
        pos = q.find(key)
        if pos >= 0 and any(pos < mm.end and mm.start < pos + len(key) for mm in mentions):
            continue
        if any(key in match_form(c.name) or match_form(c.name) in key for mm in mentions for c in mm.candidates):
            continue
        return x
    return None


class ToolBox:
    """The tools an LLM may call, over one document; results are plain JSON-able dicts."""

    def __init__(self, bot: Assistant, ctx: DocContext):
        self.bot, self.ctx = bot, ctx

    def find_facts(self, query: str, limit: int = 8) -> list[dict]:
        q = self.ctx.index.question_form(normalize_question(query))
        out = []
        for m in self.ctx.index.mentions(q):
            for c in m.candidates:
                for f in c.facts[:limit]:
                    cit = self.ctx.fact_citation(f)
                    out.append({"id": f"{f.table}:{f.row_index}:{f.column}", "table": cit.source, "row": f.row,
                                "path": list(f.path), "column": f.column, "value": str(f.value), "unit": f.unit,
                                "page": f.page, "quote": cit.quote})
                if c.figure:
                    fig = c.figure
                    out.append({"id": f"{fig.section}:{fig.subject}", "table": fig.heading, "row": fig.subject,
                                "path": [], "column": "", "value": str(fig.value), "unit": fig.unit,
                                "page": fig.page, "quote": fig.quote})
        return out[:limit]

    def _operand(self, ref: str) -> N.Operand:
        for f in self.ctx.parsed.facts:
            if ref == f"{f.table}:{f.row_index}:{f.column}":
                return N.Operand(f.row, f.value, f.unit, self.ctx.fact_citation(f))
        m = re.fullmatch(r"\s*(-?[\d,]+(?:\.\d+)?)\s*(万元|亿元|元|%)?\s*", ref)
        if not m:
            raise ValueError(f"unknown operand {ref!r}: give a fact id from find_facts or a number")
        return N.Operand(ref, Decimal(m.group(1).replace(",", "")), m.group(2) or "万元")

    def calculate(self, op: str, operands: list[str], unit: str | None = None) -> dict:
        ops = [self._operand(o) for o in operands]
        fn = {"sum": lambda: N.total(ops), "difference": lambda: N.difference(*ops[:2]),
              "share": lambda: N.share(*ops[:2]), "ratio": lambda: N.ratio(*ops[:2]),
              "growth": lambda: N.growth(*ops[:2]), "convert": lambda: N.to_unit(ops[0], unit or "元")}
        if op not in fn:
            raise ValueError(f"unknown op {op!r}: use one of {sorted(fn)}")
        r = fn[op]()
        return {"value": N.plain(r.value, r.unit), "unit": r.unit, "formula": r.formula}

    def search_text(self, query: str, k: int = 5) -> list[dict]:
        hits = self.ctx.retriever.hybrid(query, k=k)
        return [{"source": c.source, "section": c.source, "page": c.page, "quote": c.text} for c, _ in hits]
