"""The audit on every document of ../shared/corpus/wide: the findings as verified by hand (issue 8).

Every `error` below was checked against the PDF text (pdfplumber `extract_text`, 1-based pages) and is a real
inconsistency of the document as printed; the verdict is in the comment. Every `rounding` finding is a printed
total 0.01–0.02 万元 off the sum of its printed items (尾差; most of these templates print "因四舍五入可能存在
尾差"): they are pinned by count per check, and samples were re-added by hand (chongqing-water p12 收入 5 items
= 186,549.31 vs 合计 186,549.30; hangzhou-police p21 22,184.08 + 15.35 vs 22,199.42; changchun-petition p11
911.21 + 211.00 + 85.98 = 1,208.19 vs 1,208.20; foshan-rail p17 表6 工资福利支出). The documents of
../shared/corpus are pinned one by one in tests/test_audit.py.

Slow (reads 24 documents, about two minutes): run with -m slow.
"""
from __future__ import annotations

from collections import Counter

import pytest

from tests._wide import CORPUS, corpus_files

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CORPUS / "wide").is_dir(), reason="../shared/corpus/wide is not here")]

# document: ({rounding check: count}, [(error check, expected, actual, page of the first evidence)])
EXPECTED = {
    "shanghai-data-2026": ({}, []),
    "beijing-audit-2026": ({"narrative_vs_table": 1}, []),     # p7 项目支出 7633.51 vs 表 7,633.516247 (6 decimals)
    "shenzhen-police-2026": ({"parent_sum": 6}, []),
    "shenzhen-hrss-2026": ({"column_sum": 6, "parent_sum": 83}, []),   # 262 pages of per-unit tables
    "guangzhou-health-2026": ({"column_sum": 9, "parent_sum": 14}, []),
    "guangzhou-propaganda-2026": ({"parent_sum": 4}, []),
    "zhuhai-commerce-2026": ({"column_sum": 1, "parent_sum": 2}, []),
    # (a false alarm fixed: 表6 p20 prints 人员经费合计 649.20 | 公用经费合计 97.19 side by side, no grand
    # total; 基本支出 746.39 is their sum, not 公用经费合计)
    "foshan-rail-2019-final": ({"cross_table_code": 2, "parent_sum": 4}, []),
    "chongqing-water-2026": ({"column_sum": 17, "parent_sum": 21}, []),
    "chongqing-commerce-2026": ({"column_sum": 15, "parent_sum": 23}, []),
    "suzhou-transport-2026": ({}, []),
    "wuxi-education-2026": ({}, []),
    "wuxi-development-reform-2025": ({}, []),
    "hangzhou-police-2026": ({"column_sum": 6, "cross_table_total": 1, "parent_sum": 2}, [
        # p21–22 表2: the 11 units listed add to 402,943.55 (all 11 read, 杭州市机动车驾驶员考试服务中心's
        # 12,437.36 wrapped over the page) while 合计 and the bureau's row print 404,415.23: 1,471.68 of the
        # whole is in no unit listed; likewise 本年收入小计 and 一般公共预算
        ("parent_sum", "402943.55", "404415.23", 21),
        ("parent_sum", "398920.12", "400391.78", 21),
        ("parent_sum", "364724.13", "366195.79", 21),
        # p29 表7 三公: the 9 units add to 3,968.82, 合计 prints 4,112.82 (144.00 of 公务用车 in no unit)
        ("parent_sum", "3968.82", "4112.82", 29),
        ("parent_sum", "3867.89", "4011.89", 29),
        ("parent_sum", "2843.20", "2987.20", 29),
        # p32–33 表10 项目: the 33 projects listed add to 106,313.00 (re-added from the page text), 合计
        # prints 106,512.00
        ("parent_sum", "106313.00", "106512.00", 32),
        ("parent_sum", "76828.38", "77027.38", 32),
    ]),
    "huzhou-finance-2026": ({"column_sum": 10, "parent_sum": 4}, []),
    "fuzhou-medical-insurance-2026": ({}, []),
    "quanzhou-gov-office-2026": ({}, []),
    "changsha-vocational-office-2026": ({}, []),
    "xian-finance-2026": ({}, []),
    # parser 12 reads 公开06表's three 科目代码·科目名称·决算数 groups apart: two more rounding findings, checked by
    # hand (p157 工资福利支出 92,835.98 vs its items 92,835.97; 商品和服务支出 2,085.91 vs 2,085.89)
    "xian-health-2022-final": ({"column_sum": 6, "parent_sum": 36}, []),
    "xian-transport-2022": ({"column_sum": 8, "cross_table_total": 1, "parent_sum": 6}, []),
    "yantai-education-2026": ({"column_sum": 7, "parent_sum": 9}, [
        # p40 "2026年政府采购预算0万元，其中：…货物预算0万元" (a section left as the template: "（一）收入预算：
        # 2026年。") vs 公开表12 p38 合计 29,837.96
        ("narrative_vs_table", "29837.96", "0", 40),
    ]),
    "yantai-housing-2026": ({"parent_sum": 17}, []),
    "changchun-petition-2026": ({"parent_sum": 3}, [
        # p8 预算表3: 2014002 一般行政管理事务 and 2014099 其他信访事务支出 print 合计 458.00 / 16.56 and
        # 项目支出 458.00 / 16.56 but 当年预算·小计 0.00: 20140 信访事务's 小计 1,378.41 ≠ its items' 903.85;
        # each row's 合计 ≠ 小计 + 上年结转 and 小计 ≠ 基本 + 项目
        ("parent_sum", "903.85", "1378.41", 8),
        ("column_sum", "0", "458.00", 8),
        ("column_sum", "0", "16.56", 8),
        ("column_sum", "458.00", "0.00", 8),
        ("column_sum", "16.56", "0.00", 8),
        # p11 预算表6: 301 工资福利支出 prints 911.21, its nine items add to 920.96; 302 商品和服务支出 prints
        # 211.00, its fourteen items add to 221.37
        ("parent_sum", "920.96", "911.21", 11),
        ("parent_sum", "221.37", "211.00", 11),
    ]),
}


@pytest.fixture(scope="module")
def findings():
    from index.audit import audit
    from index.ingest import read_document
    cache: dict = {}

    def get(doc: str):
        if doc not in cache:
            files = corpus_files(doc)
            cache[doc] = audit(read_document(files, doc if len(files) > 1 else None))
        return cache[doc]
    return get


@pytest.mark.parametrize("doc", list(EXPECTED))
def test_wide_document_findings(findings, doc):
    rounding, errors = EXPECTED[doc]
    got = findings(doc)
    assert not [f for f in got if f.severity not in ("error", "rounding")], [f.line() for f in got]
    assert dict(Counter(f.check for f in got if f.severity == "rounding")) == rounding
    assert all(abs(f.difference) <= 0.02 for f in got if f.severity == "rounding")
    got_errors = [(f.check, str(f.expected), str(f.actual), f.evidence[0].page) for f in got if f.severity == "error"]
    assert sorted(got_errors) == sorted(errors)
    for f in got:
        assert f.evidence and all(e.quote and e.page > 0 and e.source for e in f.evidence), f
