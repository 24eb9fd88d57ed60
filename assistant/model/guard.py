"""The number guard: every figure in a model's answer must come from the evidence the model was given.

The model never does arithmetic or attribution (../shared/STYLE.md). `Evidence` collects what the model
saw: the offline answer (its text, value, calculation, citations), and each tool result (fact values and
labels, `calculate` results and formulas, `search_text` quotes). `unsupported_numbers(text, evidence)`
lists the figures of `text` found nowhere in it; the answerer falls back to the offline answer when the
list is not empty.

What counts as a figure: Arabic numerals, with optional thousands separators (`5,008.06`), decimals and a
following unit (元/万元/亿元 or %). Figures are compared as `Decimal`s ("5.6" == "5.60"), converted between
元, 万元 and 亿元 ("56000元" == "5.6万元"); a percentage also matches its fraction (65.89% == 0.6589);
signs are words in Chinese ("减少3.2万元" for -3.2), so magnitudes are compared. Not figures: years
(`2024年`, `2023-2024年`), month and day numbers of a date, list ordinals (`1.` `2、` `(3)` at the start of
an item) and `第N`. Everything else is a figure, identifiers included (`RMB999` must be supported too).

Chinese numerals count when they state money or a percentage (`五点六万元`, `一百万元`, `百分之六十五点八九`);
elsewhere (`三公`, `十三五`, `五个项目`) they are left alone. Rounding is not allowed: a model that writes
`约5千万` for 5,008.06万元 fails the guard on purpose; the prompt tells it to copy figures exactly.
Evidence texts are matched as numbers, not as substrings: "8" is supported by "表8" but not by "58". A
number without a unit in evidence text (a table row "公务接待费 5.60") supports that value in any unit.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

# 元-based scale of the money units; "%" is kept apart, any other unit is compared by value only.
_SCALE = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_PERCENT = "%"
_UNIT_ALIAS = {"万": "万元", "亿": "亿元"}     # "5.6万" is 56000 whatever is counted

# Full-width digits, dot and percent sign as ASCII (not the full-width comma: "3，400" is a list).
_WIDE = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

_NUMBER = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<gap>[ \t*_]*)"
    r"(?P<unit>亿元|万元|元|%|亿|万)?"
)
_CN = r"[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*(?:点[零〇一二两三四五六七八九]+)?"
_CN_FIGURE = re.compile(rf"百分之(?P<percent>{_CN})|(?<![\d.])(?P<cn>{_CN})(?P<unit>亿元|万元|元)")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_TENS = {"十": 10, "百": 100, "千": 1000}
_YEAR_AFTER = re.compile(r"\s*(?:年|[-–—~～至到]\s*(?:19|20)\d{2}\s*年)")
_ITEM_PREFIX = re.compile(r"[ \t]*(?:[-*+>#][ \t]*)*(?:\*\*)?")   # what may precede "1." on its line
_MONTH_RANGE = re.compile(r"[-–—~～至到]\s*(?:1[0-2]|0?[1-9])\s*月")


@dataclass(frozen=True)
class Figure:
    """One number as written: `text` is the span ("5,008.06万元"), `value` its magnitude, `unit` or None."""
    text: str
    value: Decimal
    unit: str | None
    start: int


def find_figures(text: str, *, skip_non_figures: bool = True) -> list[Figure]:
    """The numbers of `text` in order. With `skip_non_figures`, years, dates and ordinals are left out."""
    text = text.translate(_WIDE)
    figures = []
    for m in _NUMBER.finditer(text):
        start, end = m.start("num"), m.end("num")
        raw, unit = m.group("num"), m.group("unit")
        if skip_non_figures and not unit and _is_non_figure(text, start, end, raw):
            continue
        value = abs(Decimal(raw.replace(",", "")))     # signs are words ("减少"), compare magnitudes
        span_end = m.end() if unit else end
        figures.append(Figure(text[start:span_end].replace("*", "").replace("_", "").strip(),
                              value, _UNIT_ALIAS.get(unit, unit), start))
    for m in _CN_FIGURE.finditer(text):
        written = m.group("percent") or m.group("cn")
        figures.append(Figure(m.group(0), _cn_number(written), _PERCENT if m.group("percent") else m.group("unit"),
                              m.start()))
    return sorted(figures, key=lambda f: f.start)


def _cn_number(text: str) -> Decimal:
    """'五点六' -> 5.6, '一百零五' -> 105, '一万二千' -> 12000, '十二' -> 12, '二〇二四' -> 2024."""
    whole, _, decimals = text.partition("点")
    fraction = "".join(str(_CN_DIGIT[c]) for c in decimals)
    if all(c in _CN_DIGIT for c in whole):                # digit by digit: 二〇二四
        integer = int("".join(str(_CN_DIGIT[c]) for c in whole) or "0")
    else:
        yi = wan = section = digit = 0
        for c in whole:
            if c in _CN_DIGIT:
                digit = _CN_DIGIT[c]
            elif c in _CN_TENS:
                section += (digit or 1) * _CN_TENS[c]
                digit = 0
            elif c == "万":
                wan = (section + digit or 1) * 10_000
                section = digit = 0
            else:                                          # 亿
                yi = (yi + wan + section + digit or 1) * 100_000_000
                wan = section = digit = 0
        integer = yi + wan + section + digit
    return Decimal(f"{integer}.{fraction}" if fraction else str(integer))


def _is_non_figure(text: str, start: int, end: int, raw: str) -> bool:
    following = text[end:end + 12]
    if re.fullmatch(r"(?:19|20)\d{2}", raw) and _YEAR_AFTER.match(following):
        return True                                    # 2024年, 2023-2024年
    if raw.isdigit():
        n = int(raw)
        if 1 <= n <= 12 and (following.startswith("月") or _MONTH_RANGE.match(following)):
            return True                                # 3月 (a month), 1-3月
        if following.startswith(("日", "号")) and 1 <= n <= 31 and re.search(r"月\s*$", text[:start]):
            return True                                # 3月5日
        if text[:start].endswith("第"):
            return True                                # 第3部分
        line = text[text.rfind("\n", 0, start) + 1:start]
        if len(raw) <= 2 and _ITEM_PREFIX.fullmatch(line) and re.match(r"(?:\.(?!\d)|、|[)）])", following):
            return True                                # "1. " "2、" "3）" at the start of a list item
        if len(raw) <= 2 and re.search(r"[(（]\s*$", text[:start]) and re.match(r"\s*[)）]", following):
            return True                                # "(1)" "（2）"
    return False


class Evidence:
    """Everything the model was shown that may carry figures: values with units, and texts."""

    def __init__(self) -> None:
        self.values: list[tuple[Decimal, str | None]] = []
        self.texts: list[str] = []

    # --- adding -----------------------------------------------------------------------------------
    def add_value(self, value: Any, unit: str | None = None) -> None:
        """A figure given as a decimal string (a fact's value, a calculation result)."""
        try:
            number = abs(Decimal(str(value).replace(",", "").strip()))
        except (InvalidOperation, ValueError):
            self.add_text(str(value))                  # "5.60万元" or "65.89%": read it as text
            return
        if number.is_finite():
            self.values.append((number, _unit(unit)))

    def add_text(self, text: Any) -> None:
        """A text whose numbers count as written (a quote, a label, a formula, the offline answer)."""
        if isinstance(text, str) and text:
            self.texts.append(text)
            for f in find_figures(text, skip_non_figures=False):
                self.values.append((f.value, f.unit))

    def add_answer(self, answer: Any) -> None:
        """The offline answer: its text, value, calculation and citations (an `assistant.answer.Answer`)."""
        self.add_text(answer.answer)
        if answer.value is not None:
            self.add_value(answer.value, answer.unit)
        self.add_text(answer.calculation or "")
        for c in answer.citations:
            for t in (c.source, c.section or "", c.quote):
                self.add_text(t)
            self.add_value(c.page)

    def add_tool_result(self, name: str, result: Any) -> None:
        """A tool's result as returned to the model. Values with units are added as figures and every other
        string as text, so labels like "[30217]公务接待费" and formulas count too. An error result adds
        nothing (its message may echo the model's own input), and neither do ids (they are not document text)."""
        if isinstance(result, dict) and "error" in result:
            return
        for item in _walk(result):
            if isinstance(item, dict) and "value" in item:
                unit = item.get("unit")
                self.add_value(item["value"], unit if isinstance(unit, str) else None)
        for key, s in _strings(result):
            if key not in ("value", "unit", "id"):
                self.add_text(s)

    # --- checking ---------------------------------------------------------------------------------
    def supports(self, figure: Figure) -> bool:
        return any(_matches(figure.value, _unit(figure.unit), v, u) for v, u in self.values)


def unsupported_numbers(text: str, evidence: Evidence) -> list[Figure]:
    """The figures of `text` that `evidence` does not support (empty when the text passes the guard)."""
    return [f for f in find_figures(text) if not evidence.supports(f)]


def _matches(value: Decimal, unit: str | None, ev_value: Decimal, ev_unit: str | None) -> bool:
    if value == ev_value and (unit is None or ev_unit is None or unit == ev_unit):
        return True                                    # "5.6" vs 5.60万元; never 5.6元 vs 5.6万元
    if unit in _SCALE and ev_unit in _SCALE:
        return value * _SCALE[unit] == ev_value * _SCALE[ev_unit]
    if unit == _PERCENT and ev_unit is None:
        return value == ev_value * 100                 # 65.89% vs a share of 0.6589
    return False


def _unit(unit: str | None) -> str | None:
    if not unit:
        return None
    unit = unit.strip().translate(_WIDE)
    unit = _UNIT_ALIAS.get(unit, unit)
    return unit if unit in _SCALE or unit == _PERCENT else None


def _walk(obj: Any) -> Iterable[Any]:
    yield obj
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _walk(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _walk(v)


def _strings(obj: Any, key: str = "") -> Iterable[tuple[str, str]]:
    if isinstance(obj, str):
        yield key, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(v, str(k))
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v, key)
    elif obj is not None and not isinstance(obj, bool) and isinstance(obj, (int, float)):
        yield key, json.dumps(obj)
