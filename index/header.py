"""The document header: department, year and kind, read from the cover and first pages of any template.

Covers say the same thing in many orders and line breaks: "2026年 / 广州市卫生健康委员会部门预算",
"长春市信访局（本级） / 2026年度部门预算公开", "上海市2026年市级单位预算 / 预算单位：上海市数据局",
"西安市交通运输局 2022 年部门综合预算", "2019 年佛山市轨道交通局 部门决算", and text layers that move the
year to a line of its own ("重庆市商务委员会 年部门预算情况说明" + "2026"). The cover's lines are joined without
spaces (up to the 目录), the year put back where the text layer left a bare "年", and matched against
"{year}年{department}{部门|单位}{综合}{预算|决算}" and "{department}{year}年…". A labelled name
("预算单位：…", "单位名称：…", "编制部门：…") wins over a matched one; a department must look like a body
(end as government bodies do: 局, 委员会, 办公室, 院, 部 …) and never be a heading ("第二部分", "年部门综合").

A qualifier after the name ("（本级）", "（汇总）") is kept apart: the department is the body's name, the
qualifier goes to the units the document covers.

Does not handle: a cover that is an image (the department then comes from the table captions, else the
name given at ingest); documents covering several departments.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_ORG_END = ("局", "委员会", "委", "办公室", "办公厅", "办事处", "院", "部", "厅", "中心", "署", "会", "室", "所",
            "馆", "站", "队", "处", "政府", "法院", "检察院", "学校", "大学", "学院", "社", "团", "协会", "联合会",
            "总队", "支队", "街道", "镇", "园", "集团", "小学", "中学", "幼儿园", "医院", "血站", "研究院")
_BAD = re.compile(r"部分|目录|表$|预算|决算|说明|概况|^年|^[（(]|[0-9]|公开|经费|补助|项目|[-—_，。、；：,;:“”]")
_QUAL = re.compile(r"[（(](本级|汇总|本部|机关本级|部门汇总|单位本级)[)）]$")
_ALIAS = re.compile(r"[（(]([\u4e00-\u9fff]{3,30})[)）]$")
_NAME = r"[\u4e00-\u9fff（）()]{3,40}?"
_KIND = r"(?P<scope>部门|单位|[市区县]级单位|[市区县]级部门)?(?P<comp>综合)?(?P<kind>预算|决算)"
_YEAR_FIRST = re.compile(rf"(?P<year>20\d{{2}})年度?(?P<dept>{_NAME}){_KIND}")
_DEPT_FIRST = re.compile(rf"(?P<dept>{_NAME})(?P<year>20\d{{2}})年度?{_KIND}")
_LABELLED = re.compile(r"(?:预算主管部门|主管部门|预算单位|单位名称|编制部门|部门名称|编制单位|部门（单位）)\s*[:：]?\s*"
                       r"([\u4e00-\u9fff（）()]{3,40}?)(?=单位[:：]|金额单位|\s|$|[0-9])")
_YEAR_ONLY = re.compile(r"(20\d{2})\s*年度?\s*(?:部门|单位)?\s*(?:综合)?\s*(预算|决算)")


@dataclass(frozen=True)
class Header:
    department: str
    year: int | None
    kind: str            # 预算 / 决算
    kind_detail: str     # 部门预算, 单位预算, 部门决算, 部门综合预算
    qualifier: str       # 本级, 汇总, or ""


def is_department(name: str) -> bool:
    """A body's name, not a heading or a fragment: ends as bodies do, has no digits, 部分, 预算 …"""
    base = _QUAL.sub("", name)
    # a body's second name in brackets: "…监所管理支队（留置看护管理支队）", "…学校（…技术保障中心）"
    alias = _ALIAS.search(base)
    if alias and alias.group(1).endswith(_ORG_END):
        base = base[:alias.start()]
    return 3 <= len(base) <= 40 and len(name) <= 60 and base.endswith(_ORG_END) and not _BAD.search(base)


def _restore_year(lines: list[str]) -> list[str]:
    """A text layer that put the year on its own line ("…委员会 年部门预算情况说明" / "2026"): put it back."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if re.fullmatch(r"\s*20\d{2}\s*", line) and out and re.search(r"(?<![\d])\s年", out[-1]):
            out[-1] = re.sub(r"(?<![\d])\s年", line.strip() + "年", out[-1], count=1)
            continue
        out.append(line)
    return out


def cover_text(pages: list[str], limit: int = 3) -> str:
    """The first pages' text up to the 目录 (or the first 600 characters), lines joined without spaces."""
    lines: list[str] = []
    for text in pages[:limit]:
        lines += [ln for ln in text.split("\n") if ln.strip()]
        if sum(len(x) for x in lines) > 40:
            break
    joined = re.sub(r"\s+", "", "".join(_restore_year(lines)))
    cut = joined.find("目录")
    return joined[:cut] if cut > 0 else joined[:600]


def _split_qualifier(name: str) -> tuple[str, str]:
    m = _QUAL.search(name)
    return (name[:m.start()], m.group(1)) if m else (name, "")


def read_header(pages: list[str], captions: Counter | None = None, fallback: str = "") -> Header:
    """The header of a document from its page texts (in order); `captions` counts the department names
    printed on table captions ("部门：…"), used when the cover does not name one."""
    cover = cover_text(pages)
    head = "\n".join(pages[:6])
    dept, year, kind, detail = "", None, "", ""
    for rx in (_YEAR_FIRST, _DEPT_FIRST):
        for m in rx.finditer(cover):
            name = m.group("dept")
            if rx is _DEPT_FIRST and name.endswith("市"):   # "上海市2026年市级单位预算": a place, not a body
                continue
            if is_department(name) or not dept:
                year, kind = int(m.group("year")), m.group("kind")
                scope = "单位" if re.search(r"单位(?:综合)?(?:预算|决算)$", m.group(0)) else "部门"
                detail = f"{scope}{m.group('comp') or ''}{kind}"
                if is_department(name):
                    dept = name
                    break
        if dept:
            break
    labelled = [n for n in _LABELLED.findall(cover) if is_department(n)]
    if labelled:
        dept = labelled[0]
    if not is_department(dept):
        dept = ""
    if year is None:
        flat = re.sub(r"\s+", "", "".join(_restore_year(head.split("\n"))))
        if (m := _YEAR_ONLY.search(flat)):
            year, kind = int(m.group(1)), m.group(2)
    if not dept and captions:
        named = [n for n, _ in captions.most_common() if is_department(n)]
        dept = named[0] if named else ""
    if not dept:
        dept = _from_text(head)
    if not dept and fallback:
        dept = fallback
    kind = kind or ("决算" if "决算" in cover and "预算" not in cover else "预算")
    detail = detail or f"部门{kind}"
    dept, qual = _split_qualifier(dept)
    return Header(dept, year, kind, detail, qual)


_TEXT_RES = (
    re.compile(r"第一部分\s*([\u4e00-\u9fff（）()]{3,40}?)\s*概况"),
    re.compile(r"([\u4e00-\u9fff（）()]{3,40}?)\s*20\d{2}\s*年度?\s*(?:部门|单位)\s*(?:预算|决算)"),
)


def _from_text(text: str) -> str:
    for rx in _TEXT_RES:
        for m in rx.finditer(text):
            if is_department(m.group(1)):
                return m.group(1)
    return ""


def covered_units(header: Header, tables, facts) -> tuple[str, ...]:
    """The units a document covers: those its per-unit tables list (in order of appearance), else the cover's
    qualifier ("本级") alone, else ()."""
    per_unit = {t.id for t in tables if t.per_unit}
    names = dict.fromkeys(f.entity for f in facts if f.entity and f.table in per_unit)
    if names:
        return tuple(names)
    return (header.qualifier,) if header.qualifier == "本级" else ()


_OTHER_KINDS = (
    (re.compile(r"政府信息公开(?:工作)?年度报告|信息公开(?:工作)?年度报告"), "政府信息公开工作年度报告"),
    (re.compile(r"公报|政府公报"), "公报"),
    (re.compile(r"统计年鉴|统计公报"), "统计公报"),
)
_BUDGET_WORDS = re.compile(r"(?:部门|单位)(?:综合)?(?:预算|决算)|预算(?:公开|表|情况说明)|决算(?:公开|表)")


def is_budget_text(pages: list[str]) -> bool:
    """The first pages speak of a department budget or final account (预算/决算 as a disclosure)."""
    head = re.sub(r"\s+", "", "".join(pages[:8]))
    return bool(_BUDGET_WORDS.search(head))


def other_kind(pages: list[str]) -> str:
    """What another kind of document calls itself on its cover (a gazette, a 信息公开 annual report), or ""
    when the cover does not name another kind or also names a budget."""
    cover = cover_text(pages)
    if re.search(r"预算|决算", cover):
        return ""
    for rx, name in _OTHER_KINDS:
        if rx.search(cover) and not is_budget_text(pages):
            return name
    return ""
