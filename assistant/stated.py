"""Figures a document states outside its table cells: in the narrative's sentences and in a table's note
("说明：…实有人员72人，其中：在职人员46人"), each with the words before it as its subject, whether it is a part
of a figure stated before it in its sentence (after 其中, or after an amount in its clause), and the item it is
of without the words every figure of the department shares (`core_subject`: "湖州市财政局各单位会议费预算" → 会议费).

Nothing here links a question or computes; `understand.SubjectIndex` makes candidates of these figures.
Not handled: a figure whose subject stands in another sentence than the figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from index.chunks import sentences
from index.models import ParsedDocument

from .lexicon import GENERIC_PIECE


def match_form(text: str) -> str:
    from .understand import match_form as mf
    return mf(text)


@dataclass(frozen=True)
class NarrativeFigure:
    subject: str
    after: str
    value: Decimal
    unit: str
    quote: str                  # the sentence it is stated in
    section: str                # Section.id
    heading: str
    page: int
    part: bool = False          # stated after 其中 (a part of the figure before it in the sentence)


_FIG_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|亿元|元|个|项|台|辆|人|名|家|平方米|%|万(?![\u4e00-\u9fff\d]))")
_MONEY_SENTENCE = re.compile(r"预算|资金|经费|万元")      # where a bare "万" (1170.00万) is 万元
# a figure's subject that names no thing of its own: the section it stands in says whose it is
_BARE_SUBJECT = re.compile(r"^(?:项目)?(?:年度)?(?:总预算|预算总额|预算|总金额|资金总额|资金)?$")
_OWN_HEADING = re.compile(r"^(.{2,40}?)(?:项目)?(?:经费|资金)?(?:情况说明|预算说明|说明)$")
_UNIT_AS = {"名": "人", "家": "个"}
_MONEY_RE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元)")
_SUBJ_NOISE = re.compile(r"^(?:(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）.．、])?[\u4e00-\u9fff“”]{2,20}?(?:情况说明|情况|说明)(?=\d{4}年))?"
                         r"(?:[（(]?详?见[^）)。，]{0,10}[）)])?(?:其中[:：]?)?(?:截至\d{4}年\d{1,2}月\d{1,2}日[，,]?)?(?:\d{4}年(?:度)?)?(?:，)?"
                         r"(?:本部门|本单位|我局|本局)?(?:财政拨款)?")
_SUBJ_TAIL = re.compile(r"(?:安排|预算安排|合计|共|为|是|有|金额为|达)$")


def narrative_figures(parsed: ParsedDocument) -> list[NarrativeFigure]:
    """Figures stated in the narrative with the words before them as their subject; then those stated in a
    table's note ("说明：…实有人员72人，其中：在职人员46人"), whose section is "note:<table id>"."""
    out = []
    for sec in parsed.sections:
        for para in sec.text.split("\n"):
            out += _stated(para, sec.id, " › ".join(sec.heading), sec.pages[0] if sec.pages else 1)
    for t in getattr(parsed, "tables", ()):
        if t.note:
            out += _stated(t.note, NOTE + t.id, f"{t.title} › 注", t.pages[0] if t.pages else 1)
    return out


# a figure named only by its measure, after another figure of the same sentence ("…，支出决算86.81万元")
_BARE_MEASURE = re.compile(r"^(?:支出)?(?:决算|决算数|执行数|实际支出|实际执行)(?:数)?$")
NOTE = "note:"          # the section id prefix of a table's note
# a part every amount may have ("其中结转结余…", "其中财政拨款…"): named only with what it is a part of
_GENERIC_PART = re.compile(r"^(?:上年)?(?:结转结余|结余结转|结转|结余|财政拨款|一般公共预算|政府性基金|基本支出|项目支出|"
                           r"人员经费|公用经费|当年预算|本年预算)(?:资金|收入|支出)?$")


# a sentence led by its subject and a colon, the figure then named only by its measure ("年初预算数")
_LEAD_LABEL = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、])?\s*"
                         r"([\u4e00-\u9fff]{2,12})[:：]")
_MEASURE_ONLY = re.compile(r"^(?:\d{4}年度?)?(?:年初|全年|本年|当年)?(?:预算数?|决算数?|预算安排|安排)?$")


_FOOTER = re.compile(r"\s*[—-]\s*\d{1,3}\s*[—-]\s*")       # a page footer inside a sentence ("一般公共预算— 7 —拨款")
# a sentence that is the part of one fund ("其中一般公共预算拨款政府采购11307.34万元：货物…"): its list is that fund's
_SCOPED_LEAD = re.compile(r"^\s*其中[:：，,]?\s*(一般公共预算|财政拨款|政府性基金|国有资本经营|财政专户)")


def _stated(para: str, section: str, heading: str, page: int) -> list[NarrativeFigure]:
    from index.narrative import _subject_before
    out = []
    for sent in sentences(para):
        first_end = None            # where the sentence's first figure ends (its whole, if parts follow)
        for m in _FIG_RE.finditer(sent):
            if m.group(2) == "万" and not _MONEY_SENTENCE.search(sent):
                continue
            start = m.start()
            subj, _ = _subject_before(sent, start, keep_qualifier=True)
            subj = _SUBJ_TAIL.sub("", _SUBJ_NOISE.sub("", _FOOTER.sub("", subj or "")))
            own = _OWN_HEADING.match(heading.split(" › ")[0]) if heading else None
            if own and _BARE_SUBJECT.match(match_form(subj)) and m.group(2) in ("万", "万元", "亿元", "元"):
                subj = own.group(1)      # "2025年度项目总预算1170.00万" under "…专项（政策资金）经费情况说明"
            lead = _LEAD_LABEL.match(sent)
            if lead and first_end is None and match_form(subj) and _MEASURE_ONLY.match(match_form(subj)):
                subj = lead.group(1)     # "(一)收入预算:2026年年初预算数174,900.64万元": the label before the colon
            if re.search(r"比上年|增长|下降|减少|增加", subj) or subj.startswith("占"):
                continue          # a change or a share statement, not a subject's figure
            if len(match_form(subj)) < 2:
                subj = ""
            clause = re.split(r"[，；;。]|,(?!\d)", sent[:start])[-1].lstrip()
            before = [f for f in out if f.quote == sent and f.subject]
            # after 其中 (in this clause or one before it: "其中行政编制191人，事业编制119人"), or after a figure
            # in the same clause ("…总额11884.37万元：货物预算2703.49万元、…")
            part = bool(before) and first_end is not None and (
                "其中" in sent[first_end:start] or bool(_MONEY_RE.search(clause)))
            scope = _SCOPED_LEAD.match(sent) if part and before else None
            if part and _GENERIC_PART.match(match_form(subj)):
                subj = before[-1].subject + subj      # "…项目615.04万元，其中结转结余126万元": that project's
            elif scope and scope.group(1) not in subj:
                subj = scope.group(1) + subj          # "其中一般公共预算拨款政府采购…万元：政府采购服务预算…": of that fund
            elif before and _BARE_MEASURE.match(match_form(subj)) and re.search(r"预算数?$", before[-1].subject) \
                    and not re.search(r"(?:收入|支出)预算数?$", before[-1].subject):
                # "会议费预算86.81万元，支出决算86.81万元": the same thing's other measure
                subj = re.sub(r"(?:预算数|预算|年初预算)$", "", before[-1].subject) + subj
            after = re.split(r"[，。；：:、（(）)]", sent[m.end():])[0][:20]
            out.append(NarrativeFigure(subject=subj, after=after, value=Decimal(m.group(1).replace(",", "")),
                                       unit={"万": "万元"}.get(m.group(2)) or _UNIT_AS.get(m.group(2), m.group(2)), quote=sent, section=section,
                                       heading=heading, page=page, part=part))
            first_end = m.end() if first_end is None else first_end
    return out


# a qualifier that names the department as a whole or a group of its units ("本级1家行政单位以及…3家参公事业单位的",
# "…等8家行政单位的", "各单位"): the figure after it is the department's own
_COLLECTIVE = re.compile(r"本级|本部门|全局|各单位|所属|下属|\d+家|[一二两三四五六七八九十]+家")
_CORE_TAIL = re.compile(r"(?:财政拨款)?(?:预算数|预算|安排)$|(?:共有|共计|合计|总计|共)$")
_CORE_HEAD = re.compile(r"^(?:[（(]本级[)）]|\d{4}年度?|本部门|本单位|各单位|全局|本级|所属各预算单位)+")
_CORE_BAD = re.compile(r"\d|[及等设共总和与较]$|^(?:包括|相应|较)")


def core_subject(subject: str, department: str = "") -> str | None:
    """The item a stated figure is of, without the words around it that every figure of the department shares:
    "湖州市财政局各单位会议费预算" → 会议费, "…等8家行政单位的机关运行经费财政拨款预算" → 机关运行经费. The
    qualifier before 的 is dropped only when it names the department or a group of its units (never one unit:
    "A中心的机关运行经费" is A中心's). None when nothing is dropped."""
    s = subject
    if "的" in s:
        qual, tail = s.rsplit("的", 1)
        if len(match_form(tail)) < 2 or not (_COLLECTIVE.search(qual) or
                                             (department and match_form(qual) == match_form(department))):
            return None
        s = tail
    s = re.sub(r"\s+", "", s)
    if department and s.startswith(department):
        s = s[len(department):]
    s = _CORE_HEAD.sub("", s)
    prev = None
    while prev != s:
        prev, s = s, _CORE_TAIL.sub("", s)
    k = match_form(s)
    return s if len(k) >= 3 and not GENERIC_PIECE.match(k) and not _CORE_BAD.search(k) and \
        k != match_form(subject) else None


def _core_candidates(figures, department: str, taken: set[str], kind: str = "") -> list:
    """Candidates named by the figures' core subjects (`core_subject`), for a core that stands for one figure only
    and is no name the document gives otherwise (a table row, another sentence's subject)."""
    found: dict[str, list] = {}
    for fig in figures:
        if fig.part:
            continue          # "其中：政府采购货物预算…": a part keeps its full name (its 预算 tells it from the whole)
        core = core_subject(fig.subject, department)
        if core:
            found.setdefault(match_form(core), []).append((core, fig))
    from .understand import Candidate
    out = []
    for key, figs in found.items():
        if key in taken or len({(f.value, f.unit) for _, f in figs}) != 1:
            continue          # two statements of it with different figures: the core alone cannot say which
        # (one figure stated as budgeted and as spent: the document's own kind first, "支出决算" in a 决算)
        best = min(figs, key=lambda cf: 0 if kind and kind in cf[1].subject else 1)
        out.append(Candidate(key=key, name=best[0], kind="narrative", figure=best[1]))
    return out


_HEADING_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、])\s*"
                           r"([^，。；：:\d]{2,20}?)(?:支出|预算)?(?:情况|说明|情况说明)?$")


def headed_changes(parsed: ParsedDocument) -> list:
    """The document's change statements, one named only by its measure ("2026年预算安排5.00万元，与上年持平") under
    a heading that names its item ("（二）公务接待费") taking that item as its subject."""
    heads = {s.id: s.heading[-1] for s in parsed.sections if s.heading}
    out = []
    for ch in parsed.changes:
        m = _HEADING_ITEM.match(heads.get(ch.section, "").strip())
        if m and not m.group(1).endswith("表") and _MEASURE_ONLY.match(match_form(_SUBJ_STRIP_YEAR.sub("", ch.subject))) and \
                ch.quote and ch.quote.find(ch.subject) <= 8:
            ch = replace(ch, subject=m.group(1))
        out.append(ch)
    return out


_SUBJ_STRIP_YEAR = re.compile(r"^\s*(?:\d{4}\s*年度?)?\s*")
