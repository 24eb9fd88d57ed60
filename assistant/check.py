"""Checks an answer must pass before it is given, and the helpful abstention when none passes.

- coverage: a figure is answered only when every content word of the question is explained by the plan
  (`Plan.leftover` is empty);
- a part of the year asked (每个月, 季度) is said by the evidence cited, or the figure is no answer;
- sanity: a share lies in 0–100%; a count is not an amount of money (nor a 数量 column's cell read with the
  table's money unit); a stock (固定资产 held) is not a flow
  (固定资产 to be bought) nor the reverse; a unit (单位) the question names is the unit of the cell cited;
  the largest/smallest of a group is not the group itself.
`failure(plan, answer, qq)` returns the reason an answer fails (None when it passes). What explains a word
of the question, and the closest things found for an abstention (`suggestions`), are in coverage.py.
Not handled: the year of a figure beyond the document's own year (the document is one year's budget; other
years are refused before this).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import compute as N
from .answer_counts import other_headcount
from .check_stated import counted_noun, only_generic, other_stated, part_asked, whole_meant
from .plan import Plan
from .resolve import QUANTITY_COLUMN
from .undisclosed import asked_period
from .understand import clean_label, match_form
from .question_words import count_unit
from .unit_totals import unit_alone
# _GENERIC and _cited_facts are read from here by asked.py; suggestions by api.py
from .coverage import included_aside, stated_apart
from .coverage import (_GENERIC, _ambiguous, _answers_operand, _cited_facts, _explained,  # noqa: F401
                       _names_department, _unexplained_operand, suggestions)
from .asked import asked_shape, _echoes_question, _other_measure, _partly_named, _sentence_failure, _stated_otherwise, _swallowed  # noqa: F401

# the funds a figure may be confined to: a sentence's figure of one of them is not the figure of all funds
_FUNDS = ("财政拨款", "一般公共预算", "政府性基金", "国有资本经营", "财政专户")
# answers that state a figure computed or looked up for the question: these need full coverage
NUMERIC = {"value", "convert", "share", "ratio", "difference", "sum", "count", "max", "min", "previous", "change",
           "share_gap", "average"}
_ORG = re.compile(r"(?:局|中心|院|委员会|办公室|办事处|街道|所|站|队|馆|处|厅|学校|医院|公司|协会|大队|支队|分局)$")
_MONEYISH = re.compile(r"收入|支出|经费|费|补助|资金|拨款|预算|合计|小计|总计")
_MONEY_Q = re.compile(r"预算|经费|费|资金|金额|钱|支出|收入|拨款")
_WHO_Q = re.compile(r"是谁|谁是|由谁|哪家(?:单位|公司|企业|机构)?|哪个(?:公司|企业|机构)|什么人|who\b", re.I)
_WHICH_BODIES_Q = re.compile(r"(?:哪些|哪几个?|哪几家)(?:内设|下属|直属|所属|下设)?(?:单位|机构|部门|科室|处室)(?!的)|"
                             r"(?:单位|机构|科室|处室)(?:有|包括|都有|都是|是)(?:哪些|哪几)")
_STOCK_Q = re.compile(r"有多少|有几|拥有|现有|持有|保有|实有|总值|原值|价值多少|家底|资产总额|截至|截止")
_DEPT_WHOLE = re.compile(r"部门|全局|整个|全系统|总(?:收入|支出|额|计)|合计")
_FLOW_Q = re.compile(r"购置|购买|采购|新增|新购|买|添置|配置")
_FLOW_L = re.compile(r"拟购置|购置|新增|新购|采购|配置")
_COMPANY_Q = re.compile(r"哪家|哪个公司|哪个企业|什么公司|中标|承建|承办单位|供应商")
_COMPANY = re.compile(r"公司|集团|企业|有限|事务所|研究院|设计院")
_LISTS = re.compile(r"[、；;和]|(?<!涉)及|(?<![参给])与|分别为|分别是|包括[:：]?[^，。]{2,}|\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是")
_STOCK_L = re.compile(r"截至|截止|实有|现有|保有|占有|原值|账面|共有")


# the amount actually spent (a budget's 上年 figure is last year's budget, not its outturn)
_ACTUAL_Q = re.compile(r"实际|执行数|执行情况|预算执行|决算|actual|outturn", re.I)
_OUTTURN = re.compile(r"执行数|预算执行|决算|实际支出|实际发生|实际完成|完成数|执行情况")


@lru_cache(maxsize=32)
def _units(ctx) -> frozenset[str]:
    """Match forms of the units a document breaks its money down by (uncoded top rows named like bodies)."""
    out = set()
    for (_, _, _), fs in ctx.index.rows.items():
        f = fs[0]
        lab = match_form(f.row)
        if not f.code and not f.path and not f.is_total and _ORG.search(lab) and not _MONEYISH.search(lab) and \
                len(lab) >= 4:
            out.add(lab)
    out |= {match_form(f.entity) for f in ctx.parsed.facts if f.entity}     # per-unit rows the reader marked
    if ctx.doc.department:
        out.add(match_form(ctx.doc.department))
    return frozenset(out)


def entity_of(ctx, mention) -> str | None:
    """The unit a mention names (its printed name), when it names one."""
    for c in mention.candidates:
        if c.kind == "row" and c.key in _units(ctx):
            return c.name
    return None


def is_department(ctx, name: str) -> bool:
    return bool(ctx.doc.department) and match_form(name) == match_form(ctx.doc.department)


def _as_of(date: str, quote: str) -> bool:
    """The sentence cited states the date asked ("2021年" and "2021年末" for 截至2021年末; "2025年10月")."""
    year, _, month = date.partition("年")
    q = match_form(quote)
    if month:
        return bool(re.search(rf"{year}年0?{month.rstrip('月')}月", q))
    return f"{year}年" in q


_BASIC_ROLES = ("general_basic", "basic", "operating_cost")
_BASIC_ASKED = re.compile(r"基本支出|人员经费|公用经费|机关运行|日常|运转|basic|operating", re.I)


def _basic_part_only(ans, qq) -> str | None:
    """An item read from a table of 基本支出 only (委托业务费 396.85 in 一般公共预算基本支出表) where the narrative
    states the item for the whole department with another figure ("委托业务费涉及财拨资金13,075.78万元"), and the
    question does not ask for the 基本支出 part: the table's figure is a part, not the item asked."""
    facts = _cited_facts(qq, ans)
    tables = qq.ctx.index.tables
    if not facts or _BASIC_ASKED.search(qq.text) or not all(
            tables[f.table].role in _BASIC_ROLES for f in facts if f.table in tables):
        return None
    row = match_form(clean_label(facts[0].row))
    if len(row) < 3:
        return None
    for fig in qq.ctx.index.figures:
        subj = match_form(fig.subject)
        if subj.startswith(row) and fig.unit == facts[0].unit and fig.value != facts[0].value and \
                not _BASIC_ASKED.search(fig.subject + fig.quote[:fig.quote.find(fig.subject) + 1]):
            return (f"表中的“{facts[0].row}”只是基本支出部分（{N.show(facts[0].value, facts[0].unit)}{facts[0].unit}），"
                    f"说明中另写了“{fig.subject}”{N.show(fig.value, fig.unit)}{fig.unit}")
    return None


def _before_figure(quote: str, value) -> str:
    """The words just before the figure answered in a quote ("…编制人数" of "…编制人数1318人")."""
    if not value:
        return ""
    plain = (quote or "").replace(",", "")
    at = plain.find(str(value))
    return plain[max(0, at - 8):at] if at > 0 else ""


def _sentence_head(ctx, c) -> str:
    """The clauses before a quote that does not start its sentence ("截止2021年底，…编制人数1318人；" before
    "实有人数1133人…", "截至2025年12月31日，" before "本部门共有车辆943辆"): where its date is said. Empty when the
    quote starts its sentence."""
    texts = ctx.parsed.page_texts
    if not c.quote or not (0 < (c.page or 0) <= len(texts)):
        return ""
    page = re.sub(r"\s+", "", texts[c.page - 1])
    at = page.find(re.sub(r"\s+", "", c.quote)[:12])
    if at <= 0 or page[at - 1] == "。":
        return ""
    return page[max(page.rfind("。", 0, at) + 1, at - 80):at]     # (the sentence's clauses before the quote)


def _quoted(ans) -> bool:
    """The figure answered stands in a sentence cited (as printed: 42,492.31 for 42492.31)."""
    from decimal import Decimal, InvalidOperation
    try:
        want = Decimal(ans.value)
    except (InvalidOperation, TypeError):
        return True
    return N.printed_as(want, "".join(c.quote for c in ans.citations)) is not None


# "包括本部在内一共几家": a total that adds a part the stated count may or may not include
_INCLUDING = re.compile(r"(?:包括|包含|含|连同|加上)[^，。？?]{1,12}在内")


# how a rejection for a name several things share begins (`failure`; the resolver tells it by this)
SHARED_NAME = "问题只说了"


def failure(plan: Plan, ans, qq) -> str | None:
    """Why this answer must not be given for this plan; None when every check passes."""
    intent = ans.intent
    if intent == "narrative" and _COMPANY_Q.search(qq.text) and \
            not _COMPANY.search("".join(c.quote for c in ans.citations)):
        return "问的是哪家单位或公司，找到的语句没有写出名称"
    if ans.value is not None and intent in ("value", "convert", "narrative") and ans.value in _given(qq.text):
        return "找到的是问题里已经给出的数字，不是所问的"
    if (intent == "list" or intent == "narrative" and "list" in qq.intents) and ans.value is None and \
            not _LISTS.search(ans.answer.split("**出处**")[0].split("**Sources**")[0]):
        return "问的是有哪些，找到的语句没有列出名目"      # "共5个项目实行绩效目标管理": a count, no names
    if ans.value is None:
        return _sentence_failure(ans, qq)
    if intent not in NUMERIC and intent not in ("narrative", "list"):
        return None               # a sentence quoted without a figure is checked by its own word overlap
    alone = unit_alone(qq, plan, ans)
    if alone:
        return alone
    if intent in ("value", "narrative") and ans.unit in N.MONEY and ans.citations and \
            all(c.section is not None for c in ans.citations) \
            and not _quoted(ans):
        return "找到的数字不在所引的原文中（原文跨页或未能逐字引用）"
    other_funds = [w for w in _FUNDS if "非" + w in qq.q]
    if other_funds and any(re.search(rf"(?<!非){w}", f"{c.source}{c.quote}") or
                           any(re.search(rf"(?<!非){w}", f"{f.column}{f.row}") for f in _cited_facts(qq, ans))
                           for w in other_funds for c in ans.citations):
        return f"问的是包括非{other_funds[0]}资金在内的数字，找到的只是{other_funds[0]}的"
    if _WHO_Q.search(qq.text):
        return "问的是谁或哪个单位（名称），找到的是数字"
    if ans.unit == "分" and not re.search(r"分数|得分|评分|分值|几分|多少分|score", qq.text, re.I):
        return "找到的是评分（分），不是所问的金额或数量"
    if intent == "count" and _INCLUDING.search(qq.text):
        return "问的是包括某一部分在内的总数，文件写出的数字是否已包括它无法确定；请分开问各部分"
    if _WHICH_BODIES_Q.search(qq.text) and intent not in ("list", "count"):
        return "问的是哪些单位或机构（名称），找到的是一个数字"
    other = _other_measure(ans, qq) or _stated_otherwise(ans, qq)
    if other:
        return other
    if _echoes_question(ans, qq):
        return "找到的数字就是问题里给出的数字，不是所问的那一项"
    unexplained = [w for w in plan.leftover if not _explained(w, ans, qq) and not _names_department(w, qq.ctx)
                   and not counted_noun(w, ans, qq)]
    if unexplained:
        return f"问题中的“{'、'.join(unexplained)}”在文件中没有对应的项目"
    apart = [w for w in plan.leftover if stated_apart(w, ans, qq)]
    if apart:
        return f"问题还说到“{apart[0]}”，文件在同一节中为它另写了数字"
    period = asked_period(qq.q)
    if period and not period[1].search(match_form("".join(
            [f"{c.source}{c.section or ''}{c.quote}" for c in ans.citations] +
            [f"{f.column}{f.row}" for f in _cited_facts(qq, ans)]))):
        return f"问的是{period[0]}的数字，找到的是全年数"
    for f in _cited_facts(qq, ans):       # a quantity column read with the table's money unit (数量 1 "万元")
        if QUANTITY_COLUMN.search(f.column.split("·")[-1]) and intent in ("value", "convert") and \
                _states(ans, f) and not count_unit(qq.text, qq.q):
            return f"找到的数字在“{f.column}”一栏，是数量，不是金额"
    for f in _cited_facts(qq, ans):       # another fund's table answers only a question about that fund or its rows
        title = match_form(qq.ctx.titles.get(f.table, ""))
        for fund, said in (("政府性基金", r"政府性基金|基金"), ("国有资本经营", r"国有资本|国资")):
            if fund in title and not re.search(said, qq.q) and match_form(clean_label(f.row)) not in qq.q:
                return f"找到的数字在{fund}预算表中，问题问的不是{fund}预算"
    if intent == "count" and ans.citations and all(c.section for c in ans.citations):
        asked = match_form(qq.text)       # a count stated in the text: its section speaks of the thing named
        for m in qq.mentions:
            span = qq.q[m.start:m.end]
            if any(c.kind == "row" for c in m.candidates) and len(span) >= 4 and span in asked and \
                    not _explained(span, ans, qq, names=False):
                return f"文中的数字说的不是“{m.name}”"
    if intent == "narrative":             # a sentence stands for a figure only if it names every thing named
        said = match_form("".join(c.quote for c in ans.citations))
        for m in qq.mentions:
            if any(c.kind in ("row", "column") for c in m.candidates) and match_form(m.name) not in said and \
                    qq.q[m.start:m.end] not in said:
                return f"找到的语句没有说到“{m.name}”"
    narrower = _narrower_subject(qq) if ans.citations and all(c.section for c in ans.citations) else None
    if narrower and intent in ("value", "convert", "narrative"):
        return f"文中的数字是“{narrower}”的，问题只问到其中的一部分名称"
    if intent in ("share",) and ans.unit == "%":
        v = N.Decimal(str(ans.value))
        if v < 0 or v > 100:
            return f"算出的占比为{ans.value}%，部分不可能大于整体"
        if v == 100 and any(is_department(qq.ctx, f.row) for f in _cited_facts(qq, ans)):
            return "作为“部分”的是部门自身的合计行，它就是整体"
    if "describe" in plan.ops and intent in NUMERIC:
        return "问的是用途或内容，找到的只是一个数字"
    asked = set(plan.ops) & {"share", "ratio", "difference", "difference of shares"}
    if asked and intent in ("value", "convert", "narrative", "count"):     # ("实有人员比编制少多少人": one count)
        return "问的是计算结果（占比、倍数或差额），找到的只是单个数字"
    shape = asked_shape(plan, ans, qq)
    if shape:
        return shape
    if intent in ("share", "share_gap") and ans.unit != "%":
        return "问的是占比，找到的不是百分比"
    unit_q = count_unit(qq.text, qq.q)
    if unit_q is not None and ans.unit in N.MONEY and intent not in ("share", "ratio") and \
            ans.extra.get("with_count") != unit_q:       # (the money asked beside the count, both given)
        return f"问的是数量（{unit_q}），找到的是金额"
    if unit_q is None and ans.unit in ("个", "项", "人", "辆", "台") and intent not in ("count", "list") and \
            _MONEY_Q.search(qq.q):
        return "问的是金额，找到的是数量"
    if ans.unit in ("个", "项") and intent == "count" and unit_q in ("人", "辆", "台", "平方米"):
        return f"问的是{unit_q}数，找到的是项目个数"
    label = ans.subject or ""
    if _STOCK_Q.search(qq.text) and not _FLOW_Q.search(qq.text) and _FLOW_L.search(label):
        return f"问的是现有数（存量），找到的“{label}”是本年拟购置数（流量）"
    if _FLOW_Q.search(qq.text) and _STOCK_L.search(label) and not _STOCK_L.search(qq.text):
        return f"问的是本年购置数，找到的“{label}”是现有数"
    if ans.unit == "人" and (other_headcount(label, qq.q) or any(
            other_headcount(_before_figure(c.quote, ans.value), qq.q) for c in ans.citations[:1])):
        return "问的人数与找到的人数计法不同（编制数与实有人数不是一回事）"
    basic_only = _basic_part_only(ans, qq) if intent == "value" else None
    if basic_only:
        return basic_only
    if intent == "previous" and qq.ctx.doc.kind == "预算" and _ACTUAL_Q.search(qq.text) and not any(
            _OUTTURN.search(f"{c.section or ''}{c.quote}") for c in ans.citations):
        return "问的是上年实际花了多少（执行数或决算），文件写的是上年预算"
    if set(plan.ops) & {"max", "min"} and intent not in ("max", "min", "list"):
        return "问的是其中最大/最小的一项，找到的是单个数字（可能是整体本身）"
    if intent in ("max", "min") and any(match_form(r.subject) == match_form(label) for r in plan.operands):
        return "最大/最小项不能是所问的整体本身"
    for kind, what in plan.constraints:
        if kind == "as_of" and not any(_as_of(what, c.quote) or _as_of(what, _sentence_head(qq.ctx, c))
                                       for c in ans.citations):
            return f"问的是截至{what}的数，找到的数字没有写明是那时的"
        if kind == "exclude" and any(what in match_form(c.quote) and not re.search(
                r"(?:不含|不包括|不包含|除去|除了|扣除|不算)" + re.escape(what), match_form(c.quote))
                for c in ans.citations):      # (a row printed "事业收入（不含教育收费）" leaves it out itself)
            return f"问的是不含“{what}”的数，找到的数字包含它"
    if intent in ("value", "list") and len(plan.operands) >= 2:
        for r in plan.operands:       # a value answer accounts for every thing named, not for the first only
            key = match_form(r.subject)
            m = next((m for m in qq.mentions if (m.start, m.end) == r.span), None)
            if m is not None and included_aside(qq, m, ans):
                continue              # "（含上年结转）": said to be inside the figure asked
            if not (_explained(key, ans, qq, names=False, sections=False) if len(key) >= 2 else True) and \
                    match_form(ans.subject or "") != key:
                if not _cited_facts(qq, ans):
                    return f"找到的数字不是“{r.subject}”的"
    if intent in ("value", "narrative", "convert"):
        swallowed = _swallowed(qq)
        if swallowed:
            return f"问题中的“{swallowed[0]}”不在找到的“{swallowed[1]}”之中"
    other = other_stated(plan, ans, qq) or part_asked(plan, ans, qq)
    if other:
        return f"问题还说到“{other}”，文件在同一句中为它另写了数字"
    generic = only_generic(ans, qq)
    if generic:
        return f"问题只说了“{generic}”，找到的“{ans.subject}”还说了问题没有说的"
    whole = whole_meant(ans, qq)
    if whole:
        return f"找到的是同一句中“{whole}”的一部分，问题没有说是哪一部分"
    if intent == "value" and ans.extra.get("several"):
        # several things of that name with different figures, and nothing in the question says which
        return f"文件中有{len(ans.extra['several'])}项都名为“{ans.subject}”，数字不同，问题没有说明是哪一项"
    # (a sum, ratio, share or difference of partly named things is as unsure as one of them)
    if intent in ("value", "sum", "ratio", "difference", "share", "share_gap"):
        alike = _ambiguous(qq)
        if alike and intent == "sum":  # the rivals a sum adds up itself are no rivals
            added = {match_form(clean_label(f.row)) for f in _cited_facts(qq, ans)}
            alike = alike if any(match_form(clean_label(n)) not in added for n in alike[1:]) else []
        if alike:
            return f"{SHARED_NAME}“{alike[0]}”，文件中有几项都以此为名：{'、'.join(alike[1:4])}"
    if intent == "sum":
        facts = _cited_facts(qq, ans)
        kinds = {f.code[0] for f in facts if f.code and f.code[0] in "23"}
        if len(kinds) > 1:
            return "相加的项目分属功能分类和经济分类，不能相加"
        labels = {(f.table, f.row) for f in facts}
        if any((f.table, a) in labels for f in facts for a in f.path):
            return "相加的项目中有一项包含另一项，会重复计算"
    if intent in ("share", "ratio", "difference", "sum", "share_gap"):
        partial = _partly_named(qq)
        if partial:
            return f"{SHARED_NAME}“{partial[0]}”，找到的是“{partial[1]}”，不能确定就是所问的那一项"
    missing = _unexplained_operand(plan, ans, qq)
    if missing:
        return f"找到的数字不是“{missing}”的"
    if plan.entity and plan.operands and intent in ("value", "sum", "narrative") and \
            not _answers_operand(plan, ans, qq):
        # "X中心的三公经费" answered with X中心's own rows (or a table only titled like it): not the item asked
        return f"找到的是“{plan.entity}”的其他数字，不是所问的“{plan.operands[0].subject}”"
    units = [u for u in dict.fromkeys(entity_of(qq.ctx, m) for m in qq.mentions) if u and not is_department(qq.ctx, u)]
    if len(units) >= 2 and ans.value is not None:     # "无锡学院的收入是无锡机电学校的多少倍": each unit's own figure
        facts = _cited_facts(qq, ans)
        quoted = match_form("".join(c.quote or "" for c in ans.citations if c.section))
        for u in units:
            k = match_form(u)
            if not any(k in (match_form(f.row), match_form(f.entity or "-")) or k in map(match_form, f.path)
                       for f in facts) and k not in quoted:
                return f"找到的数字不是“{u}”这个单位的"
    if plan.entity and not is_department(qq.ctx, plan.entity):
        key = match_form(plan.entity)
        facts = _cited_facts(qq, ans)

        def of_unit(f) -> bool:
            return key == match_form(f.row) or key in map(match_form, f.path) or key in match_form(f.column) or \
                key == match_form(f.entity or "-")      # a per-unit row run by that unit (单位名称 | 项目名称)
        if not facts or not any(of_unit(f) for f in facts):
            return f"找到的数字不是“{plan.entity}”这个单位的"
        dept_whole = intent == "share" and _DEPT_WHOLE.search(qq.q[qq.q.find("占"):] if "占" in qq.q else "")
        if intent == "share" and dept_whole and of_unit(facts[0]) and all(
                of_unit(f) or f.entity in ("", qq.ctx.doc.department or "") and not f.path for f in facts[1:]):
            return None       # "X中心占部门收入合计的比重": the unit's row against the department's own total
        if intent in ("share", "ratio", "difference", "sum", "share_gap") and not all(of_unit(f) for f in facts) and \
                not (len(units) >= 2 and intent in ("ratio", "difference", "sum")):   # (each unit its own operand)
            return f"参与计算的数字不都是“{plan.entity}”这个单位的（部分与整体须同属一个单位）"
    return None


def _narrower_subject(qq) -> str | None:
    """A figure of the text matched on the tail of its subject only, whose head names another standard item
    ("…机关运行经费财政拨款预算" for "财政拨款预算"): the figure is that item's, not the thing asked."""
    from .lexicon import SYNONYMS     # the standard items (a fund's name, 一般公共预算, is no item: a measure)
    names = {match_form(long) for _, long in SYNONYMS if len(match_form(long)) >= 4}
    for m in qq.mentions:
        top = m.candidates[0] if m.candidates else None
        if top is None or top.kind != "narrative":
            continue
        span = qq.q[m.start:m.end]
        head = top.key.replace(span, " ", 1) if span in top.key else ""
        if any(k in part for part in head.split() for k in names if k not in span and span not in k):
            return top.name
    return None


def _given(text: str) -> set[str]:
    """The amounts the question itself writes ("支出预算15184.81万元里…"), as answers state them."""
    out = set()
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*(万元|亿元|元)", text):
        out.add(N.plain(N.Decimal(m.group(1)), m.group(2)))
    return out


def _states(ans, f) -> bool:
    """The answer's figure is this cell's, as printed or converted to the answer's money unit."""
    if ans.unit not in N.MONEY or f.unit not in N.MONEY:
        return False
    return ans.value in (N.plain(f.value, f.unit),
                         N.plain(N.to_unit(N.Operand(f.row, f.value, f.unit), ans.unit).value, ans.unit))
