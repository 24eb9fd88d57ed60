"""Questions whose right answer is known by construction from a document's own stored facts (issue 9).

`cases(parsed, others, per_family, seed)` builds, for one parsed document, question families of two sorts:

- POSITIVE (must answer the stored value): a row label that is unique in the document (no other label
  contains it, one row per table) whose figure is the same in every table that prints it (first current
  column) — asked plainly ("X是多少", "X有多少", "X安排了多少钱", "今年X预算多少"), with the department's name
  in front, and after a preamble ("我想问一下，…").
- NEGATIVE (must refuse: any answer given is a wrong figure):
  `foreign_label` a label of another document that this one's text never contains; `other_year` a real label
  with a year the document's text never names; `other_unit` a real label of a unit (单位) named only by
  another document; `measure` a real label with a measure the document has no column for (决算数 in a
  budget, 人均, 月工资, 几个人负责); `qualifier` a real label with a qualifier no table splits by (境外部分,
  给个人的部分), the qualifier absent from the document's text; `person` a person or head (局长的工资).

`score(case, answerable, value, unit)` gives "right", "wrong" or "refused" by the contract's rules (value
within tolerance after converting 元/万元/亿元). Deterministic for a seed; at most `per_family` per family.
Does not handle: labels whose figure differs between tables (skipped: which is right depends on the reading),
narrative-only figures, per-unit rows (skipped for positives).
"""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from index.models import ParsedDocument

from .scoring import value_matches

_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】,，.。:：;；、!！?？·•\-—_/\\]")
_GENERIC = re.compile(r"^(?:其他|其它|其中|合计|小计|总计|本年|上年|一般|支出|收入)|合计|总计|小计|[0-9０-９]")
_GARBLED = re.compile(r"[、，,;；]|[(（]\s*[)）]|^[-—·•]|表$")
_CORE = re.compile(r"费用|经费|资金|支出|收入|机关|预算|项目|专项|业务|安排的?|拨款|情况|补助|费|类|款|项")
_SKIP_MEASURES = {"previous", "change", "change_pct", "completion_rate", "carryover"}

POSITIVE = ("plain", "department", "preamble", "with_year", "in_yuan", "several")
NEGATIVE = ("foreign_label", "missing_concept", "other_year", "relative_year", "other_unit", "invented_unit",
            "own_unit", "subunits", "other_body", "measure", "qualifier", "count", "narrative_only", "indicator", "person")
FAMILIES = POSITIVE + NEGATIVE

_PLAIN = ("{x}是多少", "{x}有多少", "{x}安排了多少钱", "今年{x}预算多少")
_PREAMBLE = ("我想问一下，{x}是多少？", "您好，请问{x}安排了多少钱？", "我是一名普通市民，想了解{x}有多少")
_MEASURE = (("{x}的决算数是多少", "决算", "final"), ("{x}的人均是多少", "人均", None),
            ("{x}的月工资是多少", "月工资", None), ("{x}有几个人负责", "几个人", None),
            ("{x}的执行率是多少", "执行率", "completion_rate"), ("{x}每个月花多少钱", "每个月", None),
            ("{x}涉及多少人", "涉及多少人", None))
_QUALIFIER = (("{x}的境外部分是多少", "境外"), ("{x}中给个人的部分是多少", "给个人"),
              ("{x}里用于农村的部分有多少", "农村"), ("{x}第三季度花了多少", "第三季度"),
              ("{x}的上半年支出是多少", "上半年"), ("{x}中外包的部分是多少", "外包"))
_RELATIVE = (("前年{x}是多少", "前年"), ("明年{x}预算多少", "明年"), ("大前年的{x}是多少", "大前年"),
             ("下一年度{x}安排多少", "下一年度"), ("三年前{x}是多少", "三年前"), ("十四五期间{x}累计多少", "十四五"))
_INVENTED = ("第二中学", "第一分局", "档案馆", "培训中心", "信息中心", "机关服务中心", "第三人民医院", "东城分局")
_COUNT = (("有多少在编人员", "在编"), ("一共有多少辆公务车", "公务车|车辆"), ("有几个下属单位", "下属|直属|所属"),
          ("计划开展多少个项目", "开展"), ("有多少名退休人员", "退休人员"), ("办公用房有多少平方米", "办公用房"),
          ("有多少个内设处室", "处室"), ("一共有几台服务器", "服务器"))
# standard concepts of a disclosure, with the words any document that has them prints
_CONCEPTS = (("机关运行经费", "机关运行"), ("政府采购预算", "政府采购"), ("会议费", "会议"), ("培训费", "培训"),
             ("政府性基金预算支出", "政府性基金|基金"), ("国有资本经营预算", "国有资本"), ("公务用车购置费", "购置"),
             ("政府购买服务", "购买服务"), ("因公出国（境）费", "出国|出境"), ("公务接待费", "接待"),
             ("单价100万元以上的设备", "设备"), ("事业收入", "事业收入"), ("上级补助收入", "上级补助"),
             ("经营收入", "经营收入"), ("债务还本支出", "债务|还本"), ("预备费", "预备费"))
_SUBUNITS = ("下属事业单位的{x}是多少", "所属单位的{x}分别是多少", "各分局的{x}分别是多少", "基层单位的{x}一共多少")
_BODIES = ("日报社的广告收入是多少", "电视台的经营收入是多少", "市人民医院的医疗收入是多少", "城投集团的融资额是多少",
           "农商银行的贷款余额是多少", "市第一中学的学费收入是多少")
_INDICATORS = ("全市GDP增长目标是多少", "地区生产总值是多少", "外贸进出口总额目标是多少", "城镇居民人均可支配收入是多少",
               "全市常住人口有多少", "社会消费品零售总额是多少", "一般公共预算收入增长目标是多少")
_PERSON = ("局长的工资是多少", "局长一个月工资多少钱", "主任的年薪是多少", "一把手的工资有多少",
           "主任叫什么", "局长叫什么名字", "处长的工资是多少", "领导的奖金是多少", "局长的电话是多少",
           "会计叫什么名字", "副局长出差补助多少钱", "办公室在几楼")


@dataclass(frozen=True)
class Case:
    doc: str
    family: str
    question: str
    positive: bool
    value: str | None = None       # the stored figure (positives)
    unit: str | None = None
    label: str = ""                # the label (or word) the case is built on
    accept: tuple[str, ...] = ()   # `several`: any of these figures (the label's own cells) is right


def form(text: str) -> str:
    return _DROP.sub("", unicodedata.normalize("NFKC", text or ""))


def doc_text(parsed: ParsedDocument) -> str:
    """Everything the document prints, in match form: pages, table titles, row labels, section text."""
    parts = list(parsed.page_texts) + [t.title for t in parsed.tables] + [f.row for f in parsed.facts] + \
        [s.text + "".join(s.heading) for s in parsed.sections]
    return form("".join(parts))


def _by_label(parsed: ParsedDocument) -> dict[str, list]:
    """The document's cells grouped by their row label's match form."""
    out: dict[str, list] = {}
    for f in parsed.facts:
        out.setdefault(form(_clean(f.row)), []).append(f)
    return out


def _plain_label(key: str, printed: str, facts: list, by_label: dict) -> bool:
    """A label a plain question can name: read cleanly (not "八事业单位…、", numbering or punctuation astray),
    4–16 characters, not generic, no total or unit row, and no other label containing it (a question could
    mean either)."""
    if _GARBLED.search(printed) or re.match(r"[一二三四五六七八九十](?!般)", printed):
        return False
    if len(key) < 4 or len(key) > 16 or _GENERIC.search(key) or any(f.is_total or f.entity for f in facts):
        return False
    return not any(key != k and key in k for k in by_label)


_STATED = re.compile(r"[^，。；！？\d]{0,24}?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万?元")


def _stated_otherwise(parsed: ParsedDocument, key: str, value) -> bool:
    """The narrative names the label and, in the same clause right after it, an amount other than `value`."""
    for sec in parsed.sections:
        text = form(sec.text)
        at = text.find(key)
        while at >= 0:
            m = _STATED.match(text, at + len(key))
            if m and Decimal(m.group(1).replace(",", "")) != Decimal(str(value)):
                return True
            at = text.find(key, at + 1)
    return False


def labels(parsed: ParsedDocument) -> dict[str, tuple[str, str, str]]:
    """{printed label: (match form, value, unit)} for labels that a plain question must answer with one figure."""
    by_label = _by_label(parsed)
    out = {}
    for key, facts in by_label.items():
        printed = _clean(facts[0].row)
        if not _plain_label(key, printed, facts, by_label):
            continue
        rows = {(f.table, f.row_index) for f in facts}
        if len(rows) != len({f.table for f in facts}):
            continue               # two rows of that name in one table
        values = set()
        for table in {f.table for f in facts}:
            t = parsed.table(table)
            mine = [f for f in facts if f.table == table and f.measure not in _SKIP_MEASURES
                    and not re.search(r"上年|去年|增减|比上年|\d{4}年|数量|台数|个数|件数|套数|人数|面积", f.column or "")]
            if t is not None and t.columns:
                first = [f for f in mine if f.column == t.columns[0]] or \
                    [f for f in mine if f.measure in ("total", "current", "amount")]
            else:
                first = mine
            if not first:
                values.add(None)
                continue
            values.add((first[0].value, first[0].unit))
        if len(values) != 1 or None in values:
            continue
        (value, unit), = values
        if value == 0:
            continue               # "0" is a figure many wrong readings also give
        if _stated_otherwise(parsed, key, value):
            continue               # the text states another figure for it (the department's whole 委托业务费,
            # 8,967.80, where the one table printing the row has its 基本支出 part, 493.00)
        out[_clean(facts[0].row)] = (key, str(value), unit)
    return out


_MARK = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[.、]|其中[:：])\s*")


def _clean(label: str) -> str:
    prev = None
    while prev != label:
        prev, label = label, _MARK.sub("", label).strip()
    return label


def _several(parsed: ParsedDocument) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """{label: (a figure, unit, every figure of its own cells)} for labels of one row per table whose figure
    differs between tables: an answer must be one of the label's own cells (which one is the reader's choice)."""
    one = labels(parsed)
    by_label = _by_label(parsed)
    by_column: dict[str, list] = {}          # a column of the label's name (the 三公 table's 公务接待费)
    for f in parsed.facts:
        by_column.setdefault(form(_clean(f.column.split("·")[-1])), []).append(f)
    out = {}
    for key, facts in by_label.items():
        printed = _clean(facts[0].row)
        if printed in one or not _plain_label(key, printed, facts, by_label) or len({f.unit for f in facts}) != 1:
            continue
        if len({(f.table, f.row_index) for f in facts}) != len({f.table for f in facts}) or \
                len({f.table for f in facts}) < 2:
            continue
        cells = {str(f.value) for f in facts}
        firsts = {}
        for f in facts:                    # the tables' figures added up (基本支出 + 项目支出 tables) is right too
            firsts.setdefault(f.table, f.value)
        cells |= {str(f.value) for f in by_column.get(key, ()) if f.unit == facts[0].unit}
        cells = sorted(cells | {str(sum(firsts.values()))})
        if len(cells) < 2 or facts[0].value == 0:
            continue
        out[printed] = (str(facts[0].value), facts[0].unit, tuple(cells))
    return out


def _years(text: str, year: int | None) -> list[int]:
    if not year:
        return []
    return [y for y in (year - 4, year - 6, year + 2) if str(y) not in text]


def _grams(key: str) -> set[str]:
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _foreign(key: str, text: str, mine: set[str]) -> bool:
    """Another document's label that names nothing of this one: neither it nor its core (generic words
    such as 费用, 支出, 机关 taken out) is printed here, and it is no near-variant of a label of this one."""
    core = _CORE.sub("", key)
    if key in text or len(core) < 2 or core in text:
        return False
    g = _grams(key)
    return all(len(g & _grams(k)) / max(1, len(g | _grams(k))) < 0.4 for k in mine)


def cases(parsed: ParsedDocument, others: list[ParsedDocument], per_family: int = 20, seed: int = 0) -> list[Case]:
    """The question families for one document; `others` are the store's other documents (for foreign labels
    and units)."""
    d = parsed.document
    rng = random.Random(f"{seed}:{d.id}")
    text = doc_text(parsed)
    mine = labels(parsed)
    names = sorted(mine)
    rng.shuffle(names)
    out: list[Case] = []

    def add(family, q, positive, label, value=None, unit=None, accept=()):
        if sum(c.family == family for c in out) < per_family and all(c.question != q for c in out):
            out.append(Case(d.id, family, q, positive, value, unit, label, accept))

    city = re.match(r"^(.{2,4}?[市省区县])", d.department or "")
    for i, x in enumerate(names):
        key, value, unit = mine[x]
        add("plain", _PLAIN[i % len(_PLAIN)].format(x=x), True, x, value, unit)
        if d.department:
            add("department", f"{d.department}的{x}是多少", True, x, value, unit)
        add("preamble", _PREAMBLE[i % len(_PREAMBLE)].format(x=x), True, x, value, unit)
        if d.year:
            add("with_year", f"{d.year}年{x}{d.kind}是多少", True, x, value, unit)
        if unit in ("万元", "亿元"):
            add("in_yuan", f"{x}是多少元", True, x, value, unit)
    for x, (value, unit, accept) in sorted(_several(parsed).items()):
        add("several", f"{x}是多少", True, x, value, unit, accept)
    printed = {form(_clean(f.row)) for f in parsed.facts} | {form(c) for t in parsed.tables for c in t.columns
                                                             for c in c.split("·")}
    foreign = sorted({x for o in others for x, (key, _, _) in labels(o).items()
                      if _foreign(key, text, printed) and not re.search(r"和|及|与|、", key)})
    rng.shuffle(foreign)
    for i, x in enumerate(foreign):
        add("foreign_label", _PLAIN[i % len(_PLAIN)].format(x=x), False, x)
    years = _years(text, d.year)
    for i, x in enumerate(names):
        if years:
            y = years[i % len(years)]
            add("other_year", (f"{y}年的{x}是多少", f"{y}年{x}安排了多少")[i % 2], False, f"{y}:{x}")
    units = sorted({u for o in others for u in (*o.document.units,
                                                *(f.entity for f in o.facts if f.entity), o.document.department)
                    if u and len(form(u)) >= 4 and form(u) not in text})
    rng.shuffle(units)
    for i, x in enumerate(names):
        if units:
            u = units[i % len(units)]
            add("other_unit", f"{u}的{x}是多少", False, f"{u}:{x}")
    measures = {f.measure for f in parsed.facts}
    usable = [(t, w) for t, w, m in _MEASURE if (m is None or m not in measures) and form(w) not in text
              and not (w == "决算" and d.kind == "决算")]
    for i, x in enumerate(names):
        if usable:
            t, w = usable[i % len(usable)]
            add("measure", t.format(x=x), False, f"{w}:{x}")
    quals = [(t, w) for t, w in _QUALIFIER if w not in text]
    for i, x in enumerate(names):
        if quals:
            t, w = quals[i % len(quals)]
            add("qualifier", t.format(x=x), False, f"{w}:{x}")
    own = sorted({u for u in (*d.units, *(f.entity for f in parsed.facts if f.entity))
                  if u and len(form(u)) >= 4 and form(u) != form(d.department) and not re.search(r"本级", u)})
    for i, x in enumerate(names):          # a unit of this document with an item it is not broken down by
        if own:
            u = own[i % len(own)]
            broken = any(form(f.entity) == form(u) or form(u) in map(form, f.path) for f in parsed.facts
                         if form(_clean(f.row)) == mine[x][0]) or \
                any(mine[x][0] in form(f.column) and form(u) in form(f.row) + "".join(map(form, f.path))
                    for f in parsed.facts)      # a table of units (rows) by items (columns)
            if not broken and len({f.entity for f in parsed.facts if f.entity}) >= 2:
                add("own_unit", f"{u}的{x}是多少", False, f"{u}:{x}")
    for x, said in _CONCEPTS:
        if not re.search(said, text):
            add("missing_concept", (f"{x}是多少", f"今年{x}安排了多少", f"{x}一共多少钱")[len(out) % 3], False, x)
    if not d.units and not any(f.entity for f in parsed.facts) and not re.search(r"下属|所属|分局|基层单位", text):
        for i, x in enumerate(names):
            add("subunits", _SUBUNITS[i % len(_SUBUNITS)].format(x=x), False, x)
    for b in _BODIES:
        body = (city.group(1) if city else "") + b
        if form(body.split("的")[0]) not in text:
            add("other_body", body, False, body)
    for q in _INDICATORS:
        if not re.search(r"生产总值|GDP|进出口|可支配收入|常住人口|零售总额|收入增长", text):
            add("indicator", q, False, q)
    rel = [(t, w) for t, w in _RELATIVE if form(w) not in text]
    for i, x in enumerate(names):
        if rel:
            t, w = rel[i % len(rel)]
            add("relative_year", t.format(x=x), False, f"{w}:{x}")
    made = [city.group(1) + u for u in _INVENTED if city and form(city.group(1) + u) not in text and form(u) not in text]
    for i, x in enumerate(names):
        if made:
            add("invented_unit", f"{made[i % len(made)]}的{x}是多少", False, f"{made[i % len(made)]}:{x}")
    counted = " ".join(c.subject for c in parsed.counts)
    for q, w in _COUNT:
        if not re.search(w, text) and not re.search(w, counted):
            add("count", q, False, w)
    for x in _unfigured_names(parsed, text, set(mine) | {form(f.row) for f in parsed.facts}, rng):
        add("narrative_only", f"{x}安排了多少钱", False, x)
    for q in _PERSON:
        add("person", q, False, q)
    return out


_NAMED = re.compile(r"([\u4e00-\u9fff]{2,10}(?:工程|项目|建设|改造|平台|系统|工作))")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%)")


def _unfigured_names(parsed: ParsedDocument, text: str, rows: set[str], rng) -> list[str]:
    """Names of works the narrative mentions (…工程, …项目, …平台) in sentences that state no amount, that are
    no row of any table and no part of one: a figure for them is not disclosed."""
    out = set()
    said_with_figure = form(" ".join(s for sec in parsed.sections for s in re.split(r"[。；;]", sec.text)
                                     if _FIGURE.search(s)))
    for sec in parsed.sections:
        for sentence in re.split(r"[。；;]", sec.text):
            if _FIGURE.search(sentence):
                continue
            for m in _NAMED.finditer(sentence):
                name = re.sub(r"^(?:[要主]*原因是|主要是|是|要|为|对|在|将|把|以|按|由|与|并|重点|主要|推进|加快|完成|开展|实施|做好|加强|保障|用于|支持|其中|包括|以及|和|及|等)+", "",
                              m.group(1))
                key = form(name)
                if len(key) < 5 or key in said_with_figure or any(key in r or r in key for r in rows if len(r) >= 4) \
                        or re.search(r"部门|预算|支出|经费|资金|收入|单位|公开|情况", key):
                    continue
                out.add(name)
    names = sorted(out)
    rng.shuffle(names)
    return names


def score(case: Case, answerable: bool, value, unit) -> str:
    """'right', 'wrong' (a figure where none is due, or another figure) or 'refused'."""
    if not answerable:
        return "refused"
    if not case.positive:
        return "wrong"
    return "right" if any(value_matches(v, case.unit, value, unit) for v in case.accept or (case.value,)) else "wrong"
