"""The number guard (assistant/model/guard.py): which figures of a model's text its evidence supports."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.answer import Answer, Citation
from assistant.model.guard import Evidence, find_figures, unsupported_numbers

TABLE8 = "表8 财政拨款安排的行政经费及“三公”经费预算表"


def _evidence(*values: tuple[str, str | None], texts: tuple[str, ...] = ()) -> Evidence:
    ev = Evidence()
    for value, unit in values:
        ev.add_value(value, unit)
    for t in texts:
        ev.add_text(t)
    return ev


def _bad(text: str, ev: Evidence) -> list[str]:
    return [f.text for f in unsupported_numbers(text, ev)]


@pytest.mark.parametrize("text, figures", [
    ("公务接待费5.60万元", [("5.60万元", "5.60", "万元")]),
    ("合计5,008.06万元，占65.89%", [("5,008.06万元", "5008.06", "万元"), ("65.89%", "65.89", "%")]),
    ("**5.6** 万元", [("5.6 万元", "5.6", "万元")]),
    ("约５．６万元，增长８．８９％", [("5.6万元", "5.6", "万元"), ("8.89%", "8.89", "%")]),   # full width
    ("减少-3.2万元", [("3.2万元", "3.2", "万元")]),                                           # magnitudes
    ("2024年预算5.6万", [("5.6万", "5.6", "万元")]),
    ("2023-2024年度、2024 年", []),                                                            # years
    ("2024年3月5日，1-3月", []),                                                               # dates
    ("1. 公务接待费\n2、会议费\n- 3) 培训费\n（4）差旅费，第5部分", []),                       # ordinals
    ("共12项", [("12", "12", None)]),
    ("RMB999", [("999", "999", None)]),                                                       # no id loophole
    ("2024", [("2024", "2024", None)]),                                                       # a bare year counts
    ("五点六万元，百分之六十五点八九，一百万元", [("五点六万元", "5.6", "万元"), ("百分之六十五点八九", "65.89", "%"),
                                                 ("一百万元", "1000000", "元")]),
    ("三公经费、十三五规划、第一部分、五个项目", []),                                           # not money
])
def test_find_figures(text, figures):
    assert [(f.text, str(f.value), f.unit) for f in find_figures(text)] == figures


@pytest.mark.parametrize("text", ["公务接待费为5.6万元", "公务接待费为5.60万元", "公务接待费为5.600万元",
                                  "公务接待费56000元", "公务接待费56,000元", "公务接待费0.00056亿元",
                                  "公务接待费5.6", "公务接待费5.6万"])
def test_same_figure_in_other_forms_is_supported(text):
    assert _bad(text, _evidence(("5.60", "万元"))) == []


@pytest.mark.parametrize("text", ["公务接待费5.6元", "公务接待费5.7万元", "公务接待费56000万元", "公务接待费560%"])
def test_wrong_figure_or_wrong_unit_is_not_supported(text):
    assert _bad(text, _evidence(("5.60", "万元"))) != []


def test_chinese_numerals_are_checked_too():
    ev = _evidence(("5.60", "万元"), ("65.89", "%"))
    assert _bad("五点六万元，占百分之六十五点八九", ev) == []
    assert _bad("一百万元", ev) == ["一百万元"]


def test_percent_matches_a_percent_result_or_a_share():
    assert _bad("占65.89%", _evidence(("65.89", "%"))) == []
    assert _bad("占65.89%", _evidence(("0.6589", None))) == []
    assert _bad("占65.9%", _evidence(("65.89", "%"))) == ["65.9%"]          # no rounding


def test_years_and_ordinals_need_no_evidence():
    text = "1. 2024年公务接待费为5.60万元。\n2. 2023-2024年度无变化。"
    assert _bad(text, _evidence(("5.60", "万元"))) == []


def test_numbers_in_texts_count_as_written_and_whole():
    ev = _evidence(texts=(TABLE8, "合计 7,600.53 2,592.47 5,008.06", "[30217]公务接待费"))
    assert _bad("见表8，合计7600.53万元，其中2,592.47万元；科目30217", ev) == []
    assert _bad("表58", ev) == ["58"]                       # "8" of 表8 does not support 58
    assert _bad("表3", _evidence(texts=("合计 30.5",))) == ["3"]   # nor digits inside another number


def test_offline_answer_is_evidence():
    offline = Answer(question="q", answer="项目支出占总支出的65.89%。", answerable=True, value="65.89", unit="%",
                     calculation="5,008.06 ÷ 7,600.53 × 100% = 65.89%",
                     citations=(Citation("d", "表3 部门支出总表", None, 20, "合计 7,600.53 2,592.47 5,008.06"),))
    ev = Evidence()
    ev.add_answer(offline)
    assert _bad("表3（第20页）：5,008.06万元 ÷ 7,600.53万元，占65.89%；基本支出2592.47万元", ev) == []
    assert _bad("约66%", ev) == ["66%"]


def test_tool_results_values_labels_and_formulas():
    ev = Evidence()
    ev.add_tool_result("find_facts", [{"id": "f999", "table": TABLE8, "row": "[30217]公务接待费", "path": ["三公"],
                                       "column": "2024年预算数", "value": "5.60", "unit": "万元", "page": 27,
                                       "quote": "公务接待费 5.60"}])
    ev.add_tool_result("calculate", {"value": "1.00", "unit": "万元", "formula": "5.60 − 4.60 = 1.00"})
    ev.add_tool_result("search_text", [{"source": "第三部分", "section": "二", "page": 30,
                                        "quote": "公务接待费5.6万元，比上年增加1万元"}])
    assert _bad("公务接待费5.6万元（表8第27页，科目30217），比上年的4.60万元增加1万元", ev) == []
    assert _bad("编号999", ev) == ["999"]                   # ids are not document text


def test_error_results_add_nothing():
    ev = Evidence()
    ev.add_tool_result("calculate", {"error": "operand 777 is not a fact id"})
    assert _bad("777", ev) == ["777"]


def test_values_compare_as_decimals():
    ev = _evidence(("5008.060", "万元"))
    assert ev.supports(find_figures("5,008.06万元")[0])
    assert ev.values == [(Decimal("5008.060"), "万元")]
