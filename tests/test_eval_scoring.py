"""The contract's scoring rules on hand-made answer objects, and the question files' own validity."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from eval.questionset import Question, load_questions
from eval.scoring import parse_number, score_answer, source_matches, value_matches
from index.errors import InputError
from index.models import normalize_ws

QDIR = Path(__file__).resolve().parents[1] / "eval" / "questions"
DOC = normalize_ws("表8 财政拨款安排的行政经费及“三公”经费预算表\n（三）公务接待费支出 5.60 5.60 0.00 0.00\n"
                   "公务接待费5.6万元，比上年增加1万元，增长21.74%，主要原因是疫情结束后，接待工作量增加，\n"
                   "2023年当年的预算偏低")
CITE_T8 = {"doc": "d", "source": "表8 财政拨款安排的行政经费及“三公”经费预算表", "section": None, "page": 16,
           "quote": "（三）公务接待费支出 5.60 5.60"}


def q(**kw) -> Question:
    base = {"id": "q", "question": "公务接待费是多少", "kind": "lookup"}
    return Question.model_validate({**base, **kw})


def ans(**kw) -> dict:
    base = {"question": "x", "answer": "", "answerable": True, "value": None, "unit": None, "calculation": None,
            "citations": [], "mode": "offline"}
    return {**base, **kw}


@pytest.mark.parametrize("value,unit,ok", [
    ("5.60", "万元", True), ("5.6", "万元", True), ("56000", "元", True), ("56,000", "元", True),
    ("0.00056", "亿元", True), ("5.60", None, True), ("5.61", "万元", False), ("5600", "元", False),
    ("5.60", "%", False), (None, None, False),
])
def test_value_converts_units(value, unit, ok):
    assert value_matches("5.60", "万元", value, unit) is ok


def test_value_tolerance_default_and_percent():
    assert value_matches("5.60", "万元", "5.605", "万元")            # 0.005 inclusive
    assert not value_matches("5.60", "万元", "5.606", "万元")
    assert value_matches("65.89", "%", "65.90", "%")                 # 0.01 for %
    assert not value_matches("65.89", "%", "65.91", "%")
    assert value_matches("24.21", "%", "24.2", "%", Decimal("0.02"))  # the file's own tolerance


def test_value_in_a_coarser_unit_may_be_rounded_to_two_decimals():
    # 189,767,551 元 stated as 18,976.76 万元 (49 元 off) is right; 18,976.7 万元 is not
    assert value_matches("189767551", "元", "18976.76", "万元")
    assert not value_matches("189767551", "元", "18976.70", "万元")
    assert not value_matches("5.60", "万元", "0.00", "亿元")          # rounding bigger than the figure itself


def test_counts_in_ge_and_xiang_compare():
    assert value_matches("21", "个", "21", "项")
    assert not value_matches("1", "辆", "1", "台")


def test_parse_number():
    assert parse_number("7,600.53万元") == Decimal("7600.53")
    assert parse_number("65.89%") == Decimal("65.89")
    assert parse_number("−0.28") == Decimal("-0.28")
    assert parse_number("无") is None


def test_lookup_right_and_wrong():
    qq = q(value="5.60", unit="万元", sources=["表8", "表6"])
    right = score_answer(qq, ans(answer="公务接待费 **5.60万元**", value="56000", unit="元", citations=[CITE_T8]), DOC)
    assert right.correct and right.checks == {"refusal": True, "value": True, "citation": True, "quotes": True}
    wrong = score_answer(qq, ans(value="100", unit="万元", citations=[CITE_T8]), DOC)
    assert not wrong.correct and wrong.checks["value"] is False and "want 5.60" in wrong.why[0]


def test_keyword_groups_need_one_alternative_each():
    qq = q(kind="why", question="公务接待费为什么增加", keywords=[["疫情"], ["预算偏低", "偏低"]], sources=["三公"])
    cite = {**CITE_T8, "source": "第三部分 › 二、“三公”经费安排情况"}
    ok = score_answer(qq, ans(answer="疫情结束后接待增加；2023年预算**偏低**。", citations=[cite]), DOC)
    assert ok.correct
    miss = score_answer(qq, ans(answer="疫情结束后接待增加。", citations=[cite]), DOC)
    assert not miss.correct and miss.checks["keywords"] is False and "预算偏低/偏低" in miss.why[0]
    english = score_answer(q(keywords=[["pandemic", "疫情"]]), ans(answer="After the  PANDEMIC ended"), DOC)
    assert english.checks["keywords"]


def test_refusals():
    un = q(kind="unanswerable", question="2025年预算是多少", answerable=False)
    assert score_answer(un, ans(answerable=False, answer="文件未披露"), DOC).correct
    guessed = score_answer(un, ans(answerable=True, value="8000", unit="万元"), DOC)
    assert not guessed.correct and guessed.why == ["answered what is not disclosed"]
    refused = score_answer(q(value="5.60", unit="万元"), ans(answerable=False), DOC)
    assert not refused.correct and refused.checks["refusal"] is False


def test_unanswerable_needs_answerable_false():
    with pytest.raises(ValueError):
        q(kind="unanswerable")


def test_citation_matching():
    assert source_matches(["表8"], CITE_T8)
    assert source_matches(["三公"], {"source": "第三部分", "section": "二、“三公”经费安排情况"})
    assert not source_matches(["表1"], {"source": "表12 部门预算项目支出及其他支出预算表", "section": None})
    assert source_matches(["表1"], {"source": "表1 收支总体情况表", "section": None})
    assert source_matches(["公开09表"], {"source": "公开09表 “三公”经费、会议费、培训费支出预算表"})
    qq = q(value="5.60", unit="万元", sources=["表6"])
    s = score_answer(qq, ans(value="5.60", unit="万元", citations=[CITE_T8]), DOC)
    assert s.checks["citation"] is False and s.citations_right == 0
    other_doc = score_answer(q(value="5.60", unit="万元", sources=["表8"]),
                             ans(value="5.60", unit="万元", citations=[CITE_T8]), DOC, doc_id="another")
    assert other_doc.checks["citation"] is False


def test_quotes_must_be_verbatim_whitespace_ignored():
    qq = q(value="5.60", unit="万元", sources=["表8"])
    spaced = {**CITE_T8, "quote": "公务接待费5.6万元，比上年增加1万元，增长21.74%，主要原因是疫情结束后，接待工作量增加，2023年当年的 预算偏低"}
    assert score_answer(qq, ans(value="5.60", unit="万元", citations=[CITE_T8, spaced]), DOC).checks["quotes"]
    made_up = {**CITE_T8, "quote": "公务接待费100万元"}
    s = score_answer(qq, ans(value="5.60", unit="万元", citations=[CITE_T8, made_up]), DOC)
    assert not s.correct and (s.quotes, s.quotes_verbatim) == (2, 1)
    empty = {**CITE_T8, "quote": ""}
    assert score_answer(qq, ans(value="5.60", unit="万元", citations=[empty]), DOC).checks["quotes"] is False


def test_failed_question_fails_every_applicable_rule():
    s = score_answer(q(value="5.60", unit="万元", sources=["表8"]), None, DOC, error="ValueError: boom")
    assert not s.correct and s.error == "ValueError: boom"
    assert s.checks == {"answered": False, "refusal": False, "value": False, "citation": False}


def test_question_file_errors_name_the_line(tmp_path):
    p = tmp_path / "q.jsonl"
    p.write_text('{"id": "a", "question": "x", "kind": "lookup"}\n{"id": "b", "question": "y", "kind": "lookup", '
                 '"valeu": "1"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="第 2 行.*valeu"):
        load_questions(p)
    p.write_text('{"id": "a", "question": "x", "kind": "lookup"}\n{"id": "a", "question": "y", "kind": "lookup"}\n',
                 encoding="utf-8")
    with pytest.raises(InputError, match="重复"):
        load_questions(p)


@pytest.mark.parametrize("name,minimum", [("huizhou-2024.jsonl", 130), ("jiangsu-procuratorate-2019.jsonl", 30),
                                          ("shanghai-putuo-wanli-2025.jsonl", 30)])
def test_question_files_are_valid(name, minimum):
    qs = load_questions(QDIR / name)
    assert len(qs) >= minimum
    assert all(x.document for x in qs) and len({x.document for x in qs}) == 1
    assert all(x.pages for x in qs if x.answerable)
    kinds = {x.kind for x in qs}
    assert {"lookup", "arithmetic", "why", "definition", "list", "narrative", "unanswerable"} <= kinds


def test_huizhou_covers_every_table_and_its_figures_are_on_their_pages():
    from index.ingest import bundled_path
    from index.textexport import split_pages
    pages = [normalize_ws("\n".join(lines)) for _, lines in split_pages(bundled_path().read_text(encoding="utf-8"))]
    qs = load_questions(QDIR / "huizhou-2024.jsonl")
    cited = {s for x in qs for s in x.sources}
    assert {f"表{i}" for i in range(1, 13)} <= cited
    for x in qs:
        if x.value is None or x.kind not in ("lookup", "narrative"):
            continue
        v = Decimal(x.value)
        forms = {x.value, f"{v:,}", f"{v:,.2f}", f"{v.normalize():f}"}
        assert any(f in pages[p - 1] for p in x.pages for f in forms), (x.id, x.value, x.pages)
    for x in qs:
        if x.evidence:
            assert normalize_ws(x.evidence) in "".join(pages), x.id
    raw = [json.loads(line) for line in (QDIR / "huizhou-2024.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {"injection", "english", "colloquial", "misspelt"} <= {t for r in raw for t in r.get("tags", [])}


def test_wrong_figure_is_an_answer_the_gold_does_not_have():
    qq = q(value="5.60", unit="万元")
    assert score_answer(qq, ans(value="100", unit="万元"), DOC).wrong_figure
    assert score_answer(qq, ans(value=None), DOC).wrong_figure            # answerable, yet no figure
    assert not score_answer(qq, ans(value="56000", unit="元"), DOC).wrong_figure
    assert not score_answer(qq, ans(answerable=False), DOC).wrong_figure  # a refusal is never a wrong figure
    un = q(kind="unanswerable", answerable=False)
    assert score_answer(un, ans(value="3", unit="万元"), DOC).wrong_figure
    assert not score_answer(q(kind="why", keywords=[["疫情"]]), ans(answer="x"), DOC).wrong_figure
