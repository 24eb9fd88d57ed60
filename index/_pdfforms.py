"""A 项目绩效目标表 printed as a form: the project's money block as facts of one row named by the project.

Such a form has no columns of figures; its cells pair a label with a value, left to right:

    项目名称 | 城乡居民医保财政补助(市级)
    专项资金情况（万元） | 资金总额 | 82000.00
                         | 财政拨款 | 82000.00
    年度绩效指标 | 成本指标 | … | ≥430元 | 10

`form_rows` reads the pairs: a "项目名称" cell names the project (a table holding several forms names a new
project each time), a total label (资金总额, 年度资金总额, 实施期资金总额, 当年预算 …) followed by an amount
opens the money block, and the part labels under it (财政拨款, 其他资金, 市级支出, 补助区县 …) follow it.
Each project gives one row whose columns are the printed labels, the total first ("实施期资金总额·财政拨款"
when two blocks stand side by side). Indicator values and weights (≥90%, 10 分) are never read as money.

Does not handle: a money block whose labels are not the ones above (nothing is read then: the table keeps
the facts the ordinary row reader gives), a form whose figures are not in the table's unit.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ._rows import RawRow, parse_amount

_NAME = re.compile(r"^项目名称[:：]?$")
_TOTAL = re.compile(r"^(?:年度预算资金总额|年度资金总额|实施期资金总额|项目资金总额|资金总额|项目总金额|总金额|当年预算|"
                    r"预算金额|项目金额|年度预算)$")
_PART = re.compile(r"^(?:财政拨款|其他资金|市级支出|补助区县|财政专户管理资金|单位资金|上年结转|一般公共预算|政府性基金)$")


def _clean(text: str) -> str:
    t = re.sub(r"\s*\n\s*", "", text or "").strip()
    return re.sub(r"^其中[:：]?", "", t).rstrip(":：").strip()


_UNIT = re.compile(r"[（(]\s*(万元|元|亿元)\s*[)）]")


def form_rows(rows: list[tuple[int, list[str]]], title: str) -> tuple[list[str], list[RawRow], str | None] | None:
    """(columns, one row per project, the unit the money block states: "资金金额（万元）") from a form's rows
    given as (page, cell texts left to right); None when the table is not such a form (no project named by a
    项目名称 cell or by the title, or no money block)."""
    units: set[str] = set()
    projects: list[dict] = []          # {"name", "page", "cells": {column: (value, printed)}}
    current: dict | None = None
    named = False
    after_name = False
    for page, texts in rows:
        texts = [t for t in texts if t is not None]
        if after_name and len(texts) == 2 and not _clean(texts[0]) and _clean(texts[1]) and \
                parse_amount(_clean(texts[1])) is None and len(_clean(texts[1])) <= 4:
            current["name"] += _clean(texts[1])       # the name's last characters cut onto the next page
            continue
        after_name = False
        for i, raw in enumerate(texts[:-1]):
            if _clean(raw) == "实施单位" and current is not None and _clean(texts[i + 1]):
                current["unit"] = _clean(texts[i + 1])
        seen: dict[str, int] = {}      # part label → how many times met in this row (the k-th is under the k-th total)
        for i, raw in enumerate(texts):
            label = _clean(raw)
            nxt = _clean(texts[i + 1]) if i + 1 < len(texts) else ""
            if _NAME.match(label) and nxt and parse_amount(nxt) is None:
                named = True
                current = {"name": nxt, "cells": {}, "totals": []}
                projects.append(current)
                after_name = True
                break
            value = parse_amount(nxt)
            if value is None:
                continue
            if current is None:
                current = {"name": "", "cells": {}, "totals": []}
                projects.append(current)
            if _TOTAL.match(label):
                units.update(_UNIT.findall("".join(_clean(t) for t in texts[:i])))
                if label not in current["totals"]:
                    current["totals"].append(label)
                current["cells"].setdefault(label, (value, f"{label} {nxt}", page))
            elif _PART.match(label) and current["totals"]:
                k = seen.get(label, 0)
                seen[label] = k + 1
                many = len(current["totals"]) > 1
                under = current["totals"][min(k, len(current["totals"]) - 1)]
                col = f"{under}·{label}" if many else label
                current["cells"].setdefault(col, (value, f"{_clean(raw)} {nxt}", page))
    kept = [p for p in projects if p["cells"] and any(_TOTAL.match(c) for c in p["cells"])]
    if not kept or len(units) > 1 or not (named or (len(kept) == 1 and "整体" not in title)):
        return None
    # a form without a 项目名称 cell is named by its title when the title names one project ("X项目绩效目标表")
    m = re.match(r"^(?:\S*表[\d一二三四五六七八九十-]+\s*)?(.+?)项目绩效目标表", title)
    fallback = m.group(1) if m and not re.search(r"部门|整体|专项业务|^\d{4}\s*年", m.group(1)) else ""
    met = list(dict.fromkeys(c for p in kept for c in p["cells"]))
    # this year's total first (年度 before 实施期), then the other totals, then the parts as met
    columns = sorted(met, key=lambda c: (not _TOTAL.match(c), not c.startswith(("年度", "当年")), met.index(c)))
    names = [p["name"] or fallback.strip() for p in kept]
    out = []
    for p, name in zip(kept, names):
        if not name:
            continue
        values: list[Decimal | None] = [p["cells"][c][0] if c in p["cells"] else None for c in columns]
        first = next(c for c in columns if c in p["cells"])
        page = p["cells"][first][2]
        twin = names.count(name) > 1
        if twin and p.get("unit"):      # one project name for several units: each under its 实施单位
            out.append(RawRow(label=p["unit"], code=None, indent=0, values=[None] * len(columns), page=page,
                              raw=p["unit"]))
        out.append(RawRow(label=name, code=None, indent=1 if twin and p.get("unit") else 0, values=values,
                          page=page, raw=p["cells"][first][1]))
    return (columns, out, next(iter(units), None)) if out else None
