"""What a question asked in a conversation takes from the previous answer — and when it takes nothing.

Context only fills in an elliptical follow-up, in one of four shapes:
- bare: it names nothing and leaves no word unexplained ("那去年呢", "为什么减少了", "占多少比例", "合计多少"):
  the previous subject (with the unit it was restricted to) is put in front of it;
- another unit, year or document only ("局本级呢", "2023年呢"): the previous question is asked again with that
  changed and everything else kept (the old unit or year is taken out);
- another subject with no operation of its own ("公用经费呢", "其中公务接待费呢"): the previous operation, and
  the previous unit when the follow-up names none;
- a two-operand operation whose first operand is left out ("占基本支出的比例", "是公用经费的几倍"): the
  previous subject as that operand.
A part of the previous subject ("其中…"), or an operation missing its first operand, asked after a turn that
found nothing is `dangling`: refused.
Never: a question that names its own subject and its own operation ("那今年三公经费多少"), one with a word that
nothing explains ("局长是谁", "And the salary of the director?" — those words are returned as `unknown`, so
the question is refused on its own), or a question after a refusal. Not handled: reaching back past the
last turn (a follow-up of a refused turn is answered on its own).

After the answer is found, `guard` checks it against the conversation: a "其中X" must lie inside the previous
answer (else X is read from the previous answer's own row, else refused); a bare "合计多少" after items asked in
turn is their sum, shown with its operands, when they are cells of one table and column, none a total and none
inside another (else refused). Inside a compound question, a later clause whose earlier clause found nothing
takes that clause's subject (`with_subject`); after a compound question, a follow-up naming only another subject
asks every part again of it (`swaps_subject`).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from .english_words import english_unexplained, english_unknown  # noqa: F401  (the follow-up's own)
from .fragments import PART_OF, column_of_a_row, sibling_outside
from .plan import _YEAR, Ref, attach, leftover, operation_spans
from .understand import match_form
from .question_words import count_unit, intents

_UNUSABLE = ("refuse", "not-found", "empty", "too_long")
_IT = r"^(?:那么?)?(?:它们?|这笔钱?|这一?项|该项|这个数字?)"
_PRONOUN = re.compile(_IT + r"(?=占|是|比|的|在|有|相当)")     # "它占整个部门预算的…": the last answer's subject
_COUNTED = ("辆", "台", "人", "个", "项", "家", "名")
_ELLIPSIS = re.compile(r"^(?:那么|那个|那|还有|再问|其中|另外|and|what about|how about)|呢[?？]?$", re.I)
_OWN_OP = re.compile(r"多少|几|是什么|是啥|哪|谁|吗|是否|有没有|how much|how many|what is|what are|which", re.I)
_LEAD = re.compile(r"^(?:那么|那|其中|还有|另外)?")
_BINARY = re.compile(r"^(?:占|是(?=.{1,20}的.{0,3}倍)|比(?!例|重|上年|去年|上一年))")


@dataclass
class FollowUp:
    q: str
    mentions: list
    entities: dict
    extra: list
    found: list
    inherited: bool = False           # the subject (or the whole question) came from the previous turn
    unknown: tuple[str, ...] = ()     # words of the question nothing explains (English ones: see `english_unknown`)
    shape: str = "own"                # own, bare, unit, subject, operand, unplaced, dangling
    notes: list = field(default_factory=list)


# a subject that is an amount of money: no count carries over to it
_MONEY = re.compile(r"预算|经费|费|资金|金额|拨款|支出|收入")
_HOW_MANY_PEOPLE = re.compile(r"(?:多少|几)(?:个|名|位)?[\u4e00-\u9fff]{0,6}?(?:人员|职工|员工)(?![\u4e00-\u9fff]*(?:经费|费|支出))")

def resolve(text: str, q: str, mentions, entities: dict, extra: list, found: list, last, handlers, read,
            is_unit, en: bool = False, only_document: bool = False) -> FollowUp:
    """The clause as it is to be answered. `read(q)` gives (mentions, entities, extra spans) of a match form;
    `is_unit(mention)` tells a mention that names a unit (单位) or the department; `handlers` the intents that
    can be carried over; `only_document` that the question names the department (a document) and nothing else."""
    fu = FollowUp(q, mentions, entities, extra, list(found))
    if (last is None or last.intent in _UNUSABLE or not last.answerable) and _PRONOUN.match(text.strip()) or \
            last is not None and (last.intent in _UNUSABLE or not last.answerable) and (
            PART_OF.match(text.strip()) or (mentions and _BINARY.match(_LEAD.sub("", q)))):
        fu.shape = "dangling"       # "其中公务接待费呢", "占基本支出的比例" after a turn that found nothing
        return fu
    if last is None or last.intent in _UNUSABLE or not last.answerable:
        return fu
    asked = last.extra.get("asked")
    if _PRONOUN.match(text.strip()) and last.unit not in ("元", "万元", "亿元"):
        fu.shape, fu.notes = "dangling", [PRONOUN]   # "它们的预算合计多少" after a count: which amounts is not said
        return fu
    if _PRONOUN.match(text.strip()) and (last.subject or _unit_text(last)):   # "它占整个部门预算的…": it is the last
        rest = re.sub(_IT, "", q)                                                  # answer's subject
        return _prefix(fu, _unit_text(last) or match_form(last.subject), rest, found, read, last, handlers,
                       carry=False, shape="operand")
    if only_document and asked:         # "上海市普陀区商务委员会呢": the previous question, of that document
        return _again(fu, "".join(_YEAR.findall(q)), asked, last, found, read)
    # a stretch that is only a year ("2018年") names no subject, whatever the document's text calls it
    mentions = [m for m in mentions if not _YEAR.fullmatch(q[m.start:m.end])]
    # mid-conversation, an English question that names nothing of the document and carries words nothing
    # explains is not a follow-up: it is refused on its own
    unknown = english_unknown(text, en) if not mentions else ()
    fu.unknown = unknown
    spans = operation_spans(q) + list(extra) + [(m.start, m.end, "subject") for m in mentions]
    if not unknown and leftover(q, spans) and PART_OF.match(text.strip()) and last.subject and not en:
        head = match_form(last.subject)      # "其中服务类是多少": a part named only inside the previous subject
        m2, _, extra2 = read(head + q)
        spans2 = operation_spans(head + q) + list(extra2) + [(m.start, m.end, "subject") for m in m2] + \
            [(0, len(head), "context")]
        if any(m.start >= len(head) for m in m2) and not leftover(head + q, spans2):
            return _prefix(fu, head, q, found, read, last, handlers, carry=not found, shape="subject")
    if unknown or leftover(q, spans):
        fu.shape = "unplaced"        # a word nothing explains: the question is not a follow-up of anything
        return fu
    subjects = [m for m in mentions if not is_unit(m)]
    units = [m for m in mentions if is_unit(m)]
    elliptical = bool(_ELLIPSIS.search(text.strip()))
    own_op = bool(found) or bool(_OWN_OP.search(q + " " + text.lower()))
    if not mentions:
        if (count_unit(text, q) or ("人" if _HOW_MANY_PEOPLE.search(q) else "个")) not in ("个", last.unit):
            fu.shape = "unplaced"    # "一共有多少在编在职人员" after an amount or a share: people are not counted in it
            return fu
        head = match_form(last.subject) if last.subject else None
        if head is None and asked and not own_op:
            return _again(fu, q, asked, last, found, read)
        if head is None:
            return fu
        unit = _unit_text(last)
        return _prefix(fu, (unit or "") + head, q, found, read, last, handlers, carry=not found)
    if not subjects and units and asked and (elliptical or not own_op):
        return _again(fu, q, asked, last, found, read, is_unit)  # "局本级呢": the same question of another unit
    if subjects and _BINARY.match(_LEAD.sub("", q)) and last.subject and \
            match_form(last.subject) not in q:
        return _prefix(fu, match_form(last.subject), q, found, read, last, handlers, carry=False, shape="operand")
    if subjects and not own_op and elliptical:
        money = last.intent == "count" and bool(_MONEY.search(q))    # "And the procurement budget?" after a
        if last.intent == "count" and last.unit in _COUNTED and not money:   # count asks an amount, not a count
            return _ask_as(fu, re.sub(r"呢$", "", q) + f"有多少{last.unit}", read, found)  # "其中执法执勤用车呢"
        unit = _unit_text(last) if not units else None
        if unit:
            return _prefix(fu, unit, q, found, read, last, handlers, carry=not money, shape="subject", inherit=False)
        if last.intent in handlers and not money:
            fu.found = [last.intent]
        fu.shape = "subject"
    return fu


def _without_units(asked: str, read, is_unit) -> str:
    """The previous question without the unit it was about, when that unit was its subject itself
    ("泉州市…中心的收入预算是多少": the unit's own row), not a restriction recorded as an entity."""
    mentions = read(asked)[0]
    for m in sorted((m for m in mentions if is_unit(m)), key=lambda m: -m.start):
        asked = asked[:m.start] + asked[m.end:]
    return asked


def _ask_as(fu: FollowUp, q2: str, read, found: list) -> FollowUp:
    """The follow-up with the previous operation's own words after it (what is counted, and in what)."""
    m2, ents, extra2 = read(q2)
    fu.q, fu.mentions, fu.entities, fu.extra, fu.shape = q2, m2, ents, list(extra2), "subject"
    fu.found = intents(q2) + [i for i in found if i not in intents(q2)]
    return fu


def _unit_text(last) -> str | None:
    ent = last.extra.get("entity")
    return match_form(ent) if ent else None


def _prefix(fu: FollowUp, head: str, q: str, found: list, read, last, handlers, carry: bool,
            shape: str = "bare", inherit: bool = True) -> FollowUp:
    q2 = head + q
    m2, ents, extra2 = read(q2)
    fu.q, fu.mentions, fu.entities = q2, m2, ents
    fu.extra = [(a, b, w) for a, b, w in extra2] + [(0, len(head), "context")]
    fu.inherited, fu.shape = inherit, shape
    if carry and not found and last.intent in handlers:
        fu.found = [last.intent]
    return fu


def _again(fu: FollowUp, q: str, asked: str, last, found: list, read, is_unit=None) -> FollowUp:
    """The previous question asked again with this one's unit / year in place of its own."""
    rest = asked
    for a, b in sorted(last.extra.get("entity_spans") or (), reverse=True):
        rest = rest[:a] + rest[b:]
    if is_unit is not None:
        rest = _without_units(rest, read, is_unit)
    if _YEAR.search(q):
        rest = _YEAR.sub("", rest)
    head = re.sub(r"的?呢$", "", _LEAD.sub("", q))
    q2 = head + rest
    m2, ents, extra2 = read(q2)
    new = intents(q2)
    if "previous" in found and "previous" not in new:
        new = ["previous"] + new
    fu.q, fu.mentions, fu.entities, fu.found = q2, m2, ents, new
    fu.extra = list(extra2) + [(len(head), len(q2), "context")]
    fu.inherited, fu.shape = True, "unit"
    return fu


def swaps_subject(text: str, form) -> bool:
    """"公用经费呢", "局本级呢": a follow-up that only names another subject or unit (after a compound question it
    asks every part again of that one). `form(text)` gives (text, match form, mentions)."""
    t = text.strip()
    if not re.search(r"呢[?？]?$", t) or _OWN_OP.search(t):
        return False
    _, q, mentions = form(t)
    return bool(mentions) and not any(_YEAR.fullmatch(q[m.start:m.end]) for m in mentions)


_ASK_AT = re.compile(r"(?:是|为|有|共|一共|总共|安排了?|预算)?(?:多少|几|哪|什么)")


def with_subject(before: str, part: str, form) -> str | None:
    """A later clause of a compound question, when the clause before it found nothing, with that clause's subject
    put in front: it names no subject of its own ("机关运行经费是多少？比上年增长了多少？"), or its own names only the
    second operand ("…多少？占总支出的比例呢？"). `form(text)` gives (text, match form, mentions). None when the
    clause has its own subject or the one before names none."""
    _, q0, m0 = form(before)
    text, q, mine = form(part)
    if mine and not _BINARY.match(_LEAD.sub("", q)):
        return None
    ask = _ASK_AT.search(q0)        # everything before its question word: the subject and all its qualifiers
    subject = q0[:m0[-1].end] if m0 else q0[:ask.start()] if ask else ""
    return subject + _LEAD.sub("", q) if len(subject) >= 2 else None


# -- guards on the answer found for a follow-up (`guard`, used by api._clause) ------------------------------------
_BARE_SUM = re.compile(r"^(?:那么?|那这些|这些|这几项|它们|两者|二者)?(?:的)?(?:合计|一共|总共|共计|总计|加起来|加在一起|"
                       r"相加)(?:是|为|有|共)?(?:多少|几何)(?:钱|万元)?(?:呢)?[?？。]?$|^(?:how much|what is the total) "
                       r"(?:in total|altogether|together)?\??$", re.I)

DANGLING = "这是对上一问的追问（“其中……”），而上一问没有找到答案；请把问题问完整，写出单位和项目"
PRONOUN = "“它”“它们”指的是上一问的结果，而上一问给出的不是金额；请写出要问的单位和项目"
NOT_INSIDE = "“其中……”问的是上一问数字的一部分，找到的数字不在上一问的那一行里"
NOT_A_SUM = "问的是合计，找到的只是上一问的那一个数字；请写出要相加的各项"
NOT_PARTS = "问的是前面几问各项的合计，但这些数字不在同一张表的同一列，或一项是另一项的一部分，不能相加；请写出要相加的各项"


def is_bare_sum(text: str) -> bool:
    """"合计多少", "一共多少", "加起来是多少": a sum that names no item of its own."""
    return bool(_BARE_SUM.match(text.strip()))


def items_in_turn(history) -> list:
    """The answers of the last turns that each gave one looked-up figure (取数), most recent last; stops at the
    first turn that gave anything else (a sum, a share, a refusal)."""
    out = []
    for a in reversed(history):
        if not a.answerable or a.value is None or a.intent not in ("value", "convert") or not a.citations:
            break
        out.append(a)
    return out[::-1]


def sum_of_turns(ctx, items) -> tuple[list, str | None]:
    """(operands, None) when the items asked in turn may be added: each one cell of the same table and the same
    column, on different rows, none a total row and none inside another (a row on another's path or a code
    under another's code); else ([], why)."""
    from .align import cells
    from .answer_tables import operand
    if any(PART_OF.match(a.question.strip()) for a in items[1:]):
        return [], NOT_PARTS           # "其中…" asked a part of the item before it
    facts = [cells(ctx, a) for a in items]
    if any(not fs for fs in facts):
        return [], NOT_PARTS
    tables = {f.table for fs in facts for f in fs}
    columns = set.intersection(*({f.column for f in fs} for fs in facts))
    if len(tables) != 1 or not columns:
        return [], NOT_PARTS
    col = next(f.column for f in facts[0] if f.column in columns)
    chosen = [next(f for f in fs if f.column == col) for fs in facts]
    rows = {f.row_index for f in chosen}
    if len(rows) != len(chosen) or any(f.is_total for f in chosen):
        return [], NOT_PARTS
    own = lambda f: bool(f.entity) and match_form(f.row) == match_form(f.entity)   # noqa: E731  (a unit's own row)
    for f in chosen:
        for g in chosen:
            if f is not g and (f.row in g.path or (f.code and g.code and g.code.startswith(f.code)) or
                               (own(f) and g.entity == f.entity)):
                return [], NOT_PARTS
    return [operand(ctx, f, a.subject or f.row) for f, a in zip(chosen, items)], None


def answer_sum(qq, ops) -> object:
    """The sum of the items asked in turn, with its operands shown."""
    from . import compute as N
    from .compose import figure
    r = N.total(ops)
    label = "、".join(o.label for o in ops)
    return qq.done(f"{label}合计 **{figure(r.value, r.unit)}**。", f"Together {label}: **{figure(r.value, r.unit)}**.",
                   value=r.value, unit=r.unit, result=r, citations=tuple(o.citation for o in ops[:6]),
                   intent="sum", subject=label)


def inside(ctx, last, ans) -> bool:
    """A "其中…" follow-up's cell lies inside the previous answer's: in another table (cannot tell), on the same
    row (another column of it) or on a row below it. False for another row of the same table (合计 for 本级)."""
    from .align import cells
    before, now = cells(ctx, last), cells(ctx, ans)
    same = [(p, n) for p in before for n in now if p.table == n.table]
    if not same:
        return True
    return any(n.row_index == p.row_index or p.row in n.path for p, n in same)


def on_previous_row(qq, last):
    """A "其中X" follow-up answered from the previous answer's own row: the one cell of that row whose column is X
    (the 本级 row's 公务接待费 after 本级's 三公). None when there is not exactly one such figure."""
    from .align import cells
    from .answer_tables import _mention_keys, operand, satisfies
    from .compose import figure
    ctx = qq.ctx
    subjects = [m for m in qq.mentions if not any(c.kind == "row" and c.key.endswith("本级") for c in m.candidates)]
    if len(subjects) != 1:
        return None
    keys = _mention_keys(subjects[0])
    rows = {(f.table, f.row_index) for f in cells(ctx, last)}
    got = [f for f in ctx.parsed.facts if (f.table, f.row_index) in rows and satisfies(ctx, f, keys) == "column"]
    if len({f.value for f in got}) != 1:
        return None
    f = got[0]
    o = operand(ctx, f)
    name = f.column.split("·")[-1]
    return qq.done(f"{f.row}的{name}为 **{figure(f.value, f.unit)}**。",
                   f"{f.row}: {name} **{figure(f.value, f.unit)}**.", value=f.value, unit=f.unit,
                   citations=(o.citation,), intent="value", subject=name)


def guard(raw: str, text: str, plan, qq, label: str, ans, history, asked_ops):
    """The answer found for a clause, after the follow-up guards: "其中…" lies inside the previous answer (else
    the cell of the previous row, else nothing); "合计多少" after items asked in turn is their sum or nothing."""
    from .compose import not_found
    en, d, last = qq.en, qq.ctx.doc, (history[-1] if history else None)
    if last is None:
        return ans
    refuse = lambda why: not_found(raw, en, why, [], d.id, plan.understood(doc_label=label, en=en))  # noqa: E731
    if PART_OF.match(text) and (not inside(qq.ctx, last, ans) or
                                column_of_a_row(qq.ctx, last, ans)):
        own = on_previous_row(qq, last)
        return attach(own, plan, label) if own is not None else refuse(NOT_INSIDE)
    if sibling_outside(text, ans, history, lambda whole: inside(qq.ctx, whole, ans)):
        return refuse(NOT_INSIDE)
    if "sum" not in asked_ops:
        return ans
    items = items_in_turn(history) if is_bare_sum(text) else []
    if len(items) >= 2:
        ops, why = sum_of_turns(qq.ctx, items)
        if not ops:
            return refuse(why)
        plan = dataclasses.replace(plan, operands=tuple(Ref(o.label, "row", (0, 0)) for o in ops))
        return attach(answer_sum(qq, ops), plan, label)
    if len(history) >= 2 and history[-2].value not in (None, last.value) and ans.intent != "sum" and \
            ans.value is not None and ans.value == last.value:
        return refuse(NOT_A_SUM)       # the last item again is no sum of the items before
    return ans


_SAME_ASK = re.compile(r"^(?:那么|那|其中|还有|另外)|(?:是|的|呢|吗)+$|多少|几")


def repeats_previous(fu: FollowUp, text: str, last, ans) -> tuple[str, ...]:
    """A follow-up filled in with the previous subject that carries a qualifier of its own ("实有多少人" after
    "编制人数是多少") but is answered with the previous turn's very figure: the qualifier changed nothing, so
    the question was not understood as asked. Returns those qualifiers (none: not such a repeat); an answer of
    the question on its own stands only if its subject carries every one of them (`qualified`)."""
    if fu.shape != "bare" or last is None or ans is None or not ans.answerable or ans.value is None:
        return ()
    if ans.value != last.value or ans.intent != last.intent or ans.intent in ("previous", "change", "why", "sum"):
        return ()
    own = _YEAR.sub(" ", match_form(text))        # another year is a question of its own document, not a qualifier
    for a, b, _ in operation_spans(own):
        own = own[:a] + " " * (b - a) + own[b:]
    subject = match_form(last.subject or "")
    words = [_SAME_ASK.sub("", w) for w in own.split()]
    words = [w for w in words if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)]
    return tuple(w for w in words if w not in subject)


def qualified(words: tuple[str, ...], ans, last) -> bool:
    """The answer of a qualified follow-up asked on its own names each qualifier in its subject ("实有人数"
    for "实有多少人") and is another figure than the previous turn's."""
    subject = match_form(ans.subject or "")
    return bool(ans.answerable and ans.value is not None and ans.value != last.value and subject and
                all(w in subject for w in words))
