"""Every document of ../shared/corpus and ../shared/corpus/wide, ingested into a real store, against hand-read figures.

For each document: department, year, kind (预算/决算 and its detail), the table roles its 目录 lists, the 三公
total and the 支出 total of its 收支总表. Every figure below was read by hand from the PDF's text
(pdfplumber `extract_text`, page numbers 1-based in the document; for a two-file document the tables file's
pages follow the narrative's), never from the reader's output. The page is in the comment next to it.

Slow (the 32 documents take minutes): marked `slow` and skipped unless selected, one test per document, so
one can run alone:
    python -m pytest -q -m slow tests/test_wide_corpus.py -k guangzhou-health
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path

import pytest

from index.ingest import ingest
from index.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
WIDE = CORPUS / "wide"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not WIDE.is_dir(), reason="../shared/corpus/wide is not here")]

GD = {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic", "sangong",
      "gov_fund", "state_capital", "basic", "project"}                        # Guangdong 表1–表12
JS = {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic",
      "sangong_meeting_training", "gov_fund", "operating_cost", "procurement"}  # Jiangsu 公开01–12/13表
SH = {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure", "general_basic",
      "gov_fund", "sangong"}                                                   # Shanghai, 9 tables


@dataclass(frozen=True)
class Doc:
    files: tuple[str, ...]
    department: str
    year: int
    kind: str                   # 预算 / 决算
    detail: str                 # 部门预算, 单位预算, 部门决算, 部门综合预算
    roles: frozenset[str]       # roles of the tables its 目录 lists (each must be found)
    sangong: tuple[D, int] | None    # 三公 total (小计 of the 三公 items, without 会议费/培训费), page
    spending: tuple[D, int] | None   # 支出 total of the 收支总表 (本年支出合计 or 支出总计 as printed), page
    per_unit: bool = False      # the document has per-unit tables


def _d(files, dept, year, kind, detail, roles, sangong, spending, per_unit=False) -> Doc:
    files = (files,) if isinstance(files, str) else tuple(files)
    return Doc(files, dept, year, kind, detail, frozenset(roles), sangong, spending, per_unit)


DOCS = {
    # ------------------------------------------------------------------ ../shared/corpus
    # p16 "“三公”经费 8.82 8.82 0.00 0.00"; p5 "本年收入合计 7,600.53 本年支出合计 7,600.53" (the export's own pages:
    # a line starting with a space opens a page)
    "huizhou-data-bureau-2024": _d("huizhou-data-bureau-2024.txt", "惠州市政务服务数据管理局", 2024, "预算", "部门预算",
                                   GD | {"economic"}, (D("8.82"), 16), (D("7600.53"), 5)),
    # p20 公开09表 "1276.7 418.26 80 …" (三公 小计 418.26); p14 "收入合计 24,169.74 支出合计 24,169.74"
    "jiangsu-procuratorate-2019": _d("jiangsu-procuratorate-2019.pdf", "江苏省人民检察院", 2019, "预算", "部门预算",
                                     JS, (D("418.26"), 20), (D("24169.74"), 14)),
    # p19 "1,384.74 484.30 …"; p14 "收入合计 21,955.35 支出合计 21,955.35"
    "jiangsu-procuratorate-2018": _d("jiangsu-procuratorate-2018.pdf", "江苏省人民检察院", 2018, "预算", "部门预算",
                                     JS, (D("484.30"), 19), (D("21955.35"), 14)),
    # p14 "2,382.02 513.75 …"; p8 "收入合计 37,188.34 支出合计 37,188.34"
    "jiangsu-high-court-2019": _d("jiangsu-high-court-2019.pdf", "江苏省高级人民法院", 2019, "预算", "部门预算",
                                  JS, (D("513.75"), 14), (D("37188.34"), 8)),
    # tables file p9 = p26 "1,656.86 675.10 …"; tables p1 = p18 "收入合计 10,150.48 支出合计 10,150.48"
    "jiangsu-cppcc-2018": _d(("jiangsu-cppcc-2018-narrative.pdf", "jiangsu-cppcc-2018-tables.pdf"), "江苏省政协办公厅",
                             2018, "预算", "部门预算", JS, (D("675.10"), 26), (D("10150.48"), 18)),
    # p31 "47.91 0 1.35 46.56 25 21.56 443.18" (万元); p10 "收入总计 156,211,123 支出总计 156,211,123" (元)
    "shanghai-putuo-wanli-2024": _d("shanghai-putuo-wanli-2024.pdf", "上海市普陀区人民政府万里街道办事处", 2024, "预算",
                                    "部门预算", SH, (D("47.91"), 31), (D("156211123"), 10)),
    # p29 "37.91 0 1.35 36.56 15 21.56 464.64"; p9 "支出总计 189,767,551"
    "shanghai-putuo-wanli-2025": _d("shanghai-putuo-wanli-2025.pdf", "上海市普陀区人民政府万里街道办事处", 2025, "预算",
                                    "部门预算", SH, (D("37.91"), 29), (D("189767551"), 9)),
    # p21 "1.00 1.00 171.01"; p9 "支出总计 371,514,655.00"
    "shanghai-putuo-commerce-2025": _d("shanghai-putuo-commerce-2025.pdf", "上海市普陀区商务委员会", 2025, "预算",
                                       "部门预算", SH, (D("1.00"), 21), (D("371514655.00"), 9)),
    # ------------------------------------------------------------------ ../shared/corpus/wide
    # p21 "143.14 109.14 20.00 14.00 14.00 1,673.72" (万元); p7 "收入总计 471,452,100 支出总计 471,452,100" (元)
    "shanghai-data-2026": _d("wide/shanghai-data-2026.pdf", "上海市数据局", 2026, "预算", "单位预算",
                             SH, (D("143.14"), 21), (D("471452100"), 7)),
    # tables file p9 = p19 "244.848000 173.520000 …"; tables p1 = p11 "收入总计 32,852.053832 支出总计 32,852.053832"
    "beijing-audit-2026": _d(("wide/beijing-audit-2026-narrative.pdf", "wide/beijing-audit-2026-tables.pdf"),
                             "北京市审计局", 2026, "预算", "部门预算",
                             {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                              "general_basic", "sangong", "gov_fund", "state_capital", "procurement",
                              "purchase_services", "performance", "overall_performance"},
                             (D("244.848000"), 19), (D("32852.053832"), 11)),
    # p37 表9 "2026年 3,086.94 …"; p17 "本年收入合计 201,781.34 本年支出合计 204,397.58"
    "shenzhen-police-2026": _d("wide/shenzhen-police-2026.pdf", "深圳市公安局", 2026, "预算", "部门预算",
                               {"summary", "income", "expenditure", "basic", "project", "fiscal_summary",
                                "general_expenditure", "economic", "sangong", "gov_fund", "state_capital"},
                               (D("3086.94"), 37), (D("204397.58"), 17)),
    # p252 表9 "深圳市人力资源和社会保障局 … 2026年 299.23"; p60 "本年支出合计 571,347.93"
    "shenzhen-hrss-2026": _d("wide/shenzhen-hrss-2026.pdf", "深圳市人力资源和社会保障局", 2026, "预算", "部门预算",
                             {"summary", "income", "expenditure", "basic", "project", "fiscal_summary",
                              "general_expenditure", "economic", "sangong", "gov_fund", "state_capital"},
                             (D("299.23"), 252), (D("571347.93"), 60), per_unit=True),
    # p23 表8 "“三公”经费 860.78"; p8 "收入总计 3,324,258.76 支出总计 3,324,258.76"
    "guangzhou-health-2026": _d("wide/guangzhou-health-2026.pdf", "广州市卫生健康委员会", 2026, "预算", "部门预算",
                                GD | {"economic"}, (D("860.78"), 23), (D("3324258.76"), 8), per_unit=True),
    # p15 表8 "“三公”经费 176.31"; p5 "收入总计 27,900.73 支出总计 27,900.73"
    "guangzhou-propaganda-2026": _d("wide/guangzhou-propaganda-2026.pdf", "中国共产党广州市委员会宣传部", 2026, "预算",
                                    "部门预算", GD | {"economic"}, (D("176.31"), 15), (D("27900.73"), 5),
                                    per_unit=True),
    # p18 表8 "“三公”经费 19.84"; p7 "本年收入合计 46,403.97 本年支出合计 66,307.98"
    "zhuhai-commerce-2026": _d("wide/zhuhai-commerce-2026.pdf", "珠海市商务局", 2026, "预算", "部门预算",
                               GD | {"economic"}, (D("19.84"), 18), (D("66307.98"), 7), per_unit=True),
    # p21 表7 决算数 "合计 … 0.16"; p6 表1 "本年收入合计 23 1668.14 本年支出合计 49 1668.14"
    "foshan-rail-2019-final": _d("wide/foshan-rail-2019-final.pdf", "佛山市轨道交通局", 2019, "决算", "部门决算",
                                 {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                  "general_basic", "sangong", "gov_fund"},
                                 (D("0.16"), 21), (D("1668.14"), 6)),
    # p28 表八 "308.00 20.00 248.50 248.50 39.50"; p12 表一 "合计 186,549.30 合计 186,549.30"
    "chongqing-water-2026": _d("wide/chongqing-water-2026.pdf", "重庆市水利局", 2026, "预算", "部门预算",
                               {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                "general_basic", "gov_fund", "sangong", "procurement", "overall_performance",
                                "performance"}, (D("308.00"), 28), (D("186549.30"), 12)),
    # p23 表八 "890.97 552.00 217.90 217.90 121.07"; p8 表一 "合 计 174,900.64 合 计 174,900.64"
    "chongqing-commerce-2026": _d("wide/chongqing-commerce-2026.pdf", "重庆市商务委员会", 2026, "预算", "部门预算",
                                  {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                   "general_basic", "gov_fund", "sangong", "procurement", "overall_performance"},
                                  (D("890.97"), 23), (D("174900.64"), 8)),
    # p22 公开09表 "345.63 0.00 299.12 154.97 144.15 46.51 45.12 305.79" (三公合计 345.63); p8 "本年支出合计 249,977.11"
    "suzhou-transport-2026": _d("wide/suzhou-transport-2026.pdf", "苏州市交通运输局", 2026, "预算", "部门预算",
                                JS, (D("345.63"), 22), (D("249977.11"), 8)),
    # p28 公开09表 "241.17 0.00 140.80 …"; p15 "本年支出合计 512,434.34"
    "wuxi-education-2026": _d("wide/wuxi-education-2026.pdf", "无锡市教育局", 2026, "预算", "部门预算",
                              JS, (D("241.17"), 28), (D("512434.34"), 15), per_unit=True),
    # p23 公开09表 "38.27 23.27 2.80 0.00 2.80 12.20 7.37 22.21"; p11 "本年支出合计 9,947.88"
    "wuxi-development-reform-2025": _d("wide/wuxi-development-reform-2025.pdf", "无锡市发展和改革委员会", 2025, "预算",
                                       "部门预算", JS, (D("38.27"), 23), (D("9947.88"), 11)),
    # p29 表7 "合计 4,112.82 4,011.89 …"; p20 表1 "本年收入合计 400,391.78 本年支出合计 404,415.23"
    "hangzhou-police-2026": _d("wide/hangzhou-police-2026.pdf", "杭州市公安局", 2026, "预算", "部门预算",
                               {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                "general_basic", "sangong", "gov_fund", "state_capital", "project", "performance"},
                               (D("4112.82"), 29), (D("404415.23"), 20), per_unit=True),
    # p28 表07 "合计 9.30 3.50 3.50 5.80"; p17 "本年收入合计 6838.41 本年支出合计 6838.41"
    "huzhou-finance-2026": _d("wide/huzhou-finance-2026.pdf", "湖州市财政局", 2026, "预算", "部门预算",
                              {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                               "general_basic", "sangong"}, (D("9.30"), 28), (D("6838.41"), 17), per_unit=True),
    # p21 十、"合计 5.00"; p10 "本年收入合计 351904.90 本年支出合计 351904.90"
    "fuzhou-medical-insurance-2026": _d("wide/fuzhou-medical-insurance-2026.pdf", "福州市医疗保障局", 2026, "预算",
                                        "部门预算", {"summary", "income", "expenditure", "fiscal_summary",
                                                    "general_expenditure", "general_basic", "sangong", "gov_fund"},
                                        (D("5.00"), 21), (D("351904.90"), 10), per_unit=True),
    # p22 十、"合计 312.75"; p13 "本年收入合计 15184.81 本年支出合计 15184.81"
    "quanzhou-gov-office-2026": _d("wide/quanzhou-gov-office-2026.pdf", "泉州市人民政府办公室", 2026, "预算", "部门预算",
                                   {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                    "general_basic", "sangong", "gov_fund"},
                                   (D("312.75"), 22), (D("15184.81"), 13), per_unit=True),
    # p20 "合计 0.50 0.50"; p12 "本 年 支 出 合 计 656.73"
    "changsha-vocational-office-2026": _d("wide/changsha-vocational-office-2026.pdf", "长沙职业教育基地综合协调办公室",
                                          2026, "预算", "部门预算",
                                          {"summary", "income", "expenditure", "fiscal_summary",
                                           "general_expenditure", "general_basic", "sangong", "gov_fund",
                                           "performance", "overall_performance"},
                                          (D("0.50"), 20), (D("656.73"), 12)),
    # p43 表13 当年 "2,083,436.00 219,000.00 …" (元; 三公 小计 219,000.00); p25 表1 "本年支出合计 303,312,586.17"
    # (its p24 报表目录 is ruled but holds no figures: not read as a table)
    "xian-finance-2026": _d("wide/xian-finance-2026.pdf", "西安市财政局", 2026, "预算", "部门预算",
                            {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                             "general_basic", "project", "procurement", "sangong_meeting_training", "performance",
                             "overall_performance"}, (D("219000.00"), 43), (D("303312586.17"), 25), per_unit=True),
    # p161 公开09表 决算数 "587.55 587.44 136.48 450.96 0.11 86.81 2,795.78"; p146 公开01表 "本年支出合计 57 2,074,962.01"
    "xian-health-2022-final": _d("wide/xian-health-2022-final.pdf", "西安市卫生健康委员会", 2022, "决算", "部门决算",
                                 {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                  "general_basic", "sangong_meeting_training"},
                                 (D("587.55"), 161), (D("2074962.01"), 146)),
    # p78 表13 2022年 "472.89 248.84 …" (三公 248.84); p28 表1 "本年支出合计 74868.34"
    "xian-transport-2022": _d("wide/xian-transport-2022.pdf", "西安市交通运输局", 2022, "预算", "部门综合预算",
                              {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                               "gov_fund", "project", "sangong_meeting_training", "performance",
                               "overall_performance"}, (D("248.84"), 78), (D("74868.34"), 28), per_unit=True),
    # p21 公开表7 2026年预算数 "合计 10.00"; p9 "本 年 支 出 合 计 315,441.72"
    "yantai-education-2026": _d("wide/yantai-education-2026.pdf", "烟台市教育局", 2026, "预算", "部门预算",
                                {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                 "general_basic", "sangong", "gov_fund", "project", "procurement"},
                                (D("10.00"), 21), (D("315441.72"), 9)),
    # p23 公开表7 2026年预算数 "10.56"; p9 "本 年 支 出 合 计 45,967.29"
    "yantai-housing-2026": _d("wide/yantai-housing-2026.pdf", "烟台市住房和城乡建设局", 2026, "预算", "部门预算",
                              {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                               "general_basic", "sangong", "gov_fund", "project", "procurement", "performance"},
                              (D("10.56"), 23), (D("45967.29"), 9)),
    # (its 绩效 tables are tagged "253_烟台市住房和城乡建设局": the department itself, not a breakdown by unit)
    # p12 预算表7 "7.61 7.61 0.00 …"; p6 预算表1 "支出总计 1682.76"
    "changchun-petition-2026": _d("wide/changchun-petition-2026.pdf", "长春市信访局", 2026, "预算", "部门预算",
                                  {"summary", "income", "expenditure", "fiscal_summary", "general_expenditure",
                                   "general_basic", "sangong", "gov_fund", "project", "state_capital",
                                   "performance"}, (D("7.61"), 12), (D("1682.76"), 6)),
}

SANGONG_ROLES = ("sangong", "sangong_meeting_training")


@pytest.fixture(autouse=True)
def _only_when_asked(request):
    """Minutes of work: run only when selected (`-m slow`) or BUDGETQA_SLOW=1, not in a plain `pytest`."""
    if "slow" not in (request.config.getoption("-m") or "") and not os.environ.get("BUDGETQA_SLOW"):
        pytest.skip("slow: run with -m slow (or BUDGETQA_SLOW=1)")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("wide-store"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def ingested(store):
    done: dict[str, tuple] = {}

    def get(key: str):
        if key not in done:
            doc = DOCS[key]
            paths = [CORPUS / f for f in doc.files]
            t = time.perf_counter()
            res = ingest(store, paths, key if len(paths) > 1 else None)
            done[key] = (res, store.load(res.doc), time.perf_counter() - t)
        return done[key]
    return get


def _missing(files):
    return [f for f in files if not (CORPUS / f).is_file()]


@pytest.mark.parametrize("key", list(DOCS))
def test_document(ingested, key):
    doc = DOCS[key]
    if _missing(doc.files):
        pytest.skip(f"missing {_missing(doc.files)}")
    res, parsed, seconds = ingested(key)
    d = parsed.document
    assert (d.department, d.year, d.kind, d.kind_detail) == (doc.department, doc.year, doc.kind, doc.detail)
    roles = {t.role for t in parsed.tables}
    assert doc.roles <= roles, f"roles not found: {sorted(doc.roles - roles)}"
    titles = {t.id: t for t in parsed.tables}
    if doc.sangong:
        value, page = doc.sangong
        hits = [f for f in parsed.facts if titles[f.table].role in SANGONG_ROLES and f.value == value]
        assert hits, f"三公 {value} not in any 三公 table"
        assert page in {f.page for f in hits}, f"三公 {value} read on pages {sorted({f.page for f in hits})}"
    if doc.spending:
        value, page = doc.spending
        hits = [f for f in parsed.facts if titles[f.table].role == "summary" and f.value == value
                and (f.side == "支出" or "支出" in f.row or "支出" in f.column)]
        assert hits, f"支出 total {value} not in the 收支总表"
        assert page in {f.page for f in hits}
    per_unit = any(t.per_unit for t in parsed.tables)
    if doc.per_unit:
        assert per_unit and d.units, "per-unit tables expected"
    print(f"\n{key}: pages={d.pages} tables={len(parsed.tables)} roles={len(doc.roles & roles)}/{len(doc.roles)} "
          f"facts={len(parsed.facts)} ingest={seconds:.1f}s")
