"""Golden tests of the PDF reader on the real corpus, and its refusals of bad input.

Every expected figure below was read by hand from the PDFs' text (pdfplumber `extract_text` / word
positions), not from the reader's output. Corpus files live in ../shared/corpus; tests skip without them.
"""
from __future__ import annotations

import hashlib
import time
from decimal import Decimal as D
from pathlib import Path

import pytest

from index.errors import InputError
from index.models import normalize_ws
from index.pdf import MAX_PAGES, read_pdf
from tests._pdfbuild import NO_RESOURCES, pdf

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

DOCS = {
    "jiangsu-procuratorate-2019": ["jiangsu-procuratorate-2019.pdf"],
    "jiangsu-procuratorate-2018": ["jiangsu-procuratorate-2018.pdf"],
    "jiangsu-high-court-2019": ["jiangsu-high-court-2019.pdf"],
    "jiangsu-cppcc-2018": ["jiangsu-cppcc-2018-narrative.pdf", "jiangsu-cppcc-2018-tables.pdf"],
    "shanghai-putuo-wanli-2024": ["shanghai-putuo-wanli-2024.pdf"],
    "shanghai-putuo-wanli-2025": ["shanghai-putuo-wanli-2025.pdf"],
    "shanghai-putuo-commerce-2025": ["shanghai-putuo-commerce-2025.pdf"],
}
JIANGSU = [k for k in DOCS if k.startswith("jiangsu")]
SHANGHAI = [k for k in DOCS if k.startswith("shanghai")]

# 三公 tables: (table id, page, every numeric cell as column -> value). An empty cell has no fact.
_JS = "“三公”经费·"
_CAR = _JS + "公务用车购置及运行维护费·"


def _jiangsu_sangong(total, sub, abroad, cars, car_run, reception, meeting, training):
    return {"合计": total, _JS + "小计": sub, _JS + "因公出国（境）费": abroad, _CAR + "小计": cars,
            _CAR + "公务用车运行维护费": car_run, _JS + "公务接待费": reception, "会议费": meeting, "培训费": training}


def _shanghai_sangong(prefix, total, abroad, reception, cars, buy, run, running_cost, running_name):
    car = prefix + "公务用车购置及运行费·"
    cells = {prefix + "合计": total, prefix + "因公出国(境)费": abroad, prefix + "公务接待费": reception,
             car + "小计": cars, car + "购置费": buy, car + "运行费": run, running_name: running_cost}
    return {k: v for k, v in cells.items() if v is not None}


SANGONG = {
    # p20: "1276.7 418.26 80 237 237 101.26 158.44 700" (公务用车购置费 empty)
    "jiangsu-procuratorate-2019": ("公开09表", 20, _jiangsu_sangong(
        D("1276.7"), D("418.26"), D("80"), D("237"), D("237"), D("101.26"), D("158.44"), D("700"))),
    # p19: "1,384.74 484.30 100.00 267.80 267.80 116.50 200.44 700.00"
    "jiangsu-procuratorate-2018": ("公开09表", 19, _jiangsu_sangong(
        D("1384.74"), D("484.30"), D("100.00"), D("267.80"), D("267.80"), D("116.50"), D("200.44"), D("700.00"))),
    # p14: "2,382.02 513.75 160.00 266.80 266.80 86.95 271.02 1,597.25"
    "jiangsu-high-court-2019": ("公开09表", 14, _jiangsu_sangong(
        D("2382.02"), D("513.75"), D("160.00"), D("266.80"), D("266.80"), D("86.95"), D("271.02"), D("1597.25"))),
    # tables file p9 = document p26: "1,656.86 675.10 106.00 156.60 156.60 412.50 884.16 97.60"
    "jiangsu-cppcc-2018": ("公开09表", 26, _jiangsu_sangong(
        D("1656.86"), D("675.10"), D("106.00"), D("156.60"), D("156.60"), D("412.50"), D("884.16"), D("97.60"))),
    # p31: "47.91 0 1.35 46.56 25 21.56 443.18", under a footnote saying the table is empty
    "shanghai-putuo-wanli-2024": ("表9", 31, _shanghai_sangong(
        "2024年“三公”经费预算数·", D("47.91"), D("0"), D("1.35"), D("46.56"), D("25"), D("21.56"),
        D("443.18"), "2024年机关运行经费预算数")),
    # p29: "37.91 0 1.35 36.56 15 21.56 464.64"
    "shanghai-putuo-wanli-2025": ("表9", 29, _shanghai_sangong(
        "“三公”经费预算数·", D("37.91"), D("0"), D("1.35"), D("36.56"), D("15"), D("21.56"),
        D("464.64"), "机关运行经费预算数")),
    # p21: "1.00 1.00 171.01" at x=135 (合计), x=338 (公务接待费), x=738 (机关运行经费预算数)
    "shanghai-putuo-commerce-2025": ("表9", 21, _shanghai_sangong(
        "“三公”经费预算数·", D("1.00"), None, D("1.00"), None, None, None, D("171.01"), "机关运行经费预算数")),
}

# Total rows of the first three tables: (table, row, side, column, value, page)
TOTALS = {
    "jiangsu-procuratorate-2019": [
        ("公开01表", "收入合计", "收入", "金额", D("24169.74"), 14),
        ("公开01表", "支出合计", "支出", "支出用途·金额", D("24169.74"), 14),
        ("公开02表", "收入总计", "", "金额", D("24169.74"), 15),
        ("公开03表", None, "", "合计", D("24169.74"), 15),
        ("公开03表", None, "", "单位预留机动经费", D("3990.4"), 15),
    ],
    "jiangsu-procuratorate-2018": [
        ("公开01表", "收入合计", "收入", "金额", D("21955.35"), 14),     # the table runs over p13-14
        ("公开01表", "支出合计", "支出", "支出用途·金额", D("21955.35"), 14),
        ("公开02表", "收入总计", "", "金额", D("21955.35"), 14),
        ("公开03表", None, "", "合计", D("21955.35"), 15),
        ("公开03表", None, "", "基本支出", D("13994.31"), 15),
    ],
    "jiangsu-high-court-2019": [
        ("公开01表", "收入合计", "收入", "金额", D("37188.34"), 8),
        ("公开01表", "支出合计", "支出", "支出用途·金额", D("37188.34"), 8),
        ("公开02表", "收入总计", "", "金额", D("37188.34"), 9),
        ("公开03表", None, "", "合计", D("37188.34"), 9),
        ("公开03表", None, "", "项目支出", D("10208.94"), 9),
    ],
    "jiangsu-cppcc-2018": [
        ("公开01表", "收入合计", "收入", "金额", D("10150.48"), 18),
        ("公开01表", "支出合计", "支出", "支出用途·金额", D("10150.48"), 18),
        ("公开02表", "收入总计", "", "金额", D("10150.48"), 19),
        ("公开03表", None, "", "合计", D("10150.48"), 20),
        ("公开03表", None, "", "单位预留机动经费", D("1157.63"), 20),
    ],
    "shanghai-putuo-wanli-2024": [
        ("表1", "收入总计", "收入", "预算数", D("156211123"), 10),
        ("表1", "支出总计", "支出", "预算数", D("156211123"), 10),
        ("表2", "合计", "", "收入预算·合计", D("156211123"), 15),       # alone on p15
        ("表2", "合计", "", "收入预算·事业收入", D("0"), 15),
        ("表3", "合计", "", "支出预算·基本支出", D("99706020"), 20),     # alone on p20
        ("表3", "合计", "", "支出预算·项目支出", D("56505103"), 20),
    ],
    "shanghai-putuo-wanli-2025": [
        ("表1", "收入总计", "收入", "预算数", D("189767551"), 9),
        ("表1", "支出总计", "支出", "预算数", D("189767551"), 9),
        ("表2", "合计", "", "收入预算·合计", D("189767551"), 13),
        ("表3", "合计", "", "支出预算·合计", D("189767551"), 18),
        ("表3", "合计", "", "支出预算·基本支出", D("101341746"), 18),
        ("表3", "合计", "", "支出预算·项目支出", D("88425805"), 18),
    ],
    "shanghai-putuo-commerce-2025": [
        ("表1", "收入总计", "收入", "预算数", D("371514655.00"), 9),
        ("表1", "支出总计", "支出", "预算数", D("371514655.00"), 9),
        ("表2", "合计", "", "收入预算·财政拨款收入", D("371514655.00"), 11),
        ("表3", "合计", "", "支出预算·基本支出", D("19830655.00"), 13),
        ("表3", "合计", "", "支出预算·项目支出", D("351684000.00"), 13),
    ],
}


@pytest.fixture(scope="module")
def parsed():
    cache: dict = {}

    def get(key: str):
        files = [CORPUS / name for name in DOCS[key]]
        if not all(f.is_file() for f in files):
            pytest.skip(f"corpus file missing: {files}")
        if key not in cache:
            cache[key] = read_pdf(files, key)
        return cache[key]
    return get


def _facts(doc, table):
    return [f for f in doc.facts if f.table == table]


@pytest.mark.parametrize("key", list(DOCS))
def test_sangong_table_every_cell(parsed, key):
    doc = parsed(key)
    table_id, page, expected = SANGONG[key]
    table = doc.table(table_id)
    assert table is not None and "三公" in table.title
    assert table.unit == "万元" and table.pages == (page,)
    got = {f.column: f.value for f in _facts(doc, table_id)}
    assert got == expected
    assert {f.page for f in _facts(doc, table_id)} == {page}
    assert all("\n" not in c for c in table.columns)


@pytest.mark.parametrize("key", list(DOCS))
def test_first_three_tables_totals(parsed, key):
    doc = parsed(key)
    for table, row, side, column, value, page in TOTALS[key]:
        hits = [f for f in _facts(doc, table) if f.column == column and f.side == side
                and (row is None or f.row == row)]
        assert len(hits) == 1, (table, row, column, hits)
        fact = hits[0]
        assert (fact.value, fact.page) == (value, page), fact
        assert fact.is_total == (row is not None)


@pytest.mark.parametrize("key", list(DOCS))
def test_table_count_ids_and_units(parsed, key):
    doc = parsed(key)
    if key in JIANGSU:
        assert [t.id for t in doc.tables] == [f"公开{i:02d}表" for i in range(1, 13)]
        assert {t.unit for t in doc.tables} == {"万元"} and doc.document.unit == "万元"
        assert doc.tables[0].title == "公开01表 收支预算总表"
    else:
        assert [t.id for t in doc.tables] == [f"表{i}" for i in range(1, 10)]
        assert [t.unit for t in doc.tables] == ["元"] * 8 + ["万元"]
        assert doc.document.unit == "元"
        assert doc.tables[0].title.endswith("年部门财务收支预算总表")


@pytest.mark.parametrize("key", list(DOCS))
def test_document_header(parsed, key):
    doc = parsed(key)
    files = [CORPUS / name for name in DOCS[key]]
    assert doc.document.source_files == tuple(DOCS[key])
    assert doc.document.hashes == tuple(hashlib.sha256(f.read_bytes()).hexdigest() for f in files)
    assert doc.document.pages == len(doc.page_texts) > 20
    assert doc.document.year == int(key[-4:])
    assert doc.document.kind == "预算"


def test_wanli_2024_sangong_reads_figures_despite_empty_table_note(parsed):
    doc = parsed("shanghai-putuo-wanli-2024")
    table = doc.table("表9")
    assert "本表为空表" in table.note
    assert len(_facts(doc, "表9")) == 7
    assert {f.value for f in _facts(doc, "表9") if f.column.endswith("合计")} == {D("47.91")}


def test_cppcc_pair_is_one_document_numbered_on(parsed):
    doc = parsed("jiangsu-cppcc-2018")
    assert doc.document.pages == 17 + 12
    assert doc.document.department == "江苏省政协办公厅"
    assert [t.pages for t in doc.tables[:3]] == [(18,), (19,), (20,)]
    assert "公开01表" in doc.page_texts[17] and "公开01表" not in doc.page_texts[16]


def test_split_economic_codes_are_joined(parsed):
    """Shanghai writes 类/款 in their own columns, and "301 2" for 30102 (leading zero lost)."""
    doc = parsed("shanghai-putuo-wanli-2024")
    by_code = {f.code: f for f in _facts(doc, "表8") if f.column.endswith("合计")}
    assert by_code["30102"].row == "津贴补贴" and by_code["30102"].value == D("16623810")
    assert by_code["30217"].row == "公务接待费" and by_code["30217"].value == D("13500")
    assert by_code["30217"].parent_code == "302" and by_code["30217"].path == ("商品和服务支出",)
    func = {f.code: f for f in _facts(doc, "表3") if f.column == "支出预算·合计"}
    assert func["2120101"].row == "行政运行" and func["2120101"].value == D("16603248")
    assert func["2120101"].path == ("城乡社区支出", "城乡社区管理事务")


def test_jiangsu_code_column_and_hierarchy(parsed):
    doc = parsed("jiangsu-high-court-2019")
    rows = {f.code: f for f in _facts(doc, "公开05表")}
    assert rows["2080505"].row == "机关事业单位基本养老保险缴费支出"     # name wrapped over two lines
    assert rows["2080505"].value == D("1384.70") and rows["2080505"].parent_code == "20805"
    econ = {f.code: f for f in _facts(doc, "公开06表")}
    assert econ["30217"].row == "公务接待费" and econ["30217"].value == D("41.95")


def test_table_running_over_pages_is_stitched(parsed):
    doc = parsed("shanghai-putuo-wanli-2024")
    table = doc.table("表5")                 # header repeated on pages 23-26
    assert table.pages == (22, 23, 24, 25, 26)
    facts = _facts(doc, "表5")
    assert len({f.row_index for f in facts}) == 67
    assert not any(f.row in ("项目", "类", "功能分类科目名称") for f in facts)
    proc = parsed("jiangsu-high-court-2019")
    assert proc.table("公开12表").pages == (16, 17)
    cont = [f for f in _facts(proc, "公开12表") if f.page == 17]
    assert cont[0].row == "会议费" and cont[0].value == D("110.05")   # first row, drawn without a top rule


def test_two_sided_rows(parsed):
    doc = parsed("jiangsu-high-court-2019")
    t1 = _facts(doc, "公开01表")
    assert {f.side for f in t1} == {"收入", "支出"}
    pairs = {(f.side, f.row, f.column): f.value for f in t1}
    assert pairs[("收入", "一、财政拨款", "金额")] == D("37188.34")
    assert pairs[("支出", "四、公共安全支出", "功能分类·金额")] == D("27488.23")
    assert pairs[("支出", "一、基本支出", "支出用途·金额")] == D("21968.00")
    fiscal = _facts(parsed("shanghai-putuo-wanli-2024"), "表4")
    got = {(f.side, f.row, f.column): f.value for f in fiscal}
    assert got[("收入", "一、一般公共预算资金", "预算数")] == D("156211123")
    assert got[("支出", "八、城乡社区支出", "一般公共预算")] == D("119385303")


def test_one_header_row_repeating_its_names_is_groups_side_by_side():
    from index._pdftables import _repeated_names
    # xian-health-2022-final 公开06表: "科目代码 科目名称 决算数" three times, no title over the groups
    names = ["科目代码", "科目名称", "决算数"] * 3
    assert _repeated_names(names) == [("第1栏", [0, 1, 2]), ("第2栏", [3, 4, 5]), ("第3栏", [6, 7, 8])]
    assert _repeated_names(["项目", "预算数", "决算数", "决算数"]) is None             # no repeated group
    assert _repeated_names(["预算数", "决算数", "预算数", "决算数"]) is None            # figures only: periods
    assert _repeated_names(["科目名称", "金额"]) is None


def test_header_cells_broken_over_lines_are_joined(parsed):
    doc = parsed("jiangsu-procuratorate-2018")
    assert "“三公”经费·公务用车购置及运行维护费·公务用车运行维护费" in doc.table("公开09表").columns
    assert doc.table("公开09表").title == "公开09表 一般公共预算“三公”经费、会议费、培训费支出预算表"


def test_page_numbers_kept_out_of_narrative(parsed):
    """procuratorate 2019: "…比上年预算减少" | page number 30 | "30.8 万元…" across the page break."""
    doc = parsed("jiangsu-procuratorate-2019")
    text = normalize_ws("".join(s.text for s in doc.sections))
    if "公务用车运行维护费预算支出237万元" not in text:
        pytest.skip("narrative sections not available")
    assert "减少30.8万元" in text and "减少3030.8" not in text


# ---------------------------------------------------------------- rows from a hand-made grid


def _grid(rows: list[list[str]], page: int = 1):
    """A `Grid` from text: "<" extends the cell on the left, "^" the cell above."""
    from index._pdfgrids import Cell, Grid, clean
    slots: list[list] = [[None] * len(rows[0]) for _ in rows]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == "<":
                cell = slots[r][c - 1]
                cell.c1 = c + 1
            elif text == "^":
                cell = slots[r - 1][c]
                cell.r1 = r + 1
            else:
                cell = Cell(clean(text), r, r + 1, c, c + 1)
            slots[r][c] = cell
    return Grid(page, (0, 0, 700, 500), slots, [(c * 50.0, c * 50.0 + 50) for c in range(len(rows[0]))])


def test_grid_rows_codes_text_cells_and_continuation():
    from index._pdftables import PendingTable
    first = _grid([
        ["科目编码", "<", "<", "科目名称", "金额", "<", "绩效目标"],
        ["类", "款", "项", "^", "合计", "财政拨款", "^"],
        ["合 计", "<", "<", "<", "30.00", "30.00", ""],
        ["201", "", "", "一般公共服务支出", "30.00", "30.00", ""],
        ["", "5", "", "统计信息事务", "30.00", "30.00", ""],
    ])
    table = PendingTable.start(first, "表1", "表1 测试表", "元")
    nxt = _grid([
        ["科目编码", "<", "<", "科目名称", "金额", "<", "绩效目标"],      # header repeated on the next page
        ["类", "款", "项", "^", "合计", "财政拨款", "^"],
        ["", "", "07", "专项普查活动", "30.00", "—", "完成第五次全国经济普查"],
    ], page=2)
    assert table.continue_with(nxt)
    columns, rows = table.raw_rows()
    assert columns == ["金额·合计", "金额·财政拨款"]
    assert [(r.label, r.code, r.page) for r in rows] == [
        ("合计", None, 1), ("一般公共服务支出", "201", 1), ("统计信息事务", "20105", 1), ("专项普查活动", "2010507", 2)]
    assert rows[3].values == [D("30.00"), None]
    assert rows[3].text_cells == {"绩效目标": "完成第五次全国经济普查"}
    assert table.pages == [1, 2]


# ---------------------------------------------------------------- bad input


_RECT = b"0 0 0 RG 2 w 100 100 300 400 re S"
_TEXT = b"BT /F1 12 Tf 72 700 Td (Annual report of a sports club, no budget tables in it.) Tj ET"


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(InputError) as err:
        read_pdf([path], "bad")
    msg = str(err.value)
    assert "\n" not in msg and path.name in msg
    for w in words:
        assert w in msg, msg
    return msg


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    _refused(p, "空文件")


def test_not_a_pdf(tmp_path):
    p = tmp_path / "notes.pdf"
    p.write_text("预算 1,234.00 万元", encoding="utf-8")
    _refused(p, "不是 PDF")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="找不到"):
        read_pdf([tmp_path / "nope.pdf"], "bad")


def test_truncated_pdf(tmp_path):
    src = CORPUS / "jiangsu-high-court-2019.pdf"
    if not src.is_file():
        pytest.skip("corpus missing")
    p = tmp_path / "truncated.pdf"
    p.write_bytes(src.read_bytes()[:3000])
    _refused(p, "损坏或不完整", "重新下载")


def test_encrypted_pdf(tmp_path):
    p = tmp_path / "locked.pdf"
    p.write_bytes(pdf([_RECT], NO_RESOURCES, encrypt=True))
    _refused(p, "加密", "解除密码")


def test_pdf_without_text_layer(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(pdf([_RECT], NO_RESOURCES))
    _refused(p, "扫描件", "OCR")


def test_pdf_without_budget_tables(tmp_path):
    p = tmp_path / "club.pdf"
    p.write_bytes(pdf([_TEXT]))
    _refused(p, "不是部门预算")


@pytest.mark.parametrize("pages", [MAX_PAGES + 1, 500])
def test_too_many_pages_is_refused_quickly(tmp_path, pages):
    p = tmp_path / "huge.pdf"
    p.write_bytes(pdf([_TEXT] * pages))
    start = time.monotonic()
    _refused(p, str(pages), "上限")
    assert time.monotonic() - start < 10


def test_html_saved_as_pdf_is_refused(tmp_path):
    from index.ingest import read_document
    p = tmp_path / "budget.pdf"
    p.write_text("<!DOCTYPE html>\n<html><head><title>2026年部门预算</title></head><body>部门预算</body></html>",
                 encoding="utf-8")
    with pytest.raises(InputError, match="网页（HTML）"):
        read_document([p])
    with pytest.raises(InputError, match="网页（HTML）"):
        read_pdf([p], "budget")


def test_other_kinds_of_document_are_named():
    from index.header import is_budget_text, other_kind
    report = ["某某市人民政府办公室\n2025年政府信息公开工作年度报告\n", "一、总体情况\n本机关主动公开信息…"]
    assert other_kind(report) == "政府信息公开工作年度报告"
    assert other_kind(["某某市人民政府公报\n2025年第3期\n目录\n"]) == "公报"
    budget = ["北京市审计局 2026 年度部门预算信息公开\n目 录\n第一部分 2026 年度部门预算情况说明"]
    assert other_kind(budget) == "" and is_budget_text(budget)


@pytest.mark.parametrize("pages, header", [
    (["2026年\n广州市卫生健康委员会部门预算\n", "目 录\n第一部分 广州市卫生健康委员会概况"],
     ("广州市卫生健康委员会", 2026, "预算", "部门预算", "")),
    (["重庆市商务委员会 年部门预算情况说明\n2026\n一 单位基本情况"], ("重庆市商务委员会", 2026, "预算", "部门预算", "")),
    (["上海市2026年市级单位预算\n预算单位：上海市数据局\n", "目 录"], ("上海市数据局", 2026, "预算", "单位预算", "")),
    (["2026 年深圳市公安局（本级）部门预\n算\n", "目 录"], ("深圳市公安局", 2026, "预算", "部门预算", "本级")),
    (["西安市交通运输局 2022 年部门综合预算\n目 录\n第一部分"], ("西安市交通运输局", 2022, "预算", "部门综合预算", "")),
    (["2019 年佛山市轨道交通局 部门决算\n1\n", "目 录\n第一部分 佛山市轨道交通局概况"],
     ("佛山市轨道交通局", 2019, "决算", "部门决算", "")),
    (["2026 年度\n福州市医疗保障局\n部门预算\n", "目录\n第一部分 部门概况……\n第二部分 2026年度部门预算表"],
     ("福州市医疗保障局", 2026, "预算", "部门预算", "")),
])
def test_cover_headers_of_other_templates(pages, header):
    """Covers as the wide corpus prints them (text copied from pdfplumber's extract_text of page 1–2)."""
    from index.header import read_header
    h = read_header(pages)
    assert (h.department, h.year, h.kind, h.kind_detail, h.qualifier) == header


def test_printed_table_ids_of_every_template():
    from index._pdfcaptions import parse_id, suffix_id
    assert [parse_id(t) for t in ("公开 9 表", "公开表7", "部门公开表7", "预算01表 收支总表", "预算表12 项目", "表 8",
                                  "表01", "表14-1 部门", "表十二", "表一般公共预算")] == [
        "公开09表", "公开表7", "部门公开表7", "预算01表", "预算表12", "表8", "表01", "表14-1", "表十二", None]
    assert suffix_id("收支总表（预算表1）") == ("预算表1", "收支总表")


@pytest.mark.parametrize("title, columns, rows, role", [
    ("预算09表 财政拨款“三公”经费支出表", ("“三公”经费·因公出国（境）费", "公务接待费"), (), "sangong"),
    ("公开09表 一般公共预算“三公”经费、会议费、培训费支出表", (), (), "sangong_meeting_training"),
    # untitled: the columns decide; with 会议费 and 培训费 the 合计 is not the 三公 total
    ("表9", ("合计", "因公出国（境）费", "公务接待费", "会议费", "培训费"), (), "sangong_meeting_training"),
    ("表9", ("合计", "因公出国（境）费", "公务接待费"), (), "sangong"),
    ("", (), ("合计", "1、因公出国（境）费用", "2、公务接待费"), "sangong"),
    ("公开12表 一般公共预算机关运行经费支出预算表", ("机关运行经费支出",), ("公务接待费", "因公出国"), "operating_cost"),
    ("收支总表（预算表1）", (), (), "summary"),
    ("表1 收入支出决算总表", (), (), "summary"),
    ("表4 财政拨款收入支出决算总表", (), (), "fiscal_summary"),
    ("表6 一般公共预算财政拨款基本支出决算表", (), (), "general_basic"),
    ("表12 部门综合预算政府采购（资产配置、购买服务）预算表", (), (), "procurement"),
    ("预算11表 财政拨款政府购买服务明细表", (), (), "purchase_services"),
    ("表十二 2026年市级一般性项目绩效目标表（一级项目）", (), (), "performance"),
    ("2026年部门整体支出绩效目标表", (), (), "overall_performance"),
    ("表8 一般公共预算支出表（按经济分类）", (), (), "economic"),
])
def test_table_roles_by_title_and_content(title, columns, rows, role):
    from index.roles import ROLES, role_of
    assert role_of(title, columns, rows) == role and role in ROLES


def test_entities_and_measures():
    from index.dimensions import measure_of, row_entities
    assert [measure_of(c, 2026) for c in ("本年预算", "2025年预算数", "增减", "增减率(%)", "基本支出·人员经费",
                                           "项目支出", "年初预算数", "调整预算数", "决算数", "财政拨款·一般公共预算")] == [
        "current", "previous", "change", "change_pct", "personnel", "project", "initial_budget",
        "adjusted_budget", "final", "general_public"]
    labels = ["合计", "中国共产党广州市委员会宣传部", "广州市国防教育中心", "一般公共服务支出", "305025 江苏省无锡师范学校附属小学"]
    ents = row_entities(labels, [None, None, None, "201", None], [0, 1, 1, 1, 1], [True, False, False, False, False],
                        [None] * 5)
    assert ents == ["", "中国共产党广州市委员会宣传部", "广州市国防教育中心", "", "江苏省无锡师范学校附属小学"]


def test_a_unit_named_with_its_second_name_in_brackets():
    # hangzhou-police-2026 p21 表2, guangzhou-health-2026: five of the eleven units had no entity
    from index.header import is_department
    for name in ("杭州市公安局监所管理支队（留置看护管理支队）", "杭州市人民警察学校（杭州市警务技术保障中心）",
                 "广州医科大学附属口腔医院(广州医科大学羊城医院)", "深圳市人力资源和社会保障局（本级）"):
        assert is_department(name), name
    for name in ("行政运行（项）", "住房改革支出（款）", "第二部分（附表）", "一般公共服务支出（合计）"):
        assert not is_department(name), name
