"""Across-table checks of the consistency audit (see `index.audit`): totals that must agree between tables
matched by what they are (收支总表, 财政拨款收支总表, 支出总表, 一般公共预算支出表, 基本支出经济分类表, 三公 …),
the same subject code in tables of the same scope, and 三公 items against the economic rows they are booked
under. Compares like with like: this year with this year, the money carried over apart.
"""
from __future__ import annotations


from .audit import Finding
from .models import ParsedDocument
from ._auditrows import (Row, ZERO, fmt, grade, leaf, to_common)
from ._auditfigures import (closest, this_year_total, DEPT_BASIC, DEPT_PROJECT, EXPEND, FISCAL, FISCAL_BASIC, FISCAL_FUNC, Figure,
    GPB_BASIC, GPB_FUNC, GPB_PROJECT, INCOME, OFFICE, OVERALL, SANGONG, SANGONG_NAMES, Tab, _SANGONG_CODES,
    _code_fig, _main_col, _sum_figs, compare, fig_of, find_row, fiscal_gpb_income, fiscal_this_year, grand,
    same_amount, sangong_items, sangong_measures, side_total, tabs_by_kind)

def check_cross_tables(parsed: ParsedDocument, rows: dict[str, list[Row]]) -> list[Finding]:
    K = tabs_by_kind(parsed, rows)
    out: list[Finding | None] = []
    ck = "cross_table_total"

    # income = expenditure in the two-sided tables
    for k in (OVERALL, FISCAL):
        out.append(compare("balance", side_total(K.get(k), "收入"), side_total(K.get(k), "支出"), "收支应平衡"))

    ov_in, ov_out = side_total(K.get(OVERALL), "收入"), side_total(K.get(OVERALL), "支出")
    fi_in, fi_out = side_total(K.get(FISCAL), "收入"), side_total(K.get(FISCAL), "支出")
    income_t, expend_t = grand(K.get(INCOME)), grand(K.get(EXPEND))
    ffunc_t, gfunc_t = grand(K.get(FISCAL_FUNC)), grand(K.get(GPB_FUNC))
    # the income/expenditure table's total is this year's money or all of it, as the template prints it
    out.append(compare(ck, closest([ov_in, this_year_total(K.get(OVERALL), "收入")], income_t), income_t))
    out.append(compare(ck, closest([ov_out, this_year_total(K.get(OVERALL), "支出")], expend_t), expend_t))
    out.append(compare(ck, find_row(K.get(OVERALL), r"^(?:财政拨款|预算拨款)", "收入"), fiscal_this_year(K.get(FISCAL))))
    out.append(compare(ck, fi_in, ffunc_t))
    out.append(compare(ck, fiscal_gpb_income(K.get(FISCAL)), gfunc_t))

    # purpose split (基本/项目/预留) of the overall tables vs the expenditure table's columns
    for pat, col in ((r"^基本支出$", r"基本支出"), (r"^项目支出$", r"项目支出"), (r"预留机动", r"预留机动")):
        ex = grand(K.get(EXPEND), col_re=col)
        out.append(compare(ck, find_row(K.get(OVERALL), pat, "支出"), ex))
    exp_basic, exp_proj = grand(K.get(EXPEND), col_re=r"^基本支出$"), grand(K.get(EXPEND), col_re=r"^项目支出$")
    g_basic_col = grand(K.get(GPB_FUNC), col_re=r"基本支出")
    g_proj_col = grand(K.get(GPB_FUNC), col_re=r"项目支出")
    if same_amount(expend_t, gfunc_t):     # all money is 一般公共预算: the splits must agree too
        out.append(compare(ck, exp_basic, g_basic_col))
        out.append(compare(ck, exp_proj, g_proj_col))
    fb_t, gb_t, gp_t = grand(K.get(FISCAL_BASIC)), grand(K.get(GPB_BASIC)), grand(K.get(GPB_PROJECT))
    if same_amount(expend_t, gfunc_t) or (gfunc_t is None and same_amount(expend_t, fi_out)):
        # no 基本/项目 split in the 一般公共预算 table to go through: compare with the economic tables directly
        if g_basic_col is None:
            out.append(compare(ck, exp_basic, gb_t))
        if g_proj_col is None:
            out.append(compare(ck, exp_proj, gp_t))
    out.append(compare(ck, find_row(K.get(FISCAL), r"^基本支出$", "支出"), fb_t))
    fiscal_is_gpb = same_amount(fi_out or ffunc_t, gfunc_t)
    if fiscal_is_gpb:
        out.append(compare(ck, fb_t, gb_t))
        if fb_t is None:
            out.append(compare(ck, find_row(K.get(FISCAL), r"^基本支出$", "支出"), gb_t))
    out.append(compare(ck, g_basic_col, gb_t))
    out.append(compare(ck, g_proj_col, gp_t))
    # 部门预算基本支出 / 项目支出预算表 (广东 表11 / 表12)
    # (their 一般公共预算 column holds the money carried over too when the 收入总表 shows 上年结转结余; the
    # economic tables hold this year's only: then they are not compared)
    carried = grand(K.get(INCOME), col_re=r"上年结转|结转结余")
    for dk, ecol, econ in ((DEPT_BASIC, exp_basic, gb_t), (DEPT_PROJECT, exp_proj, gp_t)):
        tab = K.get(dk)
        if tab is None:
            continue
        out.append(compare(ck, ecol, grand(tab, col_re=r"^(?:总计|合计)$")))
        if carried is None or carried.value == 0:
            out.append(compare(ck, econ, grand(tab, col_re=r"一般公共预算")))

    out += _functional_codes(K)
    out += _economic_codes(K)
    out += _sangong_vs_economic(K, *sangong_measures(parsed))
    return [f for f in out if f is not None]


_FUNC_KINDS = (INCOME, EXPEND, FISCAL_FUNC, GPB_FUNC)


def _scope_total(tab: Tab) -> Figure | None:
    if any(r.side for r in tab.rows):
        return side_total(tab, "支出")
    return grand(tab)


def _functional_codes(K: dict[str, Tab]) -> list[Finding | None]:
    """The same functional subject (code) carries the same amount in every table of the same scope."""
    out: list[Finding | None] = []
    tabs = [K[k] for k in _FUNC_KINDS if k in K]
    two_sided = [K[k] for k in (OVERALL, FISCAL) if k in K]
    done = set()
    for i, a in enumerate(tabs):
        for b in tabs[i + 1:]:
            if not same_amount(_scope_total(a), _scope_total(b)):
                continue
            brows = {r.code: r for r in b.rows if r.code}
            for ra in a.rows:
                rb = brows.get(ra.code) if ra.code else None
                if rb is None:
                    continue
                pairs = [(_main_col(ra), _main_col(rb))]
                for part in ("基本支出", "项目支出"):
                    ca = next((c for c in ra.cells if leaf(c) == part), None)
                    cb = next((c for c in rb.cells if leaf(c) == part), None)
                    if ca and cb:
                        pairs.append((ca, cb))
                for ca, cb in pairs:
                    key = (ra.code, leaf(ca or ""), frozenset((a.table.id, b.table.id)))
                    if ca is None or cb is None or key in done:
                        continue
                    done.add(key)
                    out.append(compare("cross_table_code", fig_of(ra, ca), fig_of(rb, cb), f"科目{ra.code}"))
    # class rows of the two-sided tables ("一、一般公共服务支出") vs the class codes (201)
    for ts in two_sided:
        seen = set()
        for tab in tabs:
            if not same_amount(_scope_total(ts), _scope_total(tab)):
                continue
            classes = {}
            for r in tab.rows:
                if r.code and len(r.code) == 3:
                    classes.setdefault(r.label, r)
            for r in ts.rows:
                if r.side != "支出" or r.total or r.index in seen:
                    continue
                rb = classes.get(r.bare)
                col = _main_col(r, exclude=r"支出用途")
                if rb is None or col is None:
                    continue
                seen.add(r.index)
                out.append(compare("cross_table_code", fig_of(rb, _main_col(rb)), fig_of(r, col), f"科目{rb.code}"))
    return out


def _economic_codes(K: dict[str, Tab]) -> list[Finding | None]:
    out: list[Finding | None] = []
    fb, gb, office = K.get(FISCAL_BASIC), K.get(GPB_BASIC), K.get(OFFICE)
    if fb and gb and same_amount(grand(fb), grand(gb)):
        grows = {r.code: r for r in gb.rows if r.code}
        for r in fb.rows:
            if r.code in grows:
                out.append(compare("cross_table_code", fig_of(r), fig_of(grows[r.code]), f"科目{r.code}"))
    basic = gb or fb
    if office and basic:
        brows = {r.code: r for r in basic.rows if r.code}
        for r in office.rows:
            rb = brows.get(r.code) if r.code else None
            if rb is None:
                continue
            fo, fbf = fig_of(r), fig_of(rb)
            if fo and fbf:
                e, a, unit, q = to_common(fbf.value, fbf.unit, fo.value, fo.unit)
                if a - e > 0:          # 机关运行经费 is part of 基本支出's 公用经费: never more
                    sev = grade(a - e, q)
                    msg = (f"{fo.what}为{fmt(a)}{unit}，超过{fbf.what}{fmt(e)}{unit}（机关运行经费是基本支出的一部分），"
                           f"相差{fmt(a - e)}{unit}")
                    out.append(Finding(sev, "cross_table_code", msg, e, a, a - e, fo.evidence + fbf.evidence))
    return out


def _sangong_vs_economic(K: dict[str, Tab], measure: str | None = None,
                         avoid: str | None = None) -> list[Finding | None]:
    """表8-style 三公 items vs the economic rows they are booked under (30217, 30231, 30212, 31013),
    summed over basic and project spending. Without a project-spending economic table (Jiangsu, Shanghai)
    the basic-spending row is only a lower bound."""
    sg = K.get(SANGONG)
    basic = K.get(GPB_BASIC) or K.get(FISCAL_BASIC)
    proj = K.get(GPB_PROJECT)
    if sg is None or basic is None:
        return []
    items = sangong_items(sg, prefer_col=r"^一般公共预算$", measure=measure, avoid=avoid)
    out: list[Finding | None] = []
    for key, codes in _SANGONG_CODES.items():
        fig = items.get(key)
        if fig is None:
            continue
        parts = [_code_fig(basic, c) for c in codes]
        if proj is not None:
            parts += [_code_fig(proj, c) for c in codes]
        name = SANGONG_NAMES[key]
        where = basic.table.id + ("、" + proj.table.id if proj is not None else "")
        econ = _sum_figs(parts, f"{where}经济科目{'/'.join(codes)}（{name}）合计")
        if econ is None:
            if proj is None:
                continue
            econ = Figure(ZERO, fig.unit, f"{where}经济科目{'/'.join(codes)}（{name}，未列示即为0）", ())
        if proj is not None:
            out.append(compare("sangong_vs_economic", econ, fig))
            continue
        e, a, unit, q = to_common(econ.value, econ.unit, fig.value, fig.unit)
        if a < e:
            sev = grade(a - e, q)
            msg = (f"{fig.what}为{fmt(a)}{unit}，小于{econ.what}{fmt(e)}{unit}（基本支出部分不应超过全年安排），"
                   f"相差{fmt(a - e)}{unit}")
            out.append(Finding(sev, "sangong_vs_economic", msg, e, a, a - e, fig.evidence + econ.evidence))
    return out
