"""The model's plan beside the offline one: agree, or say so and take the safer.

`PlanReview.review(bot, raw, answers, plans, ctx, history)` is called with the offline answers of a
question's clauses and their plans (`Assistant._offline`). It asks the model for its plan
(`plan.ModelPlanner`), with the document's labels closest to the question, then for each clause:

- the model's plan cannot be used (unreachable, timeout, invalid JSON, schema violation, a label not in the
  document, a number): the offline answer stands; one line is logged and `extra["plan_fallback"]` says why.
- the model reads the clause as the offline parse did (same operation, subjects and entity): the offline
  answer stands, `extra["model_plan"]` records the agreement.
- they differ: the model's plan goes through the same resolver and checks (`Assistant.resolve`). The
  offline answer states no figure (a text answer, an abstention), or the model's reading gives the same
  figure: the offline answer stands (an abstention gains the model's figure among its suggestions, as not
  the answer). The offline figure is not what the model's reading gives: no figure is given — an abstention
  whose suggestions are the figures found. Either way `understood` adds the model's reading and `note`
  says they differ.

Compound questions: the model's parts are matched with the offline clauses by position when they are as
many, else each clause is compared with every part. Not handled: questions spanning documents (`across`
answers those offline), a conversation's inherited subject beyond the previous answer's subject.
"""
from __future__ import annotations

import dataclasses
import logging

from ..answer import Answer
from ..compose import not_found
from ..question import is_english, normalize_question
from ..plan import strip_preamble
from ..understand import match_form
from .plan import (Labels, ModelPlanner, PlanRejected, ProposedPart, candidate_labels, from_plan, mentions_for,
                   reading, to_plan)

log = logging.getLogger("budgetqa.model")

OPERATION_INTENT = {"value": None, "share": "share", "ratio": "ratio", "difference": "difference", "sum": "sum",
                    "count": "count", "max": "max", "min": "min", "list": "list", "previous": "previous",
                    "change": "change", "why": "why", "define": "definition", "describe": "goal", "when": "when",
                    "difference of shares": "share_gap", "compare": "compare"}


def planner_for(model) -> "PlanReview":
    """The review of plans proposed by `model` (a `ChatModel`)."""
    return PlanReview(ModelPlanner(model))


class PlanReview:
    def __init__(self, planner: ModelPlanner):
        self.planner = planner

    def review(self, bot, raw: str, answers: list[tuple[str, Answer]], plans: list, ctx,
               history: list[Answer]) -> list[tuple[str, Answer]]:
        if len(plans) != len(answers):          # cannot happen: every clause reports its plan
            return answers
        found = tuple(r.subject for p, _ in plans for r in p.operands)
        labels = candidate_labels(ctx, " ".join(p.q for p, _ in plans), found)
        previous = history[-1].subject if history and history[-1].subject else None
        try:
            proposed = self.planner.propose(raw, labels, previous)
        except PlanRejected as e:
            log.warning("model plan not used (%s): %s; answered with the offline plan", e.kind, e)
            return [(part, _with_extra(a, plan_fallback=f"{e.kind}: {e}")) for part, a in answers]
        parts = proposed.parts
        out = []
        for i, ((part, offline), (plan, qq)) in enumerate(zip(answers, plans)):
            mine = [parts[i]] if len(parts) == len(answers) else list(parts)
            try:
                out.append((part, self._one(bot, raw, part, offline, plan, qq, mine, ctx, labels)))
            except Exception as e:    # noqa: BLE001 — the model's side never costs the offline answer
                log.warning("model plan not reviewed (%s: %s); answered with the offline plan", type(e).__name__, e)
                out.append((part, _with_extra(offline, plan_fallback=f"review_error: {type(e).__name__}: {e}")))
        return out

    def _one(self, bot, raw: str, part: str, offline: Answer, plan, qq, mine: list[ProposedPart], ctx,
             labels: Labels) -> Answer:
        d = ctx.doc
        ours = reading(from_plan(plan), d.department, d.year)
        alt_op = OPERATION_INTENT_REVERSE.get(offline.intent)
        agree = [p for p in mine if reading(p, d.department, d.year) in
                 (ours, (alt_op, ours[1], ours[2]))]
        trace = {"model": self.planner.model.name, "parts": [p.model_dump(mode="json") for p in mine]}
        if agree:
            return _with_extra(offline, model_plan={**trace, "agrees": True})
        label = f"{d.department}{d.year or ''}年{d.kind}" if d.department else d.id
        en = is_english(raw)
        theirs = []
        for p in mine:
            mplan = to_plan(p, plan, ctx.index)
            theirs.append((mplan, self._resolve(bot, raw, part, mplan, qq, ctx, label)))
        mline = "；".join((m.understood(doc_label=label).replace("理解为：", "")) for m, _ in theirs)
        understood = (offline.understood or plan.understood(doc_label=label)) + f"；模型理解为：{mline}（与上不同）"
        trace = {**trace, "agrees": False, "model_answers": [(a.value, a.unit, a.answerable) for _, a in theirs]}
        figure = _figure(offline)
        theirs_found = [a for _, a in theirs if _figure(a) is not None and a.citations]
        if figure is None or any(_figure(a) == figure for _, a in theirs):
            # nothing stated that the model's reading contradicts: the offline answer stands, with the note
            note = ("The model read the question differently; the offline reading is kept." if en else
                    "模型对问题的理解与离线解析不同，按离线解析作答。")
            if figure is not None:
                note = ("The model read the question differently; both readings give the same figure." if en else
                        "模型对问题的理解与离线解析不同，两种理解得到同一数字。")
            kept = dataclasses.replace(_with_extra(offline, model_plan=trace), understood=understood, note=note)
            if not offline.answerable and theirs_found:      # the model's figure, shown as not the answer
                kept = dataclasses.replace(kept, suggestions=(tuple(_suggestion(a) for a in theirs_found) +
                                                              offline.suggestions)[:3])
            return kept
        sugg = [_suggestion(a) for a in [offline] + theirs_found if a.citations][:3]
        why = ("两种理解（离线解析与模型）得到的数字不同，为免答错不作回答" if theirs_found else
               "模型对问题的理解与离线解析不同，按模型的理解找不到确切的数字，为免答错不作回答")
        ans = not_found(offline.question, en, why, sugg, d.id, understood)
        note = ("The model and the offline parse read the question differently and do not lead to the same figure: "
                "no figure is given." if en else "模型与离线解析对问题的理解不同，得不到同一数字，故不给出数字。")
        return dataclasses.replace(ans, note=note, subject=offline.subject,
                                   extra={**offline.extra, "model_plan": trace})

    @staticmethod
    def _resolve(bot, raw: str, part: str, mplan, qq, ctx, label: str) -> Answer:
        from ..answer_tables import Q
        if qq is None:            # the offline parse refused (the document cannot contain it): nothing to resolve
            return Answer(question=raw, answer="", answerable=False, intent="refuse")
        text = normalize_question(strip_preamble(part))
        intent = OPERATION_INTENT.get(mplan.operation)
        mq = Q(raw, text, mplan.q, [intent] if intent else [], mentions_for(ctx, mplan), qq.en, ctx)
        try:
            a = bot.resolve(raw, text, mplan, mq, label)
        except (ValueError, ArithmeticError, LookupError) as e:
            log.warning("model plan could not be resolved: %s", e)
            a = None
        if a is None or not _about(a, mplan):
            return Answer(question=raw, answer="", answerable=False, intent="not-found")
        return a


OPERATION_INTENT_REVERSE = {"lookup": "value", **{v: k for k, v in OPERATION_INTENT.items() if v}}


def _figure(a: Answer):
    if not a.answerable or a.value is None:
        return None
    from decimal import Decimal, InvalidOperation
    try:
        return Decimal(str(a.value).replace(",", "")), a.unit
    except InvalidOperation:
        return a.value, a.unit


def _about(a: Answer, mplan) -> bool:
    """The answer is about what the model's plan names (the resolver's fallbacks read the question's own
    text: a sentence found that way is the offline reading, not the model's)."""
    names = [match_form(x) for r in mplan.operands for x in (r.subject, r.measure, r.entity) if x]
    if not a.answerable or not names:
        return True
    if a.subject:
        s = match_form(a.subject)
        return any(s in n or n in s for n in names)
    return any(n in match_form(c.quote) or n in match_form(c.source) for c in a.citations for n in names)


def _suggestion(a: Answer) -> dict:
    return {"text": a.subject or (a.understood or "").replace("理解为：", ""), "value": a.value, "unit": a.unit,
            "citation": a.citations[0]}


def _with_extra(a: Answer, **extra) -> Answer:
    return dataclasses.replace(a, extra={**a.extra, **extra})
