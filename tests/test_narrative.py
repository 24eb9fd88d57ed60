"""Narrative statements (index.narrative.extract_changes, index.statements): sentences copied from the real
documents of ../shared/corpus/wide/ (file and page in a comment; text as pdfplumber reads it, page breaks
joined), so no PDF is opened here."""
from __future__ import annotations

from decimal import Decimal as D

from index.models import Section
from index.narrative import extract_changes
from index.statements import extract_counts, extract_statements, extract_stocks


def _sec(text: str, page: int = 1) -> Section:
    return Section("s001", ("说明",), text, (page,))


def _one(text: str):
    ch = extract_changes(_sec(text))
    assert len(ch) == 1, ch
    return ch[0]


# ------------------------------------------------------------------------------------------ changes

def test_change_against_a_printed_base():
    # beijing-audit-2026-narrative.pdf p6
    c = _one("2026年度收入预算32852.05万元，比2025年年初预算数30385.62万元增加2466.43万元，增长8.12%。"
             "主要原因是新招录人员等原因导致基本经费增加。")
    assert (c.value, c.delta, c.percent, c.base) == (D("32852.05"), D("2466.43"), D("8.12"), D("30385.62"))
    assert c.previous == D("30385.62") and "新招录人员" in c.reason and "收入预算" in c.subject


def test_change_against_last_years_budget_named_by_year():
    # yantai-housing-2026.pdf p35
    c = _one("2026年本部门机关运行经费安排201.87万元，较2025年预算198.27万元增加3.6万元，主要原因为我单位新入职人员增加。")
    assert (c.subject, c.value, c.delta, c.base) == ("机关运行经费", D("201.87"), D("3.6"), D("198.27"))
    assert c.percent is None


def test_a_comparison_with_he_and_a_fall_written_jiandi():
    # changchun-petition-2026.pdf p18: "和2025年相比", "减低"
    c = _one("2026年公务接待费为0.86万元，和2025年相比预算减低0.27万元，主要原因是过紧日子。")
    assert (c.value, c.delta) == (D("0.86"), D("-0.27")) and "公务接待费" in c.subject and "过紧日子" in c.reason


def test_an_aside_between_the_comparison_and_the_change():
    # yantai-housing-2026.pdf p35 (the document left its editor's note in)
    c = _one("2026年本部门委托业务费财政拨款预算为2,196.52万元，比上年预算（注：上年3,468.18万元，公开时请删除注释）"
             "减少1271.66万元，下降36.67%。")
    assert (c.value, c.delta, c.percent) == (D("2196.52"), D("-1271.66"), D("-36.67"))
    assert c.previous == D("3468.18")


def test_no_such_money_and_unchanged():
    # huzhou-finance-2026.pdf p10
    c = _one("2026年没有使用政府性基金预算拨款安排的支出，与上年持平。")
    assert (c.subject, c.value, c.delta, c.percent) == ("政府性基金预算拨款安排的支出", D(0), D(0), D(0))


def test_a_sentence_with_its_own_subject_does_not_borrow_the_amount_before():
    # changchun-petition-2026.pdf p17: the 50.32 is the whole budget's change (1682.76 − 1632.44), not 项目支出's
    ch = extract_changes(_sec("项目支出预算474.56万元，占部门预算总支出的28.20%。2026年预算比2025年预算增加50.32万元，"
                              "增长3.08%。主要是人员经费的正常增长。"))
    assert len(ch) == 1
    c = ch[0]
    assert (c.subject, c.value, c.delta, c.percent) == ("2026年预算", None, D("50.32"), D("3.08"))
    assert c.previous is None and "人员经费" in c.reason


def test_a_sentence_that_starts_with_the_comparison_takes_the_amount_before():
    # jiangsu-procuratorate-2019.pdf p26 (the original corpus)
    c = _one("项目支出预算数为4335.3万元。与上年相比减少了1237.7万元，减少13.22%。主要原因是压减一般性支出。")
    assert (c.value, c.delta, c.percent) == (D("4335.3"), D("-1237.7"), D("-13.22"))


def test_final_accounts_change_of_zero():
    # foshan-rail-2019-final.pdf p25
    c = _one("其中：一般公共预算财政拨款收入1668.14万元，比上年决算数相比变化0万元，增长0%；主要是因为我局为2019年新成立单位，"
             "无2018年决算数；")
    assert (c.value, c.delta, c.percent) == (D("1668.14"), D(0), D(0))


# ------------------------------------------------------------------------------------------ counts, stocks

def test_vehicle_counts_with_their_date_and_the_planned_purchase_without():
    # chongqing-water-2026.pdf p7–8
    text = ("（四）国有资产占有使用情况。截至2025年12月，所属各预算单位共有车辆43辆，其中业务用车4辆，机要通信用车6辆，"
            "应急保障用车21辆，特种专业技术用车9辆，其他按照规定配备的公务用车3辆。2026年一般公共预算安排购置车辆0辆。")
    got = [(c.subject, c.value, c.unit, c.as_of) for c in extract_counts(_sec(text, 8))]
    assert got[0] == ("所属各预算单位共有车辆", D(43), "辆", "2025年12月")
    assert ("应急保障用车", D(21), "辆", "2025年12月") in got
    assert got[-1] == ("2026年一般公共预算安排购置车辆", D(0), "辆", "")
    assert sum(v for s, v, u, d in got[1:-1]) == 43


def test_unit_counts_number_before_the_noun():
    # fuzhou-medical-insurance-2026.pdf p5; chongqing-water-2026.pdf p4
    got = [(c.subject, c.value, c.unit) for c in extract_counts(_sec(
        "从预算单位构成看，福州市医疗保障局包括6个机关行政处（科、股）室及3个下属单位，其中：列入2026年部门预算编制范围的单位详细情况见下表:"))]
    assert ("下属单位", D(3), "个") in got
    got = [(c.subject, c.value) for c in extract_counts(_sec("下属12个二级预算单位，分别是重庆市农村水利水电中心、重庆水利电力职业技术学院。"))]
    assert got == [("二级预算单位", D(12))]


def test_staff_counts():
    # xian-health-2022-final.pdf p7
    got = {c.subject: (c.value, c.unit, c.as_of) for c in extract_counts(_sec(
        "截至2022年底，本部门人员编制10964人，其中行政编制115人、事业编制10849人；实有人员10887人，其中行政121人、事业10766人。"
        "单位管理的离退休人员109人。"))}
    assert got["本部门人员编制"] == (D(10964), "人", "2022年底")
    assert got["行政编制"] == (D(115), "人", "2022年底") and got["单位管理的离退休人员"][0] == D(109)


def test_stocks_of_fixed_assets_as_of_a_date():
    # changchun-petition-2026.pdf p19
    text = ("截止2025年12月31日，固定资产账上共有机动车3辆。本单位固定资产总量为4295.98万元，房屋和构筑物3773.63万元，"
            "占固定资产总额的87.84%；设备335.24万元，占固定资产总额的7.90%；")
    stocks = extract_stocks(_sec(text, 19))
    assert [(s.subject, s.value, s.unit, s.as_of) for s in stocks][:2] == [
        ("本单位固定资产总量", D("4295.98"), "万元", "2025年12月31日"),
        ("房屋和构筑物", D("3773.63"), "万元", "2025年12月31日")]
    counts, stocks2 = extract_statements([_sec(text, 19)], [(19, text)])
    assert [(c.subject, c.value, c.as_of) for c in counts] == [("固定资产账上共有机动车", D(3), "2025年12月31日")]
    assert all(s.page == 19 and s.quote in text for s in stocks2)


def test_thresholds_and_changes_are_no_stocks_or_counts():
    # changsha-vocational-office-2026.pdf p8–9
    text = ("截至2025年12月底，本单位共有公务用车0辆，其中，机要通信用车0辆；单位价值50万元以上设备0台，其中，单位价值100万元以上设备0台。"
            "2026年拟新增配置公务用车0辆。")
    assert extract_stocks(_sec(text)) == []
    got = [(c.subject, c.as_of) for c in extract_counts(_sec(text))]
    assert ("本单位共有公务用车", "2025年12月底") in got and ("单位价值50万元以上设备", "2025年12月底") in got
    assert ("2026年拟新增配置公务用车", "") in got
