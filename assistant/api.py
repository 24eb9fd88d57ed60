"""The assistant: `Assistant(store).ask(question, doc=None, history=None) -> Answer`.

Order of work: a question that spans documents (another year, another department, the whole store) goes to
`across`; otherwise `documents.choose` picks the one document (named department/year/kind, the conversation's
or picked document, the latest of one department) and its own name is taken out of the question; normalise
the question; refuse what the document cannot answer (other
years, other places, nothing it names); recognise the intent and the mentions (inheriting them from the
conversation for follow-ups); run the first handler that applies (`resolve`). With an LLM configured, the
model also proposes the plan (`model.review`: where it reads the question otherwise, the answer says so and
gives no figure unless both readings give the same), and the offline answer is handed to it to rephrase;
the guard keeps every figure tied to the tools' results.
The tool methods (`find_facts`, `calculate`, `search_text`) are what an LLM may call.
"""
from __future__ import annotations

import dataclasses
import os
import re
import threading
from dataclasses import replace
from decimal import Decimal


from . import across_documents, answer_narrative, answer_sets, answer_tables, documents, followup, lastyear, unit_totals
from . import compute as N
from .answer import Answer
from .check import NUMERIC, entity_of, failure, is_department, suggestions
from .compose import not_found, refusal
from .context import DocContext
from .lexicon import apply_english
from .question import courtesy_reply, is_english, normalize_question, strip_markup
from .plan import OPERATION, attach as _understood, clauses, parse, strip_preamble
from .undisclosed import later_year, one_persons_pay, outside_labels, undisclosed_period
from .understand import count_unit, foreign_organisations, foreign_places, intents, match_form, years_in

ORDER = ("when", "goal", "why", "definition", "previous", "change", "share_gap", "ratio", "share", "difference", "sum",
         "count", "max", "min", "list")
_N, _T, _S = answer_narrative, answer_tables, answer_sets
HANDLERS = {"when": _N.when, "why": _N.why, "definition": _N.definition, "goal": _N.goal, "previous": lastyear.previous,
            "change": _N.change, "list": _N.listing, "share": _T.share, "share_gap": _T.share_gap, "ratio": _T.ratio,
            "difference": _T.difference, "sum": _S.total, "count": _S.count,
            "max": lambda qq: _S.extreme(qq, True), "min": lambda qq: _S.extreme(qq, False)}
MAX_QUESTION_CHARS = 500     # longer questions are refused before any matching: bounded time per question


class Assistant:
    def __init__(self, store, llm=None, use_env_llm: bool = True, planner=None):
        """`llm` rewrites answers' text (`model.answerer`); `planner` (`model.review.PlanReview`) sets the
        model's plan beside the offline one. From the environment, a configured model does both."""
        self.store = store
        self._ctx: dict[str, DocContext] = {}
        self._lock = threading.Lock()
        if llm is None and use_env_llm and any(os.environ.get(k) for k in ("BUDGETQA_LLM_BASE_URL",
                                                                          "BUDGETQA_LLM_MODEL")):
            from .model.answerer import from_env        # only when configured: the adapter's imports cost a quarter second
            llm = from_env()
            if llm is not None and planner is None:
                from .model.review import planner_for
                planner = planner_for(llm.model)
        self.llm = llm
        self.planner = planner

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
        if len(raw) > MAX_QUESTION_CHARS:
            return Answer(question=raw[:MAX_QUESTION_CHARS] + "…", answerable=False, intent="too_long",
                          answer=f"问题太长（{len(raw)} 字），请缩短到 {MAX_QUESTION_CHARS} 字以内再问。")
        asked, raw = raw, strip_markup(raw) or raw     # links, images and tags say nothing about the budget
        if (polite := courtesy_reply(raw)) is not None:
            return Answer(question=asked, answer=polite[0], answerable=False, intent="courtesy", understood=polite[1])
        history = [h for h in history or [] if h.intent != "courtesy"]    # a "谢谢" between turns keeps the context
        conversation = (history[-1].doc if history and history[-1].doc else None) or picked
        if not doc:
            spanning = across_documents.answer(self, raw, conversation)      # another year / department / the whole store
            if spanning is not None:
                return replace(spanning, question=asked) if spanning.question != asked else spanning
        choice = self._choose_doc(raw, doc, conversation)
        ctx = self.context(choice.doc)
        offline = self._offline(documents.without_names(raw, ctx.doc), ctx, history)
        offline = replace(offline, question=asked) if offline.question != asked else offline
        if self.llm is not None and offline.answerable:
            offline = self.llm.answer(raw, offline, ToolBox(self, ctx))
        return documents.mark(offline, ctx.doc, choice)

    def _offline(self, raw: str, ctx: DocContext, history: list[Answer]) -> Answer:
        parts = clauses(normalize_question(raw))
        plans = [] if self.planner is not None else None
        answers, hist = [], list(history)
        earlier = history[-1].extra.get("clauses") if history and len(parts) == 1 else None
        if earlier and followup.swaps_subject(raw, lambda t: self._form(t, ctx)):
            # "公务接待费多少，比去年多还是少" → "公用经费呢": every part asked again of the new subject
            parts, hist = [raw] + [p for p, _ in earlier[1:]], hist[:-1] + [earlier[0][1]]
        for i, part in enumerate(parts):     # a compound question: each part in turn, the earlier parts as context
            if i and hist[-1].intent == "not-found":   # the part before found nothing: its subject still carries
                part = followup.with_subject(parts[i - 1], part, lambda t: self._form(t, ctx)) or part
            a = self._clause(raw, part if len(parts) > 1 else raw, ctx, hist, plans)
            answers.append((part, a))
            hist.append(a)
        if plans is not None:       # the model's plan beside the offline one (model/review.py)
            answers = self.planner.review(self, raw, answers, plans, ctx, history)
        if len(parts) < 2:
            return answers[0][1]
        both = combine(raw, answers, is_english(raw))
        return replace(both, extra={**both.extra, "clauses": tuple(answers)})

    def _form(self, asked: str, ctx: DocContext):
        """(text, match form, mentions) of one clause as asked."""
        text = normalize_question(strip_preamble(asked))
        q = ctx.index.question_form(documents.without_department(apply_english(text) if is_english(text) else text, ctx))
        return text, q, _entities(ctx, ctx.index.mentions(q))[0]

    def _clause(self, raw: str, asked: str, ctx: DocContext, history: list[Answer], plans: list | None = None) -> Answer:
        en = is_english(raw)
        text = normalize_question(strip_preamble(asked))
        q = ctx.index.question_form(documents.without_department(apply_english(text) if en else text, ctx))
        found = intents(q)
        d = ctx.doc
        label = f"{d.department}{d.year or ''}年{d.kind}" if d.department else d.id
        if d.year and any(y == d.year - 1 and not re.search(rf"[比较与]{y}", text) for y in years_in(text)):
            found = ["previous"] + [i for i in found if i != "previous"]      # "2023年…" in a 2024 budget
        if "change" in found and re.search(r"(?:和|与|跟|同|较|比)(?:去年|上年|上一年)", q):
            found = [i for i in found if i != "previous"]      # compared with last year: the change, not last year's figure
        if "change" in found and re.search(r"(?:比|较|相比于?|与)(?:年初预算|调整预算|预算数?|决算数?)", q):
            # "决算比年初预算增加了多少": against the budget named, not against last year
            found = [i for i in found if i not in ("change", "previous")] + (["difference"] if "difference" not in found else [])
        mentions = ctx.index.mentions(q)
        mentions, entities, extra = _entities(ctx, mentions)
        undisclosed = not_disclosed(text, q, mentions, ctx)
        if undisclosed:
            plan = parse(asked, q, mentions, found, entities, d.year, d.id, extra)
            if plans is not None:
                plans.append((plan, None))
            return _understood(refusal(raw, undisclosed[0], en, label, d.id, why=undisclosed[1]), plan, label)
        last = history[-1] if history else None
        asked_ops = set(found)
        fu = followup.resolve(text, q, mentions, entities, extra, found, last, HANDLERS,
                              lambda qx: _entities(ctx, ctx.index.mentions(qx)),
                              lambda m: _is_unit(ctx, m), en, documents.only_department(text, ctx))
        q, mentions, entities, extra, found, inherited = fu.q, fu.mentions, fu.entities, fu.extra, fu.found, fu.inherited
        if fu.shape == "dangling":
            plan = parse(asked, q, mentions, found, entities, d.year, d.id, extra)
            return not_found(raw, en, followup.DANGLING, [], d.id, plan.understood(doc_label=label, en=en))
        plan = parse(asked, q, mentions, found, entities, d.year, d.id, extra)
        if fu.unknown:          # English words nothing explains ("the salary of the director")
            plan = dataclasses.replace(plan, leftover=plan.leftover + fu.unknown)
        qq = answer_tables.Q(raw, text, q, found, mentions, en, ctx)
        if last is not None and inherited and last.extra.get("whole") is not None:
            qq.whole = last.extra["whole"]      # "最大的是哪个，占多少": of the set just compared
        if plans is not None:
            plans.append((plan, qq))
        ans = self.resolve(raw, text, plan, qq, label, unknown=tuple(fu.unknown))
        qualifiers = followup.repeats_previous(fu, text, last, ans)
        if qualifiers:
            alone = self._clause(raw, asked, ctx, [])      # the qualifier read on its own ("实有多少人")
            if followup.qualified(qualifiers, alone, last):
                return alone
            return not_found(raw, en, "问题里有上一问没有的限定词，找到的仍是上一问的数字；请把问题问完整", [], d.id,
                             plan.understood(doc_label=label, en=en))
        return followup.guard(raw, text, plan, qq, label, ans, history, asked_ops)

    def resolve(self, raw: str, text: str, plan, qq: answer_tables.Q, label: str, unknown: tuple = ()) -> Answer:
        """The first reading of `plan` (its intents and mentions in `qq`) that passes the checks, else an
        abstention. The same for the offline plan and a model's (`model.plan`). `unknown`: words of a follow-up that
        nothing explains (a sentence is then no answer)."""
        found, mentions, en, d = qq.intents, qq.mentions, qq.en, qq.ctx.doc
        rejected: list[str] = []

        def ok(ans):
            if ans is None:
                return None
            why = failure(plan, ans, qq)
            if why is None:
                return _understood(ans, plan, label)
            rejected.append(why)
            return None

        for name in ORDER:
            if name in found:
                try:
                    ans = ok(HANDLERS[name](qq))
                except (ValueError, ArithmeticError):
                    ans = None     # operands that cannot be combined (a % and an amount): try the next reading
                if ans is not None:
                    return ans
        if "count" in found and count_unit(text, qq.q) in ("人", "辆", "台", "平方米"):
            return _understood(refusal(raw, "这一数量", en, label, d.id, why="文件中没有写明这一数量"), plan, label)
        if "previous" in found or "change" in found or "why" in found:
            what = mentions[0].name if mentions else "所问内容"
            return _understood(refusal(raw, f"{what}的上年数或变化原因" if "why" not in found else f"{what}变化的原因",
                                       en, label, d.id), plan, label)
        numeric_asked = bool(set(found) & NUMERIC) or not found
        ans = unit_totals.answer(qq, plan, found) if rejected else None   # "X中心的预算收入": the unit's row
        if ans is not None:             # the unit's own row is the subject (as "X中心的收入是多少" reads it)
            ans = _understood(ans, plan, label)
            return replace(ans, extra={**ans.extra, "entity": None, "entity_spans": ()})
        if rejected:            # a reading failed its checks: only a stated figure that passes them may stand in
            ans = answer_narrative.narrative(qq)      # (what a thing is for is said in words: a sentence may stand in)
            if ans is not None and (ans.value is not None or "goal" in found) and ok(ans) is not None:
                return _understood(ans, plan, label)
            return not_found(raw, en, qq.why_not or rejected[0], suggestions(qq), d.id,
                             plan.understood(doc_label=label, en=en))
        if len(mentions) >= 2 and re.search(r"各是|各为|分别是|分别为|各多少|分别多少|respectively", text):
            ans = ok(answer_tables.each(qq))
            if ans is not None:
                return ans
        if mentions:
            ans = ok(answer_tables.value(qq))
            if ans is not None:
                return ans
        ans = ok(answer_sets.named_rows(qq) or (answer_sets.grand_total(qq) if re.search(r"一共|总共|全部|合计|总", text) else None))
        if ans is not None:
            return ans
        ans = answer_narrative.narrative(qq)
        if ans is not None and (rejected and numeric_asked or unknown) and ans.value is None:
            ans = None          # a figure failed its checks, or words are not understood: a sentence is no answer
        if ans is not None and ok(ans) is not None:        # (a sentence with no figure passes all but its own checks)
            return _understood(ans, plan, label)
        ans = unit_totals.answer(qq, plan, found) if rejected else None   # "X中心的预算收入": the unit's row
        if ans is not None:             # the unit's own row is the subject (as "X中心的收入是多少" reads it)
            ans = _understood(ans, plan, label)
            return replace(ans, extra={**ans.extra, "entity": None, "entity_spans": ()})
        if rejected or mentions or (numeric_asked and plan.leftover):
            why = qq.why_not or rejected[0] if qq.why_not or rejected else (f"问题中的“{'、'.join(plan.leftover)}”在文件中没有对应的项目"
                                                if plan.leftover else "")
            return not_found(raw, en, why, suggestions(qq), d.id,
                             plan.understood(doc_label=label, en=en))
        return _understood(refusal(raw, "这一内容", en, label, d.id, why="文件中没有找到与问题对应的数字或说明"), plan, label)


def _is_unit(ctx: DocContext, m) -> bool:
    """A mention that names a unit (单位) of the department, the department itself or its own level (本级)."""
    return entity_of(ctx, m) is not None or is_department(ctx, m.name) or \
        any(c.kind == "row" and c.key.endswith("本级") for c in m.candidates)


def _entities(ctx: DocContext, mentions):
    """(mentions, {index: unit}, spans explained by the department's own name). The department named beside
    another subject is the document itself, not a subject ("惠州市政务服务数据管理局的培训费"); another unit
    named beside a subject restricts it ("惠州市政务服务中心的人员经费")."""
    if len(mentions) < 2:
        return mentions, {}, []
    keep, ents, extra = [], {}, []
    for m in mentions:
        unit = entity_of(ctx, m)
        if unit is not None and is_department(ctx, unit):
            extra.append((m.start, m.end, "department"))
            continue
        if unit is not None:
            ents[len(keep)] = unit
        keep.append(m)
    if not keep:
        return mentions, {}, []
    return keep, ents, extra


def combine(raw: str, parts: list[tuple[str, Answer]], en: bool) -> Answer:
    """One answer to a compound question: every part answered in turn, or said plainly not found."""
    texts, cits, und = [], [], []
    for part, a in parts:
        body = a.answer.split("\n\n**")[0] if a.answerable else (
            f"“{part}”：" + a.answer.split("\n")[0])
        texts.append(body)
        cits += [c for c in a.citations if c not in cits]
        und.append((a.understood or "").replace("理解为：", ""))
    first = next((a for _, a in parts if a.answerable), None)
    calc = "；".join(a.calculation for _, a in parts if a.calculation) or None
    body = "\n\n".join(texts)
    if cits:
        from .compose import sources_md
        body += "\n\n" + (("**Working**: " if en else "**计算**：") + calc + "\n\n" if calc else "") + \
            sources_md(tuple(cits), en)
    if first is None or not parts[0][1].answerable:
        # the principal part not found: the other parts' figures are shown, but the question is not answered
        # by them ("X多少？其中Y多少？" is not answered by Y)
        return dataclasses.replace(parts[0][1], question=raw, answer=body, understood="理解为：" + "；".join(und),
                                   citations=tuple(cits))
    return dataclasses.replace(first, question=raw, answer=body, citations=tuple(cits), calculation=calc,
                               understood="理解为：" + "；".join(und), subject=parts[-1][1].subject or first.subject,
                               intent=parts[-1][1].intent if parts[-1][1].answerable else first.intent)


def _outside_names(q: str, mentions, word: str) -> str:
    """The question without the document's names that contain `word` ("决算汇审会" in a 预算 asks for no 决算)."""
    for m in sorted(mentions or (), key=lambda m: -m.start):
        if any(word in c.key for c in m.candidates) and word in q[m.start:m.end]:
            q = q[:m.start] + " " + q[m.end:]
    return q


def not_disclosed(text: str, q: str, mentions, ctx: DocContext) -> tuple[str, str] | None:
    """(what, why) when the question asks for something a department budget of this year cannot contain:
    another year, the other kind (决算/预算), a whole city's figures, averages, another body or place, or a
    qualifier the document never mentions ("局长的工资")."""
    d = ctx.doc
    other_kind = "决算" if d.kind == "预算" else "预算"
    bare = outside_labels(_outside_names(q, mentions, other_kind), mentions)   # the words asked, beside row names
    if other_kind in text and d.kind not in bare and other_kind in bare:
        return f"{other_kind}数", f"本文件是{d.kind}，不含{other_kind}"
    for y in years_in(text):
        if d.year and y not in (d.year, d.year - 1):
            return f"{y}年的数据", f"本文件只含{d.year}年{d.kind}"
    if later_year(q):
        return f"{later_year(q)}的数据", f"本文件只含{d.year or '本'}年{d.kind}"
    pay = one_persons_pay(q)
    if pay:
        return f"“{pay}”", "预算只列部门的工资福利支出，不列个人收入"
    period = undisclosed_period(q, ctx)
    if period:
        return f"{period}的数字", f"本文件按年度编列{d.kind}，没有{period}的数字"
    if _NEXT_YEAR.search(text.lower()):       # "那明年呢": a year after the document's own
        return ("下一年度的数据" if not d.year else f"{d.year + 1}年的数据"), f"本文件只含{d.year or ''}年{d.kind}"
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


_NEXT_YEAR = re.compile(r"明年|下一年|下年度|后年|next year|the following year")
_SCOPE = re.compile(r"全(?:市|省|国|区|县)(?:的)?(?:一般公共预算|政府性基金|财政|总|全部)?(?:收入|支出|预算|财政)")
_AVERAGE = re.compile(r"人均|平均每人|平均工资|平均收入|平均")
_QUAL = re.compile(r"([\u4e00-\u9fff]{2,8})的")
_QUAL_OK = re.compile(r"^(?:请问|我想知道|想知道|告诉我)?(?:今年|去年|本年|上年|明年|全年|一年|每年|年度|本年度|上年度|当年|"
                      r"本部门|部门|单位|本单位|政府|我们|咱们|你们|他们|它|其|这个|那个|哪个|哪些|这些|所有|全部|各项|其中|"
                      r"涉及|包括|包含|纳入|这里|那里|这儿|此处|文中|文件中|表中|里面)$")


def unknown_qualifier(text: str, q: str, mentions, ctx: DocContext) -> str | None:
    """'局长的工资' names something ("局长") the document never mentions: the figure asked for is not there."""
    for m in _QUAL.finditer(text):
        x = re.sub(r"^(?:请问|我想知道|想知道|告诉我|查一下|问一下)", "", m.group(1))
        if len(x) < 2 or _QUAL_OK.match(x) or documents.names_department(x, ctx):
            continue          # (the department by a short name: "发改委的培训费")
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
