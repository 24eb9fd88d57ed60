"""Fourth round of issue 9 (counts, stocks and their dates, figures placed by their section): the pieces
fast, and our own phrasings on real documents slow (they ingest wide-corpus PDFs; BUDGETQA_WIDE_STORE reuses a
store). Each slow case was a wrong figure or a needless refusal before."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from assistant.answer_counts import _other_population
from assistant.check import _as_of
from assistant.plan import AS_OF, parse, strip_preamble
from tests._wide import assert_value, wide_assistant

WIDE = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wide"


def test_a_stock_date_is_a_constraint_not_a_year_asked():
    q = "截至2021年末交通局所属单位一共有多少辆车"
    assert AS_OF.search(q).group(1) == "2021"
    plan = parse(q, q, [], ["count"], year=2022)
    assert ("as_of", "2021年") in plan.constraints and "截至2021年" in plan.understood()
    assert ("as_of", "2025年10月") in parse("截至2025年10月有几辆车", "截至2025年10月有几辆车", [], ["count"]).constraints


def test_the_sentence_cited_must_state_the_date():
    assert _as_of("2021年", "本部门所属预算单位2021年末共有车辆242辆")
    assert not _as_of("2020年", "本部门所属预算单位2021年末共有车辆242辆")
    assert _as_of("2025年10月", "截至2025年10月，共有车辆70辆") and not _as_of("2025年9月", "截至2025年10月，共有车辆70辆")


def test_retirees_are_counted_only_when_named():
    f = NS(subject="单位管理的离退休人员")
    assert _other_population(f, "一共有多少人员") and not _other_population(f, "退休人员有多少人")
    assert not _other_population(NS(subject="实有人数"), "一共有多少人员")


def test_a_bracketed_scope_of_the_whole_department_is_dropped():
    assert strip_preamble("深圳市人社局（含下属单位）一共有多少辆车") == "深圳市人社局一共有多少辆车"
    assert strip_preamble("包括下属单位在内一共几家") == "包括下属单位在内一共几家"     # a count of units: kept


# -- slow: our own phrasings on real documents ---------------------------------------------------------
needs_wide = pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")
DOCS = ("xian-transport-2022", "shenzhen-hrss-2026")


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return wide_assistant(tmp_path_factory, DOCS + ("jiangsu-procuratorate-2018", "jiangsu-procuratorate-2019"))


@pytest.mark.slow
@needs_wide
@pytest.mark.parametrize("doc, q, value", [
    ("xian-transport-2022", "截止2021年底，交通局所属单位共有几辆车", "242"),
    ("xian-transport-2022", "截至2020年末有多少辆车", None),          # the document states the end of 2021 only
    ("xian-transport-2022", "一共有多少人员", None),                   # was 离退休人员956人
    ("xian-transport-2022", "单位的编制一共多少人", "1318"),            # the whole before 行政编制 / 事业编制
    ("xian-transport-2022", "离退休人员有多少", "956"),
    ("xian-transport-2022", "事业单位一共有多少人", "1075"),          # a part named in full: not the whole
    ("xian-transport-2022", "交通局一共有多少人员", None),             # not the part 交通局机关58人
    ("shenzhen-hrss-2026", "截至2025年10月，深圳市人社局（含下属单位）共有车辆多少辆", "70"),
    ("jiangsu-procuratorate-2019", "财政拨款基本支出中的人员经费有多少", "13452.12"),
    ("jiangsu-procuratorate-2018", "财政拨款基本支出里，公用经费所占比重是多少", "19.47"),
])
def test_counts_stocks_and_placed_figures(bot, doc, q, value):
    assert_value(bot.ask(q, doc=doc), value)


@pytest.mark.slow
@needs_wide
def test_a_money_follow_up_after_a_count_is_no_count(bot):
    first = bot.ask("How many vehicles are there?", doc="xian-transport-2022")
    a = bot.ask("And the procurement budget?", doc="xian-transport-2022", history=[first])
    assert first.value == "242" and "“" not in first.answer.split("\n")[0]     # no Chinese fragments in English
    assert not a.answerable or a.value == "9493.70", a.answer
