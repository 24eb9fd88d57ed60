"""The staff claim checker on the bundled document."""
from __future__ import annotations

from assistant.claims import check_claim


def statuses(store, text):
    doc = store.documents()[0].id
    return [(c.figure, c.status, c.expected) for c in check_claim(store, doc, text)]


def test_true_claim_matches(bundled_store):
    assert statuses(bundled_store, "2024年公务接待费5.6万元，比上年增长21.74%") == [
        ("5.6万元", "match", "5.60万元"), ("21.74%", "match", "21.74%")]


def test_wrong_figures_are_marked_with_the_right_one(bundled_store):
    got = statuses(bundled_store, "三公经费9.82万元，比上年增加0.72万元；项目支出5,008.06万元")
    assert got == [("9.82万元", "mismatch", "8.82万元"), ("0.72万元", "match", "0.72万元"),
                   ("5,008.06万元", "match", "5,008.06万元")]


def test_unknown_subject_not_found(bundled_store):
    assert statuses(bundled_store, "食堂伙食费3万元")[0][1] == "not_found"


def test_units_convert(bundled_store):
    assert statuses(bundled_store, "公务接待费56000元")[0][1] == "match"


def test_chinese_numerals_and_full_width_digits(bundled_store):
    assert [s for _, s, _ in statuses(bundled_store, "公务接待费五点六万元，三公经费８.８２万元")] == ["match", "match"]
