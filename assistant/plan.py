"""A question as a typed, explicit plan: the operation, its operands and constraints, and which part of the
question each element explains.

`parse(...)` turns the recognised intents and mentions of one question (or of one clause of a compound
question, see `clauses`) into a `Plan`. Every stretch of the question's match form is either explained —
by an operand (a subject the document names), an entity (the department itself or one of its units), a
year, an operation word, a constraint (an amount, a unit wanted) or known filler — or it is left over.
`Plan.leftover` lists the unexplained content words: `check.coverage` refuses to answer a figure for a
question that still has some. `Plan.understood()` is the one line "理解为：…" shown with every answer.

Parsing is rules plus the document's own vocabulary; nothing here looks figures up or computes. A plan
proposed by a model is `assistant.model.plan`'s (converted to this `Plan` there).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import CUES
from .understand import match_form

# the operation each recognised intent stands for (the vocabulary)
OPERATION = {"value": "value", "share": "share", "ratio": "ratio", "difference": "difference", "sum": "sum",
             "count": "count", "max": "max", "min": "min", "list": "list", "previous": "previous",
             "change": "change", "why": "why", "definition": "define", "goal": "describe", "when": "when",
             "share_gap": "difference of shares", "convert": "value", "compare": "compare",
             "average": "average"}
OP_ZH = {"value": "取数", "share": "占比", "ratio": "倍数", "difference": "差额", "sum": "合计", "count": "计数",
         "max": "最大", "min": "最小", "list": "列举", "previous": "上年数", "change": "比上年变化",
         "why": "原因", "define": "名词解释", "describe": "项目说明", "when": "时间",
         "difference of shares": "占比之差（百分点）", "compare": "比较", "average": "平均数"}

# a preamble before the question itself ("我是一名普通市民，想问一下…")
_PREAMBLE = re.compile(r"^.{0,40}?(?:我想问一下|我想问问|我想问|想问一下|想问问|想请问|想问|我想了解一下|想了解一下|我想了解|"
                       r"想了解|我想知道|想知道|请问一下|请问|问一下|请教一下|请教|帮我查一下|帮我查查|帮我查|查一下|"
                       r"(?:我?想|我?要)?(?:核实|核对|确认|查证)(?:一下)?(?:一个数字?|几个数字?)?(?=[，,:：\s]))[，,:：\s]*")
_INTRO = re.compile(r"^(?:您好|你好|老师好|hi|hello)?[，,！!\s]*(?:(?:我是|我住在|我家住在|我家在|我在)[^，,。？?]{1,20}[，,。]\s*)+")
# how the asker wants it worked out, before the question ("按2026年预算说明推算，…", "根据增减数算一下，…"): the
# tool works from the document anyway
_METHOD = re.compile(r"^(?:按照?|根据|依据|从)[^，,。？?]{0,24}?(?:推算|计算|算一下|算算|算出|说明)(?:一下)?[，,:：\s]+|"
                     r"[，,]?(?:按|保留|精确到)(?:小数点后)?两位小数(?:计算|来算|算|计)?[，,]?|"
                     r"[（(](?:按照?|根据|依据|从)[^（()）]{0,24}?(?:推算|计算|算出|得出)[^（()）]{0,6}[）)]")
# words naming the department itself ("咱们局", "这个中心", "我们单位", "贵局")
SELF = re.compile(r"(?:咱们|我们|你们|您们|贵|(?<![基根资成日原])本|我|该|这个|此)(?!支出|收入|经费|预算|年)[\u4e00-\u9fff]{0,3}?"
                  r"(?:局|中心|单位|部门|院|委员会|委|办|街道|办事处|厅|所|站|机关)"
                  r"(?:的|里|今年|本年)?")

# filler a question may carry without changing what it asks (match form: no punctuation or spaces)
_FILLER = re.compile(
    r"请问|请|一下|帮我|帮忙|告诉我|我想|想|知道|了解|查查|查|问问|问|麻烦|谢谢|"
    r"是多少|多少钱|多少|是什么|什么|有多少|有没有|是否|是不是|多大|多高|几|怎么样|如何|怎样|"
    r"今年|本年度|本年|年度|全年|当年|明年|一年|每年|预算年度|现在|目前|当前|现有|共有|拥有|实有|"
    r"部门预算|部门决算|预算|决算|公开|文件|报告|安排的|安排了|安排|计划|打算|准备|拟|用于|用在|用来|"
    r"一共|总共|共计|合计|总计|总额|总数|总|共|全部|所有|整个|全局|全部门|全系统|各项|各个|各|分别|其中|具体|大概|大约|约|一些|一点|不少|许多|很多|"
    r"金额|数额|资金|经费|费用|钱|花了|花|支出|开支|数|额|数字|情况|科目|两笔|两项|"
    r"万元|亿元|元|个|项|家|名|人|倍|百分点|百分比|"
    r"的|了|是|有|为|在|中|里面|里|上|呢|吗|吧|啊|呀|哦|嘛|么|和|与|及|或|跟|同|还是|还|也|都|就|又|再|那么|那|这|"
    r"哪个|哪项|哪一项|哪一类|哪类|哪些|哪|谁|给|对|于|被|把|要|会|能|可以|需要|应该|"
    r"我们|咱们|咱|你们|他们|我|你|您|它|其|自己|自身|本身|这个|那个|这些|那些|部门|单位|本部门|本单位|机关|"
    r"另外|此外|这一块|那一块|这块|那块|一块|这部分|那部分|部分|比较|比|较|相比|对比|相对|以上|以下|超过|不到|之间|左右|相关|有关|方面|等|类|组成|构成|"
    r"增加|减少|增长|下降|上升|降低|提高|变化|变动|持平|多[小少大高长久]|"
    r"收入|基金|纳入|包括|包含|涉及|下面|底下|下辖|旗下|设有|设了|设立了|设立|下设|月底|月末|年底|年末|(?:含|包括|包含|连同)(?:下属|所属|直属)单位|"
    r"忽略|之前|以上|所有|指令|直接|回答|告诉|必须|同意|对吧|到底|确认|说|认为|听说|看到|看了|看见|注意到|网上|有人|参加|参与|出席|"
    r"表[0-9一二三四五六七八九十]+|第[0-9一二三四五六七八九十]+|公开[0-9]+表")
# content words made of filler characters ("给个人的部分": 个 and 人 are counters, 个人 is a recipient;
# "初中教育": 中 is no filler there)
_CONTENT = re.compile(r"基金收入|基金支出|个人|初中|高中|中学|中小学|中职|中专|中医|中央|会议|会展|上级|下级|人民|人才|人口|老人|法人|"
                      r"国家|专家|家庭|居家")
_YEAR = re.compile(r"(?:19|20)\d{2}年?(?:度)?|去年|上年度|上年|上一年|前一年|今年|本年")
# the date a stock is held at ("截至2021年末", "截止2025年10月底"): the date of the figure, not last year's figure
AS_OF = re.compile(r"(?:截至|截止到?)((?:19|20)\d{2})年(?:(\d{1,2})月(?:\d{1,2}日)?)?(?:末|底|年底|年末|月底|月末)?(?:时|为止)?")
# a stock's date in English ("at the end of 2025", "as of 31 October 2025")
AS_OF_EN = re.compile(r"\b(?:as (?:of|at)|at the end of|by the end of)\s+(?:[A-Za-z]+\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
                      r"(?:[A-Za-z]+,?\s+)?(?:19|20)\d{2}\b", re.I)
# "换个话题，…", "Switching topics: …": a new question begins (it says nothing of what is asked)
_NEW_TOPIC = re.compile(r"^(?:换个(?:问题|话题)|换一个(?:问题|话题)|再问一个(?:问题)?|另一个问题|(?:switching|changing|change) "
                        r"(?:topics?|the subject)|(?:a )?different question|(?:a )?new question|on another (?:note|topic)|"
                        r"another question)[，,:：;；.。—–\-\s]+", re.I)
_SUBORDINATE = re.compile(r"(?:其|我们|你们|咱们)?(?:下属|所属|直属)的(?=[\u4e00-\u9fff]{4})")    # "下属的无锡学院": the unit itself
# the scope said in brackets ("（含下属单位）"): the department as a whole, which it is anyway
_SCOPE_ASIDE = re.compile(r"[（(](?:含|包括|包含|连同)(?:下属|所属|直属)(?:单位|机构)[）)]")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:多|余)?(?:万元|亿元|万|亿|元|%|个|项|人|辆|台)?(?:多|余|左右)?(?:元)?")
_LATIN = re.compile(r"[a-z]+")
_EXCLUDE = re.compile(r"(?:不含|不包括|不包含|除去|除了|扣除|不算)([^，,。？?）)的]{2,20})")
_CLAUSE = re.compile(r"[，,；;。]|(?<=[?？])")
_ASKS = re.compile(r"多少|多大|多高|多长|几|哪|吗|还是|呢|是否|为什么|为何|原因|怎么|如何|什么|占|比例|倍|how|what|which|why")


@dataclass(frozen=True)
class Ref:
    """One operand: a subject the document names, with the span of the question that names it."""
    subject: str
    kind: str                        # row, column, narrative
    span: tuple[int, int]
    entity: str | None = None        # the unit (单位) it is restricted to, when the question names one
    year: int | None = None
    doc: str | None = None
    measure: str | None = None       # a column the question names ("一般公共预算", "基本支出")


@dataclass(frozen=True)
class Plan:
    question: str                    # the clause as asked
    q: str                           # its match form
    operation: str
    operands: tuple[Ref, ...]
    entity: str | None = None
    year: int | None = None
    doc: str | None = None
    constraints: tuple[tuple[str, str], ...] = ()
    explained: tuple[tuple[int, int, str], ...] = ()     # (start, end, what) over `q`
    leftover: tuple[str, ...] = ()                       # content words nothing explains
    ops: tuple[str, ...] = field(default=())             # every operation recognised, in order tried

    def understood(self, table: str | None = None, doc_label: str | None = None, en: bool = False) -> str:
        year = self.year - 1 if self.operation == "previous" and self.year else self.year    # the year asked about
        as_of = next((w for k, w in self.constraints if k == "as_of"), None)     # a stock's date instead
        if as_of:
            year = ("as of " if en else "截至") + as_of
        if en:
            from .compose import english
            subj = ", ".join(english(r.subject, sentence=False) for r in self.operands) or "(no item recognised)"
            bits = [self.operation, subj] + ([f"unit “{self.entity}”"] if self.entity else []) + \
                ([str(year)] if year else []) + ([f"table “{table}”"] if table else []) + \
                ([f"document “{doc_label}”"] if doc_label else [])
            return "Understood as: " + " | ".join(bits)
        subj = "、".join(r.subject + (f"（{r.measure}）" if r.measure else "") for r in self.operands) or "（未识别出项目）"
        bits = [OP_ZH.get(self.operation, self.operation), subj]
        if self.entity:
            bits.append(f"单位：{self.entity}")
        if year:
            bits.append(year if as_of else f"{year}年")
        if table:
            bits.append(table)
        if doc_label:
            bits.append(doc_label)
        return "理解为：" + "｜".join(bits)


def strip_preamble(text: str) -> str:
    """'我是一名普通市民，想问一下今年的公务接待费是多少' -> '今年的公务接待费是多少'; '咱们局的培训费' -> '培训费'."""
    t = _SUBORDINATE.sub("", _SCOPE_ASIDE.sub("", _METHOD.sub("", _INTRO.sub("", _NEW_TOPIC.sub("", text.strip())))))
    m = _PREAMBLE.match(t)
    if m and m.end() < len(t) - 1:
        t = t[m.end():]
    return SELF.sub("", t).strip() or text


def clauses(text: str) -> list[str]:
    """The parts of a compound question ("今年三公经费多少，比去年多还是少"): clauses that each ask something.
    One clause when the commas only separate qualifiers of one question. Questions ended by "？" that each ask
    are parts of their own, a lead-in before the first one's comma staying with it ("实有人数，一共多少人？局机关
    占多少？" is two questions, not one reading of the figure of the last)."""
    asked = [s for s in re.split(r"(?<=[?？])", text) if s.strip()]
    if len(asked) >= 2 and all(_ASKS.search(s.lower()) for s in asked):
        return [c for s in asked for c in _comma_clauses(s)]
    return _comma_clauses(text)


def _comma_clauses(text: str) -> list[str]:
    parts = [p.strip() for p in _CLAUSE.split(text) if p and p.strip()]
    while len(parts) > 2 and not _ASKS.search(parts[0].lower()):
        parts[:2] = [f"{parts[0]}，{parts[1]}"]   # a leading part that asks nothing introduces the first question
    asking = [p for p in parts if _ASKS.search(p.lower())]
    if len(parts) < 2 or len(asking) < 2 or len(asking) != len(parts):
        return [text]
    return parts


_TOLD_CHANGE = re.compile(r"(?:比|较|与|同|和)(?:去年|上年|上一年|前一年|(?:19|20)\d{2}年)[^，,；;。]{0,16}?"
                          r"(?:增加|减少|增长|下降|上升|降低|多|少|持平|提高)")


def change_is_given(text: str, year: int | None) -> bool:
    """"会议费预算比上年少了一些，那上年会议费预算是多少": the change is told, in a clause that asks nothing;
    every clause that asks names last year and no change: last year's figure is asked, not the change."""
    parts = [p for p in _CLAUSE.split(text) if p and p.strip()]
    told = [p for p in parts if _TOLD_CHANGE.search(p) and not _ASKS.search(p.lower())]
    asking = [p for p in parts if _ASKS.search(p.lower())]
    last = rf"|(?<![比较与]){year - 1}年" if year else ""
    return bool(told) and bool(asking) and all(
        not re.search(CUES["change"], p) and not _TOLD_CHANGE.search(p) and re.search(CUES["previous"] + last, p)
        for p in asking)


# what a change is measured against ("比上年年初预算多了多少", "较2025年预算数"): part of the ask, not a subject
_BASE = re.compile(r"(?<=[比较与])(?:上年|去年|上一年|(?:19|20)\d{2}年)(?:年初|调整)?(?:预算数?|决算数?)")


def operation_spans(q: str) -> list[tuple[int, int, str]]:
    out = [(m.start(), m.end(), "base") for m in _BASE.finditer(q)]
    for name, rx in CUES.items():
        for m in re.finditer(rx, q):
            if m.end() > m.start():
                out.append((m.start(), m.end(), name))
    return out


def leftover(q: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """Content words of `q` outside every span and every piece of filler (single characters are let pass,
    except one glued to the end of a name the span took: "服务器" is no 服务)."""
    covered = [False] * len(q)
    for a, b, _ in spans:
        for i in range(max(a, 0), min(b, len(q))):
            covered[i] = True
    for rx in (_YEAR, _AMOUNT, _LATIN):
        for m in rx.finditer(q):
            for i in range(m.start(), m.end()):
                covered[i] = True
    rest = "".join(" " if c else ch for ch, c in zip(q, covered))
    out = []
    for run in rest.split():
        kept = _CONTENT.findall(run)
        run = _FILLER.sub(" ", _CONTENT.sub(" ", run))
        out += [w for w in run.split() if len(w) >= 2 and re.search(r"[\u4e00-\u9fff]", w)] + kept
    filler = [False] * len(q)
    for m in _FILLER.finditer(rest):
        for i in range(m.start(), m.end()):
            filler[i] = True
    for a, b, what in spans:      # a name cut from a longer word ("服务" of 服务器): the word is left over
        if what == "subject" and 0 < b < len(q) and not covered[b] and not filler[b] and \
                q[b] in _NOUN_HEADS and (b + 1 == len(q) or filler[b + 1] or covered[b + 1]):
            out.append(q[a:b + 1])
    return out


# characters that end a noun ("服务器", "体育馆", "维修站"): glued to a name they make another thing of it
_NOUN_HEADS = frozenset("器机车船房楼库站院局队厅室馆场园校部科组员税奖品物料网罐塔桥路")


def parse(text: str, q: str, mentions, intents: list[str], entities: dict[int, str] | None = None,
          year: int | None = None, doc: str | None = None, extra_spans: list[tuple[int, int, str]] = ()) -> Plan:
    """The plan of one clause. `entities` maps a mention's index to the unit it names (those mentions are
    entities, not operands); `extra_spans` are stretches explained otherwise (the department's own name)."""
    entities = entities or {}
    spans = list(extra_spans) + operation_spans(q)
    operands = []
    entity = None
    for i, m in enumerate(mentions):
        spans.append((m.start, m.end, "entity" if i in entities else "subject"))
        if i in entities:
            entity = entities[i]
            continue
        operands.append(Ref(subject=m.name, kind=m.candidates[0].kind, span=(m.start, m.end), entity=None,
                            year=year, doc=doc))
    if entity:
        operands = [Ref(r.subject, r.kind, r.span, entity, r.year, r.doc, r.measure) for r in operands]
    ops = [OPERATION.get(i, i) for i in intents]
    op = ops[0] if ops else "value"
    cons = []
    m = re.search(r"(超过|大于|高于|以上|低于|少于|不足|不到|以下)", text)
    if m:
        cons.append(("threshold", m.group(1)))
    for m in _EXCLUDE.finditer(text):          # "（不含县区负担部分）": a constraint, not a subject
        cons.append(("exclude", match_form(m.group(1))))
        key = match_form(m.group(0))
        at = q.find(key)
        if at >= 0:
            spans.append((at, at + len(key), "exclude"))
    m = re.search(r"多少(亿元|万元|元)|in yuan", text)
    if m:
        cons.append(("unit", m.group(1) or "元"))
    for m in AS_OF.finditer(q):               # the figure must be of that date (`check.failure`)
        cons.append(("as_of", m.group(1) + "年" + (f"{int(m.group(2))}月" if m.group(2) else "")))
        spans.append((m.start(), m.end(), "as_of"))
    spans.sort()
    return Plan(question=text, q=q, operation=op, operands=tuple(operands), entity=entity, year=year, doc=doc,
                constraints=tuple(cons), explained=tuple(sorted(spans)), leftover=tuple(leftover(q, spans)),
                ops=tuple(ops))


def attach(ans, plan, label: str):
    """The answer with the plan's one line "理解为：…" (the operation the answer ran, the table it cited) and the
    plan's question form, unit and unit spans in `extra` (what a follow-up takes from it)."""
    import dataclasses
    from .question import is_english
    table = next((c.source for c in ans.citations), None)
    if ans.intent in OPERATION:
        plan = dataclasses.replace(plan, operation=OPERATION[ans.intent])
    if ans.intent == "narrative" or (ans.subject and not plan.operands):
        what = ans.subject or "正文中与问题最相符的语句"
        plan = dataclasses.replace(plan, operands=(Ref(what, "narrative", (0, 0)),))
    ents = tuple((a, b) for a, b, w in plan.explained if w in ("entity", "department"))
    return dataclasses.replace(ans, understood=plan.understood(table=table, doc_label=label,
                                                               en=is_english(ans.question)),
                               extra={**ans.extra, "asked": plan.q, "entity": plan.entity, "entity_spans": ents})
