"""Golden tests for the Guangdong text-export reader on the bundled document.

Tables 表1, 表6, 表7, 表8 and 表11 are written out by hand from the document (values, columns, pages); the
other tables are checked by cell count against an independent count of the figures in the raw text and by
spot checks. Page numbers follow the export: a new page at a line starting with a space, and after "- N -".
"""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal as D

import pytest

from index.ingest import bundled_path
from index.textexport import read_text_export, split_pages


@pytest.fixture(scope="module")
def doc():
    return read_text_export(bundled_path(), "huizhou-data-bureau-2024")


def cells(doc, table):
    return [(f.side, f.row, f.column, f.value, f.page) for f in doc.facts if f.table == table]


# (side, row as printed, column, value, page)
TABLE1 = [
    ("收入", "一、预算拨款", "预算", D("7600.53"), 4), ("收入", "二、财政专户拨款", "预算", D("0.00"), 4),
    ("收入", "三、其他资金", "预算", D("0.00"), 4), ("收入", "本年收入合计", "预算", D("7600.53"), 5),
    ("收入", "四、上级补助收入", "预算", D("0.00"), 5), ("收入", "五、附属单位上缴收入", "预算", D("0.00"), 5),
    ("收入", "六、用事业基金弥补收支差额", "预算", D("0.00"), 5), ("收入", "收入总计", "预算", D("7600.53"), 5),
] + [("支出", lab, "预算", D(v), p) for lab, v, p in [
    ("一、一般公共服务支出", "6936.96", 4), ("二、外交支出", "0.00", 4), ("三、国防支出", "0.00", 4),
    ("四、公共安全支出", "0.00", 4), ("五、教育支出", "0.00", 4), ("六、科学技术支出", "0.00", 4),
    ("七、文化旅游体育与传媒支出", "0.00", 4), ("八、社会保障和就业支出", "357.59", 4), ("九、卫生健康支出", "100.74", 4),
    ("十、节能环保支出", "0.00", 4), ("十一、城乡社区支出", "0.00", 4), ("十二、农林水支出", "0.00", 4),
    ("十三、交通运输支出", "0.00", 4), ("十四、资源勘探工业信息等支出", "0.00", 4), ("十五、商业服务业等支出", "0.00", 4),
    ("十六、金融支出", "0.00", 4), ("十七、援助其他地区支出", "0.00", 4), ("十八、自然资源海洋气象等支出", "0.00", 4),
    ("十九、住房保障支出", "205.24", 4), ("二十、粮油物资储备支出", "0.00", 4), ("二十一、国有资本经营预算支出", "0.00", 4),
    ("二十二、灾害防治及应急管理支出", "0.00", 4), ("二十三、其他支出", "0.00", 5), ("本年支出合计", "7600.53", 5),
    ("二十四、对附属单位补助支出", "0.00", 5), ("二十五、上缴上级支出", "0.00", 5), ("二十六、结转下年", "0.00", 5),
    ("支出总计", "7600.53", 5)]]

# (code, row, value, page) in column 预算
TABLE6 = [(None, "合计", "2592.47", 13), ("301", "工资福利支出", "2337.13", 13), ("30101", "基本工资", "312.57", 13),
          ("30102", "津贴补贴", "612.37", 13), ("30103", "奖金", "234.46", 13), ("30107", "绩效工资", "512.36", 13),
          ("30108", "机关事业单位基本养老保险缴费", "194.25", 13), ("30109", "职业年金缴费", "97.13", 13),
          ("30110", "职工基本医疗保险缴费", "68.72", 13), ("30111", "公务员医疗补助缴费", "30.80", 13),
          ("30112", "其他社会保障缴费", "1.23", 13), ("30113", "住房公积金", "205.24", 13),
          ("30199", "其他工资福利支出", "68.00", 13), ("302", "商品和服务支出", "160.99", 13),
          ("30201", "办公费", "21.10", 13), ("30202", "印刷费", "1.10", 13), ("30203", "咨询费", "3.10", 13),
          ("30204", "手续费", "0.10", 13), ("30207", "邮电费", "1.30", 13), ("30209", "物业管理费", "5.00", 13),
          ("30211", "差旅费", "8.00", 13), ("30213", "维修（护）费", "2.26", 13), ("30214", "租赁费", "0.20", 13),
          ("30215", "会议费", "3.00", 13), ("30216", "培训费", "5.00", 13), ("30217", "公务接待费", "5.60", 14),
          ("30226", "劳务费", "0.30", 14), ("30227", "委托业务费", "8.50", 14), ("30228", "工会经费", "31.04", 14),
          ("30229", "福利费", "36.47", 14), ("30231", "公务用车运行维护费", "3.22", 14),
          ("30239", "其他交通费用", "1.30", 14), ("30240", "税金及附加费用", "1.10", 14),
          ("30299", "其他商品和服务支出", "23.30", 14), ("303", "对个人和家庭的补助", "94.35", 14),
          ("30302", "退休费", "66.21", 14), ("30399", "其他对个人和家庭的补助", "28.14", 14)]

TABLE7 = [(None, "合计", "5008.06", 15), ("301", "工资福利支出", "330.97", 15),
          ("30199", "其他工资福利支出", "330.97", 15), ("302", "商品和服务支出", "4661.78", 15),
          ("30201", "办公费", "26.53", 15), ("30202", "印刷费", "9.00", 15), ("30206", "电费", "10.00", 15),
          ("30207", "邮电费", "20.50", 15), ("30209", "物业管理费", "4.08", 15), ("30211", "差旅费", "9.90", 15),
          ("30213", "维修（护）费", "181.00", 15), ("30214", "租赁费", "1473.15", 15), ("30226", "劳务费", "4.60", 15),
          ("30227", "委托业务费", "2897.01", 15), ("30299", "其他商品和服务支出", "26.00", 15),
          ("303", "对个人和家庭的补助", "0.29", 15), ("30305", "生活补助", "0.29", 15),
          ("310", "资本性支出", "15.02", 15), ("31007", "信息网络及软件购置更新", "15.02", 15)]

T8_COLS = ("合计", "一般公共预算", "政府性基金预算", "国有资本经营预算")
TABLE8 = [("行政经费", ("1272.04", "1272.04", "0.00", "0.00")), ("“三公”经费", ("8.82", "8.82", "0.00", "0.00")),
          ("其中：（一）因公出国（境）支出", ("0.00",) * 4),
          ("（二）公务用车购置及运行维护支出", ("3.22", "3.22", "0.00", "0.00")),
          ("1.公务用车购置费", ("0.00",) * 4), ("2.公务用车运行维护费", ("3.22", "3.22", "0.00", "0.00")),
          ("（三）公务接待费支出", ("5.60", "5.60", "0.00", "0.00"))]

T11_COLS = ("总计", "财政拨款·合计", "财政拨款·一般公共预算", "财政拨款·政府性基金预算", "财政拨款·国有资本经营预算",
            "财政专户拨款", "其他资金")
TABLE11 = [("合计", "2592.47"), ("惠州市政务服务数据管理局", "1337.90"), ("人员经费", "1266.60"), ("公用经费", "71.30"),
           ("惠州市政务数据事务中心", "832.74"), ("人员经费", "774.55"), ("公用经费", "58.19"),
           ("惠州市政务服务中心", "421.83"), ("人员经费", "388.23"), ("公用经费", "33.60")]


def test_table1_two_sided(doc):
    assert sorted(cells(doc, "表1")) == sorted(TABLE1)


@pytest.mark.parametrize("table,expected", [("表6", TABLE6), ("表7", TABLE7)])
def test_economic_tables(doc, table, expected):
    got = [(f.code, f.row, str(f.value), f.page) for f in doc.facts if f.table == table]
    assert got == [(c, r, v, p) for c, r, v, p in expected]
    assert {f.column for f in doc.facts if f.table == table} == {"预算"}


def test_table8_three_public(doc):
    got = [(f.row, f.column, str(f.value), f.page) for f in doc.facts if f.table == "表8"]
    want = [(row, col, v, 16) for row, vals in TABLE8 for col, v in zip(T8_COLS, vals)]
    assert got == want
    paths = {f.row: f.path for f in doc.facts if f.table == "表8"}
    assert paths["（三）公务接待费支出"] == ("“三公”经费",)
    assert paths["2.公务用车运行维护费"] == ("“三公”经费", "（二）公务用车购置及运行维护支出")


def test_table11_units_and_columns(doc):
    t = doc.table("表11")
    assert t.columns == T11_COLS and t.unit == "万元" and t.pages == (19,)
    got = [(f.row, str(f.value)) for f in doc.facts if f.table == "表11" and f.column == "总计"]
    assert got == TABLE11
    zeros = [f for f in doc.facts if f.table == "表11" and f.column in T11_COLS[3:]]
    assert zeros and all(f.value == 0 for f in zeros)


def test_every_numeric_cell_is_read(doc):
    """An independent count of the amounts printed between 表N and its 注 equals the facts per table."""
    counts: Counter = Counter()
    cur = None
    for line in bundled_path().read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if m := re.match(r"^表(\d+)$", s):
            cur = f"表{m.group(1)}"
        elif s.startswith("注") and cur:
            cur = None
        elif cur:
            counts[cur] += len(re.findall(r"(?<![\d.])-?\d{1,3}(?:,\d{3})*\.\d{2}(?!\d)", s))
    assert Counter(f.table for f in doc.facts) == counts
    assert len(doc.facts) == 929 and len(doc.tables) == 12


def test_wrapped_labels_codes_and_hierarchy(doc):
    f = next(f for f in doc.facts if f.table == "表3" and f.code == "2010399" and f.column == "项目支出")
    assert f.row == "其他政府办公厅（室）及相关机构事务支出" and f.value == D("4931.05")
    assert f.path == ("一般公共服务支出", "政府办公厅（室）及相关机构事务") and f.parent_code == "20103"
    g = next(f for f in doc.facts if f.table == "表5" and f.code == "2010399" and f.column == "小计")
    assert g.value == D("4931.05") and g.page == 12
    # a table continued on the next page with its header repeated
    h = next(f for f in doc.facts if f.table == "表3" and f.code == "2210201" and f.column == "合计")
    assert h.page == 9 and h.value == D("205.24")
    assert doc.table("表3").columns == ("合计", "基本支出", "项目支出", "事业单位经营支出", "对附属单位补助支出",
                                        "上缴上级支出", "结转下年")
    assert doc.table("表2").columns[1] == "财政拨款收入·一般公共预算"


def test_project_table_and_goals(doc):
    rows = {f.row: f.value for f in doc.facts if f.table == "表12" and f.column == "总计"}
    assert rows["市直机关部门信息化建设经费"] == D("159.60")
    assert rows["惠州市电子政务云资源租用服务项目"] == D("1200.27")
    assert rows["惠州市政务信息资源共享与交换平台市区（县）一体化升级扩展及效能监察项目"] == D("2.55")
    goals = {s.heading[1]: s.text for s in doc.sections if s.id.startswith("t")}
    assert goals["市直机关部门信息化建设经费"] == "项目涉密，不予公开。"
    assert goals["基层党组织活动经费"] == "保障基层党组织活动正常需求，顺利开展。"


def test_pages_and_metadata(doc):
    d = doc.document
    assert (d.department, d.year, d.kind, d.unit, d.pages) == ("惠州市政务服务数据管理局", 2024, "预算", "万元", 30)
    pages = split_pages(bundled_path().read_text(encoding="utf-8"))
    assert "- 28 -" not in "\n".join(pages[27][1]) and any("注：“无”。" in l for l in pages[27][1])
    assert doc.table("表12").pages == (20, 21, 22, 23, 24, 25)


def test_narrative_sections_and_changes(doc):
    heads = [s.heading[-1] for s in doc.sections if not s.id.startswith("t")]
    assert "二、“三公”经费安排情况" in heads and "六、基本支出" in heads
    ch = {c.subject: c for c in doc.changes}
    assert ch["公务接待费"].value == D("5.6") and ch["公务接待费"].delta == D("1")
    assert ch["公务接待费"].percent == D("21.74") and ch["公务接待费"].previous == D("4.6")
    assert "疫情结束后" in ch["公务接待费"].reason and ch["公务接待费"].page == 26
    assert ch["公务用车购置及运行维护费"].delta == D("-0.28") and ch["公务用车购置及运行维护费"].percent == D("-8")
    assert ch["因公出国（境）费"].percent is None          # "增长--（基数为0，不可比）"
    assert ch["“三公”经费"].delta == D("0.72")
    assert ch["机关运行经费"].value == D("1272.04")


def test_not_a_budget(tmp_path):
    from index.errors import InputError
    p = tmp_path / "novel.txt"
    p.write_text("从前有座山，山里有座庙。\n庙里有个老和尚。\n", encoding="utf-8")
    with pytest.raises(InputError, match="不像一份部门预算"):
        read_text_export(p, "novel")


def test_table_number_and_title_on_one_line(tmp_path):
    """Another export may print "表6 一般公共预算基本支出情况表（按经济分类科目）" on one line."""
    text = bundled_path().read_text(encoding="utf-8")
    text = re.sub(r"\n表(\d+)\n\n([^\n]+)\n", lambda m: f"\n表{m.group(1)} {m.group(2)}\n", text)
    assert "表6 一般公共预算基本支出情况表" in text
    p = tmp_path / "one-line-titles.txt"
    p.write_text(text, encoding="utf-8")
    doc = read_text_export(p, "x")
    assert [t.title for t in doc.tables] == [t.title for t in read_text_export(bundled_path(), "y").tables]
    assert len(doc.facts) == 929


def test_form_feeds_split_pages():
    pages = split_pages("第一页\n内容\f第二页\n\f\f第三页")
    assert [p for p, _ in pages] == [1, 2, 3] and pages[1][1][0] == "第二页"


def test_windows_line_endings(tmp_path):
    p = tmp_path / "crlf.txt"
    p.write_bytes(bundled_path().read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert len(read_text_export(p, "crlf").facts) == 929


def test_tables_and_docs_commands(tmp_path, capsys):
    """`budgetqa tables --json` lists every table with its role; `docs --json` gains the header fields."""
    import json

    from assistant.cli import main
    assert main(["tables", "--json", "--store", str(tmp_path)]) == 0
    tables = json.loads(capsys.readouterr().out)
    assert [(t["id"], t["role"]) for t in tables][:8] == [
        ("表1", "summary"), ("表2", "income"), ("表3", "expenditure"), ("表4", "fiscal_summary"),
        ("表5", "general_expenditure"), ("表6", "general_basic"), ("表7", "economic"), ("表8", "sangong")]
    t8 = tables[7]
    assert (t8["printed"], t8["unit"], t8["pages"], t8["title"]) == (
        "表8", "万元", [16], "表8 财政拨款安排的行政经费及“三公”经费预算表")
    assert main(["docs", "--json", "--store", str(tmp_path)]) == 0
    d = json.loads(capsys.readouterr().out)[0]
    assert (d["department"], d["year"], d["kind"], d["kind_detail"]) == ("惠州市政务服务数据管理局", 2024, "预算", "部门预算")
    assert "sangong" in d["roles"] and d["tables"] == 12
    assert d["units"][:1] == ["惠州市政务服务数据管理局"]
