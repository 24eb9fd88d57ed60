"""Column names for tables whose header text comes out scrambled (text exports, split header cells).

A multi-row header reads in any order once flattened, so leaf columns are recovered by vocabulary: first the
standard layouts of the 部门预算 tables (grouped headers such as 财政拨款 → 一般公共预算 / 政府性基金预算),
then known leaf names in reading order, then "第N列". A layout is used only when every one of its names
appears in the header text and its width equals the number of figures in the rows.
"""
from __future__ import annotations

import re

_FIN3 = ("一般公共预算", "政府性基金预算", "国有资本经营预算")

LAYOUTS: tuple[tuple[str, ...], ...] = (
    ("合计", *(f"财政拨款收入·{x}" for x in _FIN3), "财政专户拨款收入·教育收费",
     "财政专户拨款收入·其他专户收入拨款", "其他资金收入·事业收入", "其他资金收入·经营收入",
     "其他资金收入·其他收入", "上级补助收入", "附属单位上缴收入", "用事业基金弥补收支差额"),
    ("总计", "财政拨款·合计", *(f"财政拨款·{x}" for x in _FIN3), "财政专户拨款", "其他资金"),
    ("合计", "基本支出", "项目支出", "事业单位经营支出", "对附属单位补助支出", "上缴上级支出", "结转下年"),
    ("合计", *_FIN3),
    ("小计", "基本支出", "项目支出"),
)

LEAVES = ("合计", "总计", "小计", "基本支出", "项目支出", "预算数", "预算", "一般公共预算", "政府性基金预算",
          "国有资本经营预算", "财政专户拨款", "其他资金", "事业收入", "经营收入", "其他收入",
          "事业单位经营支出", "对附属单位补助支出", "上缴上级支出", "结转下年", "上级补助收入",
          "附属单位上缴收入", "用事业基金弥补收支差额", "人员经费", "公用经费", "上年预算数", "本年预算数",
          "增减", "增减额", "增减率", "决算数")


_LABEL_HEADERS = re.compile(r"部门预算支出经济科目|(?:功能|经济)分类科目|功能科目名称|科目编码|科目名称|"
                            r"支出项目类别[（(]资金使用单位[)）]")


def _clean(text: str) -> str:
    return _LABEL_HEADERS.sub("", re.sub(r"\s|其中[:：]", "", text))


def column_names(header_text: str, width: int) -> list[str]:
    """Leaf column names for a table with `width` figures per row, from its flattened header text."""
    h = _clean(header_text)
    for layout in LAYOUTS:
        if len(layout) == width and all(part in h for name in layout for part in name.split("·")):
            return list(layout)
    found: list[tuple[int, str]] = []
    taken = [False] * len(h)
    for leaf in sorted(LEAVES, key=len, reverse=True):
        for m in re.finditer(re.escape(leaf), h):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), leaf))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    names = [n for _, n in sorted(found)]
    if len(names) == width:
        return names
    return [f"第{i + 1}列" for i in range(width)]
