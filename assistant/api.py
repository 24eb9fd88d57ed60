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
The tools an LLM may call (`find_facts`, `calculate`, `search_text`) are in model/tools.py; what a year's
budget cannot disclose is refused by `undisclosed.not_disclosed`.
"""
from __future__ import annotations

import dataclasses
import os
import re
import threading
from dataclasses import replace


from . import across_documents, answer_arithmetic, answer_counts, answer_lists, answer_narrative, answer_sets, answer_tables
from . import answer_changes, answer_passages, averages, documents, followup, fragments, indicators, lastyear, rosters
from . import unit_totals
from .answer import Answer
from .asked import WITHHELD
from .check import NUMERIC, SHARED_NAME, entity_of, failure, is_department, suggestions
from .compose import not_found, refusal
from .context import DocContext
from .lexicon import apply_english
from .question import courtesy_reply, is_english, normalize_question, strip_markup
from .plan import AS_OF, AS_OF_EN, attach as _understood, change_is_given, clauses, parse, strip_preamble
from .undisclosed import not_disclosed
from .question_words import count_unit, intents, years_in

ORDER = ("when", "goal", "why", "definition", "previous", "change", "average", "share_gap", "ratio", "share", "difference", "sum",
         "count", "max", "min", "list")
_N, _T, _C = answer_narrative, answer_arithmetic, answer_counts
HANDLERS = {"when": _N.when, "why": answer_changes.why, "definition": _N.definition, "goal": _N.goal, "previous": lastyear.previous,
            "change": answer_changes.change, "list": answer_lists.listing, "share": _T.share, "share_gap": _T.share_gap, "ratio": _T.ratio,
            "difference": _T.difference, "sum": answer_sets.total, "count": _C.count, "average": averages.per_unit,
            "max": lambda qq: _C.extreme(qq, True), "min": lambda qq: _C.extreme(qq, False)}
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
        offline = self._offline(documents.without_names(raw, ctx.doc, ctx), ctx, history)
        offline = replace(offline, question=asked) if offline.question != asked else offline
        if self.llm is not None and offline.answerable:
            from .model.tools import ToolBox
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
            if i and re.match(r"其中", part):   # "X中心预算总额多少？其中项目支出多少": X中心's part
                part = self._of_unit(parts[i - 1], part, ctx)
            a = answer_lists.told_before(part, hist[-1], is_english(raw)) if i else None
            a = a or self._clause(raw, part if len(parts) > 1 else raw, ctx, hist, plans)
            answers.append((part, a))
            hist.append(a)
        if plans is not None:       # the model's plan beside the offline one (model/review.py)
            answers = self.planner.review(self, raw, answers, plans, ctx, history)
        if len(parts) < 2:
            return answers[0][1]
        both = combine(raw, answers, is_english(raw))
        return replace(both, extra={**both.extra, "clauses": tuple(answers)})

    def _of_unit(self, before: str, part: str, ctx: DocContext) -> str:
        """"其中…" after a clause about one of the department's units: the part asked of that unit."""
        from .check import entity_of, is_department
        def units(t):
            return {u for m in self._form(t, ctx)[2] if (u := entity_of(ctx, m)) and not is_department(ctx, u)}
        named = units(before)
        if len(named) == 1 and not units(part):
            return f"{next(iter(named))}的{re.sub(r'^其中[：:，,]?', '', part)}"
        return part

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
        dated = AS_OF_EN.sub("", AS_OF.sub("", text))     # (not the date of a stock: "截至2025年底有几辆车")
        if d.year and any(y == d.year - 1 and not re.search(rf"[比较与]{y}", text) for y in years_in(dated)):
            found = ["previous"] + [i for i in found if i != "previous"]      # "2023年…" in a 2024 budget
        if change_is_given(text, d.year):
            found = ["previous"] + [i for i in found if i not in ("change", "previous", "difference")]
        elif "change" in found and re.search(r"(?:和|与|跟|同|较|比)(?:去年|上年|上一年)|增长率|增幅|降幅", q):
            found = [i for i in found if i != "previous"]      # compared with last year: the change, not last year's figure
        if "change" in found and re.search(r"(?:比|较|相比于?|与)(?:年初预算|调整预算|预算数?|决算数?)", q):
            # "决算比年初预算增加了多少": against the budget named, not against last year
            found = [i for i in found if i not in ("change", "previous")] + (["difference"] if "difference" not in found else [])
        if "list" in found and "definition" not in found and re.search(r"(?:包括|包含)了?(?:哪些|什么|哪几)", text) \
                and answer_passages.defines(ctx, q):
            found = ["definition"] + found      # "基本支出包括哪些": what the glossary says it includes
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
        names_unit = any(_is_unit(ctx, m) for m in mentions)
        fu = followup.resolve(text, q, mentions, entities, extra, found, last, HANDLERS,
                              lambda qx: _entities(ctx, ctx.index.mentions(qx)),
                              lambda m: _is_unit(ctx, m), en, documents.only_department(text, ctx))
        q, mentions, entities, extra, found, inherited = fu.q, fu.mentions, fu.entities, fu.extra, fu.found, fu.inherited
        if fu.shape == "dangling":
            plan = parse(asked, q, mentions, found, entities, d.year, d.id, extra)
            why = fu.notes[0] if fu.notes else followup.DANGLING
            return not_found(raw, en, why, [], d.id, plan.understood(doc_label=label, en=en))
        plan = parse(asked, q, mentions, found, entities, d.year, d.id, extra)
        unknown = fu.unknown or (followup.english_unexplained(text) if en else ())
        if unknown:             # English words nothing explains ("the salary of the director")
            plan = dataclasses.replace(plan, leftover=plan.leftover + tuple(unknown))
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
        if last is not None and last.unit == "%" and ans.answerable and ans.unit != "%" and fu.inherited and \
                "previous" in asked_ops and not mentions_own(fu):
            return not_found(raw, en, "上一问是占比，问的是去年的占比；文件没有直接写出去年的占比，找到的是去年的金额", [],
                             d.id, plan.understood(doc_label=label, en=en))     # "那去年呢" after a share
        why = fragments.loose(text, ans, history, names_unit)
        if why or not ans.answerable or ans.value is None:
            said = fragments.in_last_sentence(qq, text, fragments.anchor(history)) if not names_unit else None
            if said is not None and failure(plan, said, qq) is None:
                return _understood(said, plan, label)
        if why:
            return not_found(raw, en, why, suggestions(qq), d.id, plan.understood(doc_label=label, en=en))
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
            if why.startswith(WITHHELD):        # "项目涉密，不予公开": the document says it is not disclosed
                return _understood(refusal(raw, "这一内容", en, label, d.id, why=why), plan, label)
            rejected.append(why)
            return None

        ans = ok(rosters.answer(qq))         # "部门预算包括哪些/多少个单位": the numbered list of units
        if ans is not None:
            return ans
        for name in ORDER:
            if name in found:
                try:
                    ans = ok(HANDLERS[name](qq))
                except (ValueError, ArithmeticError):
                    ans = None     # operands that cannot be combined (a % and an amount): try the next reading
                if ans is not None:
                    return ans
        ans = indicators.target(qq)         # a performance target's value, read as the 绩效目标表 prints it
        if ans is not None:
            return _understood(ans, plan, label)
        if len(mentions) >= 2 and re.search(r"各是|各为|各(?:安排|花|有|列)?了?多少|分别|respectively", text):
            ans = ok(answer_tables.each(qq))        # "A和B分别是多少": each figure (a list reading may have failed)
            if ans is not None:
                return ans
        if "count" in found and not rejected and count_unit(text, qq.q) in ("人", "辆", "台", "平方米"):
            # (a count found and rejected is no "not disclosed": the abstention below says why, with it)
            return _understood(refusal(raw, "这一数量", en, label, d.id, why="文件中没有写明这一数量"), plan, label)
        if "previous" in found or "change" in found or "why" in found:
            what = mentions[0].name if mentions else "所问内容"
            return _understood(refusal(raw, f"{what}的上年数或变化原因" if "why" not in found else f"{what}变化的原因",
                                       en, label, d.id), plan, label)
        numeric_asked = bool(set(found) & NUMERIC) or not found
        ans = (unit_totals.answer(qq, plan, found) or unit_totals.compare(qq, plan, found) or
               unit_totals.unit_budget(qq, plan, found)) if rejected else None
        if ans is not None:             # the unit's own row is the subject (as "X中心的收入是多少" reads it)
            ans = _understood(ans, plan, label)
            return replace(ans, extra={**ans.extra, "entity": None, "entity_spans": ()})
        if rejected:            # a reading failed its checks: only a stated figure that passes them may stand in
            ans = answer_narrative.narrative(qq)      # (what a thing is for is said in words: a sentence may stand in)
            ans = _stands_in(ans, rejected)
            if ans is not None and (ans.value is not None or "goal" in found) and ok(ans) is not None:
                return _understood(ans, plan, label)
            return not_found(raw, en, qq.why_not or rejected[0], suggestions(qq), d.id,
                             plan.understood(doc_label=label, en=en))
        if mentions:
            ans = ok(answer_tables.value(qq))
            if ans is not None:
                return ans
        ans = ok(answer_sets.named_rows(qq) or (answer_sets.grand_total(qq) if re.search(r"一共|总共|全部|合计|总", text) else None))
        if ans is not None:
            return ans
        ans = answer_narrative.narrative(qq)
        ans = _stands_in(ans, rejected)
        if ans is not None and (rejected and numeric_asked or unknown) and ans.value is None:
            ans = None          # a figure failed its checks, or words are not understood: a sentence is no answer
        if ans is not None and ok(ans) is not None:        # (a sentence with no figure passes all but its own checks)
            return _understood(ans, plan, label)
        ans = (unit_totals.answer(qq, plan, found) or unit_totals.compare(qq, plan, found) or
               unit_totals.unit_budget(qq, plan, found)) if rejected else None
        if ans is not None:             # the unit's own row is the subject (as "X中心的收入是多少" reads it)
            ans = _understood(ans, plan, label)
            return replace(ans, extra={**ans.extra, "entity": None, "entity_spans": ()})
        if rejected or mentions or (numeric_asked and plan.leftover):
            why = qq.why_not or rejected[0] if qq.why_not or rejected else (f"问题中的“{'、'.join(plan.leftover)}”在文件中没有对应的项目"
                                                if plan.leftover else "")
            return not_found(raw, en, why, suggestions(qq), d.id,
                             plan.understood(doc_label=label, en=en))
        return _understood(refusal(raw, "这一内容", en, label, d.id, why="文件中没有找到与问题对应的数字或说明"), plan, label)


def mentions_own(fu) -> bool:
    """The follow-up names a subject of its own (not only the one carried over)."""
    return fu.shape in ("own", "subject") and not fu.inherited


def _stands_in(ans: Answer | None, rejected: list[str]) -> Answer | None:
    """A sentence's figure may stand in for a rejected reading, except when the reading was rejected for a name
    several things share: a sentence about one of them does not say which was meant."""
    if ans is not None and ans.value is not None and any(w.startswith(SHARED_NAME) for w in rejected):
        return None
    return ans


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
    from .compose import distinct
    cits = list(distinct(cits))
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
