"""Narrative: sections under their headings, statements of change, and the document's own metadata.

Input is the narrative text of each page (tables, page numbers and running headers already removed by the
reader). Headings are recognised by the numbering budget disclosures use (第一部分, 一、, （一）); a
paragraph wrapped over lines (and over page breaks) is joined back. Statements of change ("公务接待费5.6万元，
比上年增加1万元，增长21.74%，主要原因是…") become `ChangeFact`s. Nothing here reads tables.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ._rows import parse_amount
from .models import ChangeFact, Section, clause_start, page_of

_CN = "一二三四五六七八九十"
PART_RE = re.compile(rf"^第[{_CN}]+部分")
H1_RE = re.compile(rf"^[{_CN}]+、")
H2_RE = re.compile(rf"^[（(][{_CN}]+[)）]")
_SENT_END = "。；！？"


_TOC = re.compile(r"[…\.]{6,}\s*\d*\s*$")
_TITLE_END = re.compile(r"(?:职能|职责|机构设置|名词解释|编制说明|情况说明|相关情况说明|概况|预算构成|简介)$")


def _collapse(line: str) -> str:
    """Letter-spaced PDF text ("江 苏 省 2019 年 度") back to normal: no spaces next to CJK characters."""
    lead = len(line) - len(line.lstrip(" \u3000"))
    body = re.sub(r"(?<=[^\x00-\x7f])[ \t]+|[ \t]+(?=[^\x00-\x7f])", "", line[lead:])
    return line[:lead] + body


def _heading_level(line: str) -> int | None:
    """0 for 第N部分 or a title line (…职能, …名词解释, …情况说明), 1 for 一、, 2 for （一）; None for body text.
    A heading is short and not a sentence."""
    s = line.strip(" \u3000")
    if PART_RE.match(s) and len(s) <= 40:
        return 0
    if len(s) <= 36 and _TITLE_END.search(s) and not re.search(r"[。；，,:：]", s) and \
            not re.match(r"^(?:\d+[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)", s):
        return 0
    if len(s) > 40 or any(ch in s for ch in "。；，"):
        return None
    if H1_RE.match(s):
        return 1
    if H2_RE.match(s) and len(s) <= 25:
        return 2
    return None


_DEF_RE = re.compile(rf"^([{_CN}]+、[^:：，。]{{1,30}}?)\s*[:：]\s*(.+)$")


def parse_narrative(pages: list[tuple[int, str]]) -> tuple[list[Section], list[ChangeFact]]:
    """Split narrative pages into sections and extract the change statements in them."""
    sections: list[Section] = []
    heading: list[str] = []
    paras: list[str] = []
    sec_pages: list[int] = []
    just_headed = False

    def flush() -> None:
        text = "\n".join(p for p in paras if p.strip())
        if text.strip():
            sections.append(Section(id=f"s{len(sections):03d}", heading=tuple(heading), text=text,
                                    pages=tuple(dict.fromkeys(sec_pages))))
        paras.clear()
        sec_pages.clear()

    for page, text in pages:
        for raw in text.split("\n"):
            line = _collapse(raw.rstrip())
            if not line.strip() or _TOC.search(line):
                continue
            s = line.strip(" \u3000")
            dm = _DEF_RE.match(s) if H1_RE.match(s) else None
            level = None if dm else _heading_level(line)
            if just_headed and heading and len(s) <= 12 and not re.search(r"[。；，,:：\d]", s) and \
                    not H1_RE.match(s) and not H2_RE.match(s) and not PART_RE.match(s):
                heading[-1] += s          # a heading wrapped onto a second line ("…支出预" + "算情况说明")
                just_headed = False
                continue
            just_headed = level is not None
            if level is not None or dm:
                flush()
                lvl = level if level is not None else 1
                title = dm.group(1) if dm else s
                del heading[lvl:]
                while len(heading) < lvl:
                    heading.append("")
                heading.append(title)
                if dm:
                    paras.append(s)
                    sec_pages.append(page)
                continue
            sec_pages.append(page)
            starts_para = line.startswith("\u3000\u3000") or line.startswith("  ")
            if paras and not starts_para and paras[-1] and paras[-1][-1:] not in _SENT_END + "：:":
                paras[-1] += s
            elif paras and not starts_para and paras[-1] and not re.match(r"^(\d+[.、．]|目标\d|[（(])", s):
                paras[-1] += s
            else:
                paras.append(s)
    flush()
    sections = [Section(s.id, tuple(h for h in s.heading if h), s.text, s.pages) for s in sections]
    changes = [c for sec in sections for c in extract_changes(sec, pages)]
    return sections, changes


_AMT = r"\d[\d,]*(?:\.\d+)?"
_VAL_RE = re.compile(rf"({_AMT})\s*(万元|亿元|元)")
_TRIGGER = re.compile(r"(?:比|较|与|同)(?:上年|上一年|去年|20\d{2}年)(?:年初)?(?:预算数?|度|决算数?)?(?:相比|比较)?[，,]?"
                      r"|(?:和|跟)(?:上年|上一年|去年|20\d{2}年)(?:年初)?(?:预算数?|度|决算数?)?(?:相比|比较)[，,]?"
                      r"|同比")
_AMT_SIGNED = r"-?\d[\d,]*(?:\.\d+)?"
# after the trigger: an aside "（注：…）", the base as printed ("2025年年初预算数30385.62万元"), then the direction
_DIR = re.compile(rf"^(?:[（(][^（()）]{{0,40}}[)）])?\s*(?:为?\s*(?P<base>{_AMT})\s*(?P<bunit>万元|亿元|元))?"
                  rf"[^，,。；\d]{{0,16}}?(?P<dir>增加|减少|增长|下降|持平|一致|相同|不变|上升|降低|减低|变化|增|减)了?\s*"
                  rf"(?:(?P<amt>{_AMT_SIGNED})\s*(?P<unit>万元|亿元|元|[%％]))?")
_FLAT = ("持平", "一致", "相同", "不变")
_PCT = re.compile(rf"^[，,]?\s*(增长|下降|增加|减少|增幅|降幅|上升|降低)(?:为|了)?\s*({_AMT})\s*[%％]")
_REASON = re.compile(r"主要原因(?:一)?(?:是|为|：|:)|原因(?:是|为)|主要是|主要用于|主要由于|是因为|主要系")
_NEXT_REASON = re.compile(r"^(?:主要原因(?:一)?(?:是|为|：|:)|原因(?:是|为)|主要是|主要由于|主要系|考虑)")
_SUBJ_STRIP = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）.．、]\s*)?(?:其中[:：])?(?:此外[，,])?"
                         r"(?:\d{4}年(?:度)?)?(?:本部门|本单位|我部门|我单位)?(?:财政拨款(?!收入|支出))?(?:安排)?")
_SUBJ_TAIL = re.compile(r"(?:预算数为|预算数|预算为|为|是|达到?|共计|合计|预算支出|(?<=费)支出|(?:预算)?安排)$")


def _subject_before(text: str, end: int, keep_qualifier: bool = False) -> tuple[str, int]:
    """The subject named just before position `end` (an amount), and where it starts. "…安排的会议费" names
    会议费 unless `keep_qualifier`."""
    start = clause_start(text, end, "，。；;：:\n、,")
    subj = text[start:end]
    stripped = _SUBJ_STRIP.sub("", subj)
    lead = len(subj) - len(stripped)
    if not keep_qualifier and "的" in stripped and len(stripped.rsplit("的", 1)[1]) >= 2:   # "…拨款安排的会议费" -> "会议费"
        lead += len(stripped) - len(stripped.rsplit("的", 1)[1])
        stripped = stripped.rsplit("的", 1)[1]
    tail = _SUBJ_TAIL.sub("", stripped)
    if len(re.sub(r"\W", "", tail)) >= 2:
        stripped = tail
    return stripped.strip(" “”\"") and stripped, start + lead


def _signed(direction: str, amount: Decimal | None) -> Decimal | None:
    if direction in _FLAT:
        return Decimal(0)
    if amount is None:
        return None
    return -amount if direction in ("减少", "下降", "降低", "减低", "减", "降幅") else amount


def _sentence_start(text: str, pos: int) -> int:
    i = pos
    while i > 0 and text[i - 1] not in "。；\n":
        i -= 1
    return i


def extract_changes(section: Section, pages: list[tuple[int, str]] | None = None) -> list[ChangeFact]:
    """Find every statement of change in a section: "X 金额，比上年/与上年相比/较2025年预算[金额] 增加|减少|持平
    金额，增长 N%，主要原因是…" (the subject may stand one or two sentences before, the reason in the next
    sentence). "2026年没有使用…的支出，与上年持平" is a change of 0 for a subject stated without an amount."""
    text = section.text
    out: list[ChangeFact] = []
    for m in _TRIGGER.finditer(text):
        dm = _DIR.match(text[m.end():])
        if not dm:
            continue
        direction, pos = dm.group("dir"), m.end() + dm.end()
        found = _value_before(text, m.start())
        if not found:
            found = _flat_without_amount(text, m.start(), direction) or _own_subject(text, m.start())
            if not found:
                continue
            if found[0] is None:
                found = _stated_before(text, found[2], found[1]) or found
        vm, subject, s_start = found
        unit_d = dm.group("unit")
        is_pct = unit_d in ("%", "％")
        amount = parse_amount(dm.group("amt").lstrip("-")) if dm.group("amt") else None
        if amount is not None and dm.group("amt").startswith("-"):
            amount = -amount
        delta = amount if amount is not None and not is_pct else None
        pct = amount if amount is not None and is_pct else None
        pct_dir = direction
        pm = _PCT.match(text[pos:])
        if pm:
            pct, pct_dir, pos = parse_amount(pm.group(2)), pm.group(1), pos + pm.end()
        end = _clause_end(text, pos)
        clause = text[pos:end]
        rm = _REASON.search(clause)
        reason = clause[rm.end():].strip("，,：: ") if rm else ""
        stop = end + 1 if end < len(text) else end
        if not reason:
            nxt = text[stop:].lstrip()
            nm = _NEXT_REASON.match(nxt)
            if nm and text[end:end + 1] == "。":
                r_end = _clause_end(nxt, nm.end(), stop_at="。")
                reason = nxt[nm.end():r_end].strip("，, ") if not nm.group(0).startswith("考虑") else nxt[:r_end]
                stop = stop + (len(text[stop:]) - len(nxt)) + r_end + (1 if r_end < len(nxt) else 0)
        quote = text[s_start:stop]
        if vm == "zero":
            value, unit = Decimal(0), "万元"
        elif vm is None:
            value, unit = None, unit_d if unit_d and not is_pct else "万元"
        else:
            value, unit = parse_amount(vm.group(1)), vm.group(2)
        base = parse_amount(dm.group("base")) if dm.group("base") and dm.group("bunit") == unit else None
        flat = direction in _FLAT
        out.append(ChangeFact(
            subject=subject.strip(), value=value, unit=unit,
            delta=Decimal(0) if flat else (_signed(direction, delta) if delta is not None else None),
            percent=_signed(pct_dir, pct) if pct is not None else (Decimal(0) if flat else None),
            reason=reason, quote=quote, section=section.id, page=_page_of(quote, section, pages), base=base))
    return out


def _flat_without_amount(text: str, trigger: int, direction: str):
    """"2026年没有使用政府性基金预算拨款安排的支出，与上年持平": (None, subject, start) for a "no such money"
    subject that states no amount and is 持平; None otherwise."""
    if direction not in _FLAT:
        return None
    start = _sentence_start(text, trigger)
    prefix = text[start:trigger].rstrip("，, ")
    if _VAL_RE.search(prefix) or not re.search(r"没有|无|未安排|未使用", prefix):
        return None
    subj = re.sub(r"^.*?(?:没有|无|未安排|未使用)(?:使用)?", "", prefix).strip("，, ")
    return ("zero", subj, start) if len(subj) >= 2 else None


def _own_subject(text: str, trigger: int):
    """"2026年预算比2025年预算增加50.32万元": the sentence's own subject, stated without this year's amount:
    (None, subject, start), so the change is kept without borrowing the amount of the sentence before."""
    start = _sentence_start(text, trigger)
    prefix = text[start:trigger].strip("，, ")
    if not prefix or _VAL_RE.search(prefix) or _TRIGGER.search(prefix) or len(prefix) > 30:
        return None
    subj = _SUBJ_STRIP.sub("", prefix).strip("，, ")
    subj = subj if len(subj) >= 3 else prefix          # "2026年预算" stays itself
    return None, subj, start


def _stated_before(text: str, start: int, subject: str):
    """"支出预算656.73万元，其中：教育支出656.73万元。支出较去年增加24.17万元": a bare subject ("支出") whose
    figure the sentence before states as its own first figure, under a name that contains it ("支出预算"):
    (that figure, that name, where it starts). None when the sentence before opens with another subject, is in
    another paragraph or states a change itself."""
    core = re.sub(r"\W", "", subject)
    if not 2 <= len(core) <= 6 or start == 0 or text[start - 1] != "。":
        return None
    prev = _sentence_start(text, start - 1)
    body = text[prev:start - 1]
    if _TRIGGER.search(body):
        return None
    vm = _VAL_RE.search(text, prev, start - 1)
    if vm is None:
        return None
    name, s_start = _subject_before(text, vm.start())
    if not name or re.search(r"其中|增加|减少|增长|下降|持平", text[prev:vm.start()]):
        return None
    if core in name:
        return vm, name, s_start
    # "机关运行经费预算627.62万元，支出决算627.62万元。支出决算比上年增加…": the sentence's subject, in the
    # column the bare subject names
    head = _MEASURE_TAIL.sub("", name)
    for later in _VAL_RE.finditer(text, vm.end(), start - 1):
        own, _ = _subject_before(text, later.start())
        if re.search(r"其中|增加|减少|增长|下降|持平", text[prev:later.start()]):
            return None
        if own == core and len(head) >= 2 and core not in head:
            return later, head + core, s_start
    return None


_MEASURE_TAIL = re.compile(r"(?:年初预算|调整预算|预算数|预算|决算数|决算|支出|收入|安排)+$")


def _clause_end(text: str, pos: int, stop_at: str = "；。") -> int:
    ends = [i for i in (text.find(c, pos) for c in stop_at) if i >= 0]
    return min(ends) if ends else len(text)


def _value_before(text: str, trigger: int):
    """The amount a change statement is about: in its own sentence before the trigger, else in one of the
    two sentences before (skipping a "主要用于…" aside), never across a paragraph. A trigger that follows
    another one in the same sentence ("…增加0万元，…主要原因是与上年持平") starts no statement."""
    para_start = text.rfind("\n", 0, trigger) + 1
    cut = trigger
    if text[:trigger].endswith(("）", ")")):          # "3.22万元（…）比上年": skip the aside
        depth, i = 0, trigger - 1
        while i >= 0:
            if text[i] in "）)":
                depth += 1
            elif text[i] in "（(":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        cut = max(i, 0)
    start = _sentence_start(text, cut)
    earlier = [t.end() for t in _TRIGGER.finditer(text, start, cut)]
    if earlier:
        return _subject_value(text, earlier[-1], cut, required=True)
    own = _OWN_FILLER.sub("", text[start:cut])
    for n in range(3):
        found = _subject_value(text, start, cut)
        if found is not None:
            return found or None
        if start <= para_start or (n == 0 and own):
            return None       # "2026年预算比2025年预算增加…": the sentence names its own subject, not the one before
        cut = start - 1
        start = _sentence_start(text, cut)
        if _TRIGGER.search(text, start, cut):
            return None                   # the sentence before states its own change
    return None


_OWN_FILLER = re.compile(r"^[\s，,]*(?:其中|此外|同时|另外|与此同时)?[:：，,\s]*$")


def _subject_value(text: str, start: int, cut: int, required: bool = False):
    vals = list(_VAL_RE.finditer(text, start, cut))
    if not vals:
        return False if required else None
    vm = vals[-1]
    subject, s_start = _subject_before(text, vm.start())
    if not subject or re.search(r"[比较与]上年|增加|减少|增长|下降|持平", subject):
        return False          # that amount is another statement's change, not a subject's figure
    return vm, subject, s_start


def _page_of(quote: str, section: Section, pages: list[tuple[int, str]] | None) -> int:
    texts = [""] * max((p for p, _ in pages or []), default=0)
    for p, text in pages or []:
        texts[p - 1] = text
    return page_of(quote, texts, section.pages)


_YEAR_RE = re.compile(r"(20\d{2})\s*年(?:度)?\s*(?:部门|单位)?\s*(预算|决算)")
_DEPT_RES = (
    re.compile(r"单位名称[:：]\s*([^\s，。]{3,40}?)(?:\s|$|单位[:：])"),
    re.compile(r"^\s*([^\s，。0-9]{3,40}?)\s*20\d{2}\s*年(?:度)?\s*(?:部门|单位)?\s*(?:预算|决算)", re.M),
    re.compile(r"第一部分\s*([^\s，。0-9]{3,40}?)\s*概况"),
    re.compile(r"([^\s，。0-9“”]{3,30}?)\s*(?:部门|单位)?\s*(?:预算|决算)\s*(?:公开|说明)"),
)


def detect_meta(text: str) -> tuple[str, int | None, str]:
    """(department, year, kind) from a document's text; ('', None, '预算') when they cannot be told."""
    m = _YEAR_RE.search(text)
    year = int(m.group(1)) if m else None
    kind = m.group(2) if m else ("决算" if "决算" in text[:3000] and "预算" not in text[:3000] else "预算")
    dept = ""
    for rx in _DEPT_RES:
        dm = rx.search(text)
        if dm:
            dept = dm.group(1).strip("“”：:")
            break
    return dept, year, kind
