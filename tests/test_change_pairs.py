"""One change told in two statements (assistant/change_pairs.py): the amount, this year's figure and the
reason are put together only when the printed percent ties them and the figures agree."""
from __future__ import annotations

from decimal import Decimal as D

from assistant.change_pairs import completed
from index.models import ChangeFact


def _ch(subject, value, delta, percent, reason="", quote=""):
    return ChangeFact(subject, None if value is None else D(value), "万元", None if delta is None else D(delta),
                      None if percent is None else D(percent), reason, quote or subject, "s1", 17)


# changchun-petition-2026 p17–18, as printed
AMOUNT = _ch("2026年预算", None, "50.32", "3.08", "人员经费的正常增长", "2026年预算比2025年预算增加50.32万元，增长3.08%。")
FIGURE = _ch("财政预算收入", "1682.76", None, "3.08")


def test_a_figure_with_only_a_percent_takes_the_amount_and_reason_of_its_twin():
    got = completed(FIGURE, [FIGURE, AMOUNT], ("预算收入",))
    assert (got.subject, got.value, got.delta, got.reason) == ("财政预算收入", D("1682.76"), D("50.32"), "人员经费的正常增长")
    assert got.quote == AMOUNT.quote                   # cited where the amount is printed


def test_an_amount_without_a_figure_takes_the_figure_of_its_twin():
    got = completed(AMOUNT, [FIGURE, AMOUNT, _ch("收入", "1682.76", None, "3.08")], ("预算",))   # two twins, one figure
    assert (got.value, got.delta) == (D("1682.76"), D("50.32"))


def test_figures_that_do_not_give_the_percent_are_not_put_together():
    other = _ch("公用经费", "211.00", None, "3.08")      # 50.32 / (211.00 − 50.32) is 31.32%, not 3.08%
    assert completed(other, [other, AMOUNT], ("公用经费",)) is other


def test_twins_that_say_different_things_leave_the_statement_as_it_is():
    a, b = _ch("收入", "1682.76", None, "3.08"), _ch("支出", "1682.80", None, "3.08")
    assert completed(AMOUNT, [a, b, AMOUNT], ("预算",)) is AMOUNT
    whole = _ch("公务接待费", "5.60", "1.00", "21.74")
    assert completed(whole, [whole, AMOUNT], ("公务接待费",)) is whole      # nothing missing: unchanged


def test_a_statement_found_by_a_shared_word_is_not_completed():
    # "公务接待费去年预算": "2026年预算" shares only 预算 with the question; its subject is not the one named
    assert completed(AMOUNT, [FIGURE, AMOUNT], ("公务接待费",)) is AMOUNT
    assert completed(FIGURE, [FIGURE, AMOUNT], ()) is FIGURE
    # the subject named must lie inside the statement's, not the reverse ("当年预算" is not called by "2026年预算")
    assert completed(AMOUNT, [FIGURE, AMOUNT], ("公务接待费", "当年预算")) is AMOUNT
