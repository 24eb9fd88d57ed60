"""The catalogue of standard disclosure tables (部门预算/决算公开表) and `role_of`, which names a table's role.

Every province prints the same dozen tables under its own titles and numbers (表8, 公开09表, 部门公开表7, 表一,
预算01表, "收支总表（预算表1）"); the role is what the table *is*, whatever it is called: the 三公 table, the
一般公共预算 expenditure table by function class, and so on. A 决算 table has the role of its 预算 counterpart
("收入支出决算总表" is a `summary` like "收支预算总表"); the document's kind tells them apart.

`role_of` decides from the title first (normalised: year, 本年/部门/单位, 预算/决算, 情况, 表 and quotes removed),
then checks or decides by content: the columns and row labels (因公出国 + 公务接待 make a 三公 table; with
会议费 and 培训费 too it is `sangong_meeting_training`), the subject codes (function codes 2xx… vs economic
codes 30x/31x…), and whether the table is two-sided (收入 | 支出). A table it cannot place is `other`.

Per-unit tables (rows by 单位名称 / 预算单位) keep their content role; the reader marks them separately
(`Table.per_unit`) and puts the unit on each fact (`Fact.entity`).

Does not handle: tables whose title and content are both unrecognisable (→ `other`); telling a 预算 table
from a 决算 one (the document's kind does that).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Role:
    name: str          # stable identifier, used in the store and in `budgetqa tables --json`
    label: str         # the usual Chinese name
    what: str          # one line: what the table holds


CATALOGUE: tuple[Role, ...] = (
    Role("summary", "收支总表", "收入和支出总表，两栏（收入 | 支出），决算为收入支出决算总表"),
    Role("income", "收入总表", "收入按来源（财政拨款、事业收入…），常按单位分行"),
    Role("expenditure", "支出总表", "支出按功能分类科目，分基本支出/项目支出"),
    Role("fiscal_summary", "财政拨款收支总表", "财政拨款收入和支出，两栏"),
    Role("fiscal_expenditure", "财政拨款支出表", "财政拨款支出按功能分类科目（一般公共预算、政府性基金…合并）"),
    Role("general_expenditure", "一般公共预算支出表", "一般公共预算（财政拨款）支出按功能分类科目（类/款/项）"),
    Role("general_basic", "一般公共预算基本支出表", "一般公共预算基本支出按经济分类科目（人员经费/公用经费）"),
    Role("economic", "支出经济分类表", "支出按经济分类科目（不限于一般公共预算基本支出）"),
    Role("basic", "基本支出表", "基本支出（不限于一般公共预算），按经济分类"),
    Role("sangong", "“三公”经费表", "因公出国（境）费、公务用车购置及运行费、公务接待费"),
    Role("sangong_meeting_training", "“三公”经费、会议费、培训费表", "三公经费之外还列会议费和培训费（合计包含二者）"),
    Role("operating_cost", "机关运行经费表", "机关运行经费"),
    Role("gov_fund", "政府性基金预算支出表", "政府性基金预算（财政拨款）收入支出"),
    Role("state_capital", "国有资本经营预算支出表", "国有资本经营预算（财政拨款）支出"),
    Role("special_account", "财政专户管理资金支出表", "财政专户管理资金支出"),
    Role("procurement", "政府采购预算表", "政府采购品目/项目及金额"),
    Role("purchase_services", "政府购买服务表", "政府购买服务项目及金额"),
    Role("project", "项目支出表", "项目支出按项目列示"),
    Role("performance", "项目绩效目标表", "项目支出绩效目标/绩效指标（文字与指标值，不是金额）"),
    Role("overall_performance", "部门整体支出绩效目标表", "部门整体支出绩效目标（文字与指标值）"),
    Role("contents", "报表目录", "公开报表目录（是否空表及理由）"),
    Role("other", "其他表", "目录中没有的表"),
)
ROLES = {r.name: r for r in CATALOGUE}

# (role, pattern on the normalised title), most specific first.
_TITLE_RULES: tuple[tuple[str, re.Pattern], ...] = tuple((role, re.compile(rx)) for role, rx in (
    ("contents", r"报表目录|目录$"),
    ("overall_performance", r"整体.*绩效"),
    ("performance", r"绩效(?:目标|指标|自评)|绩效$"),
    ("sangong", r"三公"),                      # refined by content below (会议费/培训费, 机关运行经费)
    ("operating_cost", r"机关运行经费"),
    ("procurement", r"采购"),                 # "政府采购（资产配置、购买服务）预算表" is a procurement table
    ("purchase_services", r"购买服务"),
    ("state_capital", r"国有资本经营"),
    ("gov_fund", r"政府性基金"),
    ("special_account", r"财政专户"),
    ("fiscal_summary", r"财政拨款收(?:入)?支(?:出)?总"),
    ("general_basic", r"一般公共.*基本支出|基本支出.*一般公共"),
    ("economic", r"经济分类"),
    ("general_expenditure", r"一般公共.*(?:支出|功能)"),
    ("basic", r"基本支出"),
    ("fiscal_expenditure", r"财政拨款.*支出"),
    ("project", r"项目(?:支出)?|专项业务|专项资金"),
    ("summary", r"收(?:入)?支(?:出)?总|财务收支|收支(?:预算|决算)?$|收支总体"),
    ("income", r"收入"),
    ("expenditure", r"支出"),
))

_NOISE = re.compile(r"20\d{2}\s*年度?|本年度?|部门|单位|预算|决算|情况|明细|汇总|公开|表|[“”\"'‘’（）()\[\]【】\s:：、·]")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")


def normalise_title(title: str) -> str:
    """'表8 2024年财政拨款安排的“三公”经费预算表' -> '财政拨款安排的三公经费'; printed ids are removed."""
    t = re.sub(r"^(?:部门)?(?:公开|预算)?\s*表\s*[0-9一二三四五六七八九十\-－]+\s*(?:表)?\s*[:：、.]?\s*", "", title.strip())
    t = re.sub(r"^(?:公开|预算)\s*\d{1,2}\s*表\s*", "", t)
    t = re.sub(r"[（(]\s*(?:预算)?表\s*\d{1,2}\s*[)）]$", "", t)
    t = _ORDINAL.sub("", t)
    return _NOISE.sub("", t)


def _has(texts: Iterable[str], *words: str) -> bool:
    joined = "|".join(texts)
    return all(w in joined for w in words)


def _code_kind(codes: Sequence[str | None]) -> str:
    """'function' when most codes are function class codes (2xx…), 'economic' for 30x/31x/39x codes, else ''."""
    cs = [c for c in codes if c and c.isdigit() and len(c) in (3, 5, 7)]
    if len(cs) < 2:
        return ""
    eco = sum(c[:2] in ("30", "31", "39") and len(c) <= 5 for c in cs)
    fun = sum(c[0] == "2" and c[:2] not in ("30",) for c in cs)
    if eco * 2 > len(cs):
        return "economic"
    if fun * 2 > len(cs):
        return "function"
    return ""


def role_of(title: str, columns: Sequence[str] = (), rows: Sequence[str] = (),
            codes: Sequence[str | None] = (), two_sided: bool = False) -> str:
    """The catalogue role of a table from its title, leaf column names, row labels and subject codes."""
    t = normalise_title(title or "")
    heads = [c for c in columns if c]
    labels = [r for r in rows if r]
    everything = (*heads, *labels)
    sangong = _has(everything, "因公出国") and _has(everything, "公务接待")
    plus = sangong and _has(everything, "会议费") and _has(everything, "培训费")
    role = next((r for r, rx in _TITLE_RULES if t and rx.search(t)), "")
    if role in ("sangong", "") and sangong:
        return "sangong_meeting_training" if plus or ("会议" in t and "培训" in t) else "sangong"
    if role == "sangong":                       # titled 三公 but its figures are not itemised
        if "会议" in t and "培训" in t:
            return "sangong_meeting_training"
        return "sangong"
    kind = _code_kind(codes)
    if role in ("general_expenditure",) and kind == "economic":
        return "economic"
    if role in ("expenditure", "fiscal_expenditure") and kind == "economic":
        return "economic"
    if role == "project" and _has(heads, "绩效") and not _has(heads, "金额") and not _numbers_in(heads):
        return "performance"
    if role:
        return role
    return _by_content(heads, labels, kind, two_sided)


def _numbers_in(heads: Sequence[str]) -> bool:
    return any(re.search(r"合计|小计|金额|预算数|决算数|资金", h) for h in heads)


def _by_content(heads: list[str], labels: list[str], kind: str, two_sided: bool) -> str:
    """An untitled table (or one titled in no known way): decide from what it holds."""
    if two_sided or (_has(heads, "收入") and _has(heads, "支出") and _has(labels, "合计")):
        return "fiscal_summary" if not _has(labels, "事业收入") and _has(labels, "一般公共预算") else "summary"
    if _has(heads, "绩效") or _has(heads, "指标"):
        return "performance"
    if _has(heads, "采购"):
        return "procurement"
    if _has(heads, "机关运行经费"):
        return "operating_cost"
    if _has(heads, "项目名称"):
        return "project"
    if kind == "economic":
        return "economic"
    if kind == "function":
        return "expenditure" if _has(heads, "基本支出") and _has(heads, "项目支出") else "general_expenditure"
    return "other"


def role_label(name: str) -> str:
    """The Chinese name of a role ('sangong' -> '“三公”经费表')."""
    return ROLES[name].label if name in ROLES else name
