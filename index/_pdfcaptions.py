"""The lines printed around a ruled grid: its printed id, title, unit and department above, its note below.

`title_block` walks up from a grid over "单位：万元", "部门：…", the title and "公开09表" lines (a title drawn
inside the frame is taken off the grid by `strip_title_rows`); `note_block` reads the "注：…" lines under it.
`parse_id` gives the canonical printed id ("公开 9 表" -> "公开09表", "表 8" -> "表8").

Does not handle: titles more than a few lines above the grid, ids in other forms than those `ID_RE` lists.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ._pdfgrids import Grid, clean
from ._rows import parse_amount

_CN_NUM = "一二三四五六七八九十"
# printed table ids: 公开09表, 公开表1, 部门公开表7, 预算01表, 预算表12, 表8, 表 8, 表01, 表14-1, 附表14, 表一 … 表十二
ID_RE = re.compile(r"^(?:(部门)?公开\s*(\d{1,2})\s*表|((?:部门)?公开\s*表|预算\s*表|附\s*表)\s*(\d{1,2}(?:\s*[-－]\s*\d{1,2})?)"
                   r"|预算\s*(\d{1,2})\s*表|表\s*(\d{1,2}(?:\s*[-－]\s*\d{1,2})?|[%s]{1,3})(?![\d.,般])"
                   r")\s*[:：、]?\s*" % _CN_NUM)
ID_SUFFIX_RE = re.compile(r"[（(]\s*((?:预算|公开)\s*表\s*\d{1,2})\s*[)）]\s*$")   # "收支总表（预算表1）"
STRAY_RE = re.compile(r"^(?:20\d{2}|[\s:：,，、。;；()（）“”\-—]+)$")     # split text layers: a lone year or punctuation
UNIT_RE = re.compile(r"单位\s*[:：]?\s*(亿元|万元|元|万)(?![\u4e00-\u9fff])|单位\s*[:：]\s*(亿元|万元|元|万)")
DEPT_RE = re.compile(r"^\s*(?:编制部门|部门名称|部门（单位）|部门|编制单位|单位名称|预算单位)(?:\s*[:：]\s*|\s+)(\S+)")
TITLE_RE = re.compile(r"表\s*(?:[（(][^）)]{1,20}[）)])?$")
NOTE_RE = re.compile(r"^(?:注|备注|说明)\s*\d?\s*[:：.．]|^[:：]")
HEADING_RE = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
PAGE_NO_RE = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4})?[-—–\s]*$")


@dataclass
class Line:
    text: str
    top: float
    bottom: float


@dataclass
class TitleBlock:
    table_id: str | None = None
    title: str | None = None
    unit: str | None = None
    department: str | None = None
    top: float | None = None        # top of the block's first line (for the narrative to skip)

    @property
    def found(self) -> bool:
        return bool(self.table_id or self.title)


def parse_id(text: str) -> str | None:
    """The table id a line starts with, canonical for the common forms ("公开 9 表" -> "公开09表", "表 8" -> "表8"),
    else as printed without spaces ("预算01表", "公开表1", "表一", "表14-1")."""
    m = ID_RE.match(text)
    if not m:
        return None
    if m.group(2):
        return f"{m.group(1) or ''}公开{int(m.group(2)):02d}表"
    if m.group(4):
        return re.sub(r"\s", "", m.group(3)) + re.sub(r"\s|－", lambda x: "-" if x.group() == "－" else "", m.group(4))
    if m.group(5):
        return f"预算{m.group(5)}表"
    num = re.sub(r"\s", "", m.group(6)).replace("－", "-")
    return f"表{int(num)}" if num.isdigit() and not num.startswith("0") else f"表{num}"


def suffix_id(title: str) -> tuple[str | None, str]:
    """ "收支总表（预算表1）" -> ("预算表1", "收支总表"); (None, title) when no id follows the title."""
    m = ID_SUFFIX_RE.search(title)
    if not m:
        return None, title
    return re.sub(r"\s", "", m.group(1)), title[:m.start()].strip()


def read_unit(text: str) -> str | None:
    m = UNIT_RE.search(text)
    if not m:
        return None
    unit = m.group(1) or m.group(2)
    return "万元" if unit == "万" else unit


def title_block(lines: list[Line], floor: float, top: float) -> TitleBlock:
    """Walk up from a grid's top over "单位：…", "部门：…", the title and "公开NN表" lines."""
    block = TitleBlock()
    above = [ln for ln in lines if ln.bottom <= top + 2 and ln.top >= floor - 1]
    year = tail = ""
    for i in range(len(above) - 1, -1, -1):
        ln = above[i]
        t = ln.text.strip()
        if STRAY_RE.match(t):               # "2026" / ": :" split off the title or unit line by the text layer
            year = t if t[:2] == "20" and block.title is None else year
        elif UNIT_RE.search(t) or DEPT_RE.match(t):
            block.unit = block.unit or read_unit(t)
            if (m := DEPT_RE.match(t)) and not block.department:
                block.department = UNIT_RE.split(m.group(1))[0].strip()
        elif (tid := parse_id(t)) is not None:
            block.table_id = tid
            rest = clean(ID_RE.sub("", t, count=1)).lstrip(":：")
            if rest:                        # "公开09表：一般公共预算“三公”经费、会议费、培训费" + "支出预算表"
                block.title = rest + (block.title or "")
            block.top = ln.top
            if block.title is None and i > 0 and _is_title(above[i - 1].text.strip(), ln.top - above[i - 1].bottom):
                block.title = clean(above[i - 1].text.strip())     # the title printed above its id
                block.top = above[i - 1].top
            break
        elif block.title is None and _is_title(t, top - ln.bottom):
            block.title = clean(t) + tail
            if block.title.startswith("年") and year:
                block.title = year + block.title
        elif block.title is None and not tail and re.fullmatch(r"[（(][^（()）]{2,20}[)）]", t):
            tail = t                        # "（按经济分类科目分）": the title's second line
        elif block.title is None and len(t) <= 3:
            pass                            # a stray fragment such as the "元" of a wrapped "单位：万元"
        else:
            break
        block.top = ln.top
    _title_suffix_id(block)
    return block


def _title_suffix_id(block: TitleBlock) -> None:
    if block.title and not block.table_id:
        tid, _ = suffix_id(block.title)
        block.table_id = tid


def _is_title(text: str, gap: float) -> bool:
    """"收支预算总表", "2024年部门收入预算总表": ends in 表, short, no sentence punctuation, near the grid."""
    return (bool(TITLE_RE.search(text) or ID_SUFFIX_RE.search(text)) and len(text) <= 60 and gap <= 80
            and not any(p in text for p in "。，；") and not PAGE_NO_RE.match(text) and not HEADING_RE.match(text))


def note_block(lines: list[Line], bottom: float, ceiling: float) -> tuple[str, float]:
    """The "注：…" lines printed right under a grid, and the bottom of the last one."""
    below = [ln for ln in lines if ln.top >= bottom - 2 and ln.bottom <= ceiling + 1]
    parts: list[str] = []
    end = bottom
    for ln in below:
        t = ln.text.strip()
        if not parts:
            if not NOTE_RE.match(t) or ln.top - bottom > 40:
                break
        elif (PAGE_NO_RE.match(t) or HEADING_RE.match(t) or parse_id(t) or TITLE_RE.search(t)
              or ln.top - end > 1.5 * max(ln.bottom - ln.top, 8)):
            break
        parts.append(t)
        end = ln.bottom
    return "".join(parts), end


def strip_title_rows(grid: Grid, block: TitleBlock) -> int:
    """Leading grid rows that are really the title block (unit / department lines drawn inside the frame)."""
    n = 0
    while n < len(grid.slots) - 1:
        texts = [t for t in grid.row_texts(n) if t]
        joined = "".join(texts)
        if len(texts) == 1 and not parse_amount(joined) and _is_title(joined, 0) and not UNIT_RE.search(joined):
            tid = parse_id(joined)          # the title drawn inside the frame: it names the table
            block.table_id = tid or None
            block.title = clean(ID_RE.sub("", joined, count=1)) if tid else joined
            _title_suffix_id(block)
            n += 1
            continue
        if not (UNIT_RE.search(joined) or DEPT_RE.match(joined) or parse_id(joined)):
            break
        if len(texts) >= 3 and not DEPT_RE.match(joined) and not parse_id(joined) and \
                not any(UNIT_RE.fullmatch(t.strip()) for t in texts):
            block.unit = block.unit or read_unit(joined)
            break                           # "项目 | 预算数（单位：万元） | 绩效目标": the header, naming the unit
        block.unit = block.unit or read_unit(joined)
        block.table_id = block.table_id or parse_id(joined)
        if (m := DEPT_RE.match(joined)) and not block.department:
            block.department = UNIT_RE.split(m.group(1))[0].strip()
        n += 1
    return n


_LEAD_IN_RE = re.compile(r"(?:如下|见下表|详见下表)\s*[:：。]?$")


def lead_in(lines: list[Line], floor: float, top: float) -> str:
    """What an untitled grid is, from the prose just above it on its page: the sentence introducing it
    ("2026年，本部门重点项目绩效目标情况如下：" → "重点项目绩效目标情况") or, failing that, the nearest heading
    ("七、重点项目预算绩效目标情况" → "重点项目预算绩效目标情况"); "" when neither stands within three lines."""
    above = [ln for ln in lines if ln.bottom <= top + 2 and ln.top >= floor - 1][-3:]
    for ln in reversed(above):
        t = ln.text.strip()
        if _LEAD_IN_RE.search(t) and len(t) <= 40:
            t = _LEAD_IN_RE.sub("", t)
            t = re.sub(r"^(?:\d{4}\s*年(?:度)?[，,]?\s*)?(?:本部门|本单位|我局|我委|我部|本局)?(?:的)?", "", t)
            return t.strip("，,：: ") if len(t) >= 4 else ""
        if HEADING_RE.match(t) and len(t) <= 30:
            return HEADING_RE.sub("", t).strip()
    return ""
