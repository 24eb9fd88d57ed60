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
from .models import ChangeFact, Section, normalize_ws

_CN = "一二三四五六七八九十"
PART_RE = re.compile(rf"^第[{_CN}]+部分")
H1_RE = re.compile(rf"^[{_CN}]+、")
H2_RE = re.compile(rf"^[（(][{_CN}]+[)）]")
_SENT_END = "。；！？"


def _heading_level(line: str) -> int | None:
    """0 for 第N部分, 1 for 一、, 2 for （一）; None for body text. A heading is short and not a sentence."""
    s = line.strip(" \u3000")
    if PART_RE.match(s) and len(s) <= 40:
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

    def flush() -> None:
        text = "\n".join(p for p in paras if p.strip())
        if text.strip():
            sections.append(Section(id=f"s{len(sections):03d}", heading=tuple(heading), text=text,
                                    pages=tuple(dict.fromkeys(sec_pages))))
        paras.clear()
        sec_pages.clear()

    for page, text in pages:
        for raw in text.split("\n"):
            line = raw.rstrip()
            if not line.strip():
                continue
            s = line.strip(" \u3000")
            dm = _DEF_RE.match(s) if H1_RE.match(s) else None
            level = None if dm else _heading_level(line)
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
_DELTA_RE = re.compile(rf"^\s*(增加|减少|增长|下降|持平)\s*(?:({_AMT})\s*(万元|亿元|元|%))?")
_PCT_RE = re.compile(rf"^[，,]\s*(增长|下降|增加|减少)\s*(?:({_AMT})\s*%|--|-|—)")
_REASON_RE = re.compile(r"(?:主要原因是|主要原因为|原因是|主要原因：|主要是|主要用于)")
_SUBJ_STRIP = re.compile(r"^(?:其中[:：])?(?:\d{4}年)?(?:本部门|本单位|我部门|我单位)?(?:财政拨款)?(?:安排|预算安排)?")


def _subject_before(text: str, end: int) -> tuple[str, int]:
    """The subject named just before position `end` (an amount), and where it starts."""
    start, depth = end, 0
    while start > 0:
        ch = text[start - 1]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in "，。；：:\n、":
            break
        start -= 1
    subj = text[start:end]
    stripped = _SUBJ_STRIP.sub("", subj)
    stripped = re.sub(r"(?:预算)?安排$", "", stripped)
    return stripped.strip(" “”\"") and stripped, start + (len(subj) - len(_SUBJ_STRIP.sub("", subj)))


def _signed(direction: str, amount: Decimal | None) -> Decimal | None:
    if direction == "持平":
        return Decimal(0)
    if amount is None:
        return None
    return -amount if direction in ("减少", "下降") else amount


def extract_changes(section: Section, pages: list[tuple[int, str]] | None = None) -> list[ChangeFact]:
    """Find every "X 金额，比上年 增加/减少 金额，增长/下降 N%，主要原因是…" in a section."""
    text = section.text
    out: list[ChangeFact] = []
    for m in re.finditer(r"比上年|较上年|比2\d{3}年", text):
        before = text[:m.start()]
        # skip a parenthetical aside that sits between the amount and 比上年: "3.22万元（…）比上年"
        cut = len(before)
        if before.endswith(("）", ")")):
            depth, i = 0, len(before) - 1
            while i >= 0:
                if before[i] in "）)":
                    depth += 1
                elif before[i] in "（(":
                    depth -= 1
                    if depth == 0:
                        break
                i -= 1
            cut = max(i, 0)
        vals = list(_VAL_RE.finditer(before[:cut]))
        if not vals:
            continue
        vm = vals[-1]
        if "比上年" in before[vm.end():cut] or "。" in before[vm.end():cut]:
            continue
        subject, s_start = _subject_before(before, vm.start())
        if not subject:
            continue
        after = text[m.end():]
        dm = _DELTA_RE.match(after)
        if not dm:
            continue
        direction = dm.group(1)
        delta = parse_amount(dm.group(2)) if dm.group(2) and dm.group(3) != "%" else None
        pct = parse_amount(dm.group(2)) if dm.group(2) and dm.group(3) == "%" else None
        pos = dm.end()
        pm = _PCT_RE.match(after[pos:])
        if pm:
            pct = parse_amount(pm.group(2)) if pm.group(2) else None
            pct_dir = pm.group(1)
            pos += pm.end()
        else:
            pct_dir = direction
        # the clause ends at the next ；/。 (the reason, if any, is inside it)
        end_rel = min([i for i in (after.find("；", pos), after.find("。", pos)) if i >= 0] or [len(after)])
        clause = after[:end_rel]
        rm = _REASON_RE.search(clause, pos)
        reason = clause[rm.end():].strip("，, ") if rm else ""
        quote = text[s_start:m.end() + end_rel + (1 if end_rel < len(after) else 0)]
        out.append(ChangeFact(
            subject=subject.strip(), value=parse_amount(vm.group(1)), unit=vm.group(2),
            delta=_signed(direction, delta) if dm.group(3) != "%" else None,
            percent=_signed(pct_dir, pct) if pct is not None else None,
            reason=reason, quote=quote, section=section.id,
            page=_page_of(quote, section, pages)))
    return out


def _page_of(quote: str, section: Section, pages: list[tuple[int, str]] | None) -> int:
    head = normalize_ws(quote)[:12]
    for page, text in pages or []:
        if page in section.pages and head and head in normalize_ws(text):
            return page
    return section.pages[0] if section.pages else 1


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
