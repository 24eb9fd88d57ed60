"""Parts and wholes for a share: the share the narrative itself states ("商品和服务支出211.00万元，占支出预算的
12.54%") of the part named against the whole the question names, and whether a whole may contain a part (a
基本支出 item is not inside the 项目支出 total, a 一般公共预算 figure not inside the 政府性基金 one), and the
department's share of an item its per-unit rows give unit by unit (`units_share`); which named thing is the
part and which the whole (`_part_whole`).
Nothing here computes; `handlers.share` does, with these as its checks.
"""
from __future__ import annotations

import re

from . import compute as N
from .resolve import Pick
from .understand import clean_label, match_form


def _part_whole(qq) -> list[Pick]:
    """"A占B的…": A is the part and B the whole, even when B is a column that would otherwise only qualify A."""
    at = qq.q.find("占")
    if at < 0:                    # "基本支出中公用经费的比重是多少": the share asked without 占
        asked = re.search(r"(?:的)?(?:比重|比例|百分比|份额)", qq.q)
        at = asked.start() if asked else at
    named = [(m, p) for m, p in zip(qq.mentions, qq.picks()) if p.value is not None]
    inside = re.search(r"在(.+?)(?:中|里|内|当中|之中)?(?:所)?占", qq.q)
    if inside:                    # "A在B中占的比例": A the part, B the whole; A without a figure is no answer
        part = [p for m, p in named if m.end <= inside.start()]
        whole = [p for m, p in named if inside.start(1) <= m.start and m.end <= inside.end(1)]
        if part or any(m.end <= inside.start() for m in qq.mentions) or qq.q[:inside.start()].strip("，, "):
            return [part[-1], whole[0]] if part and whole else []
        # "在政府采购预算中，服务类采购占比": nothing before 在, the whole is named first (read below)
    before_words = re.sub(r"(?:19|20)\d{2}年?度?|今年|本年|去年|上年|请问|一下|的|是|其|它|这|那", "", qq.q[:at]) if at > 0 else ""
    if at > 0 and not any(m.end <= at for m, _ in named) and (
            any(m.end <= at for m in qq.mentions) or len(re.findall(r"[\u4e00-\u9fff]", before_words)) >= 2):
        return []                 # the part named before 占 has no figure: the whole is no part of itself
    if at > 0 and len(named) >= 2:
        before = [p for m, p in named if m.end <= at]
        after = [p for m, p in named if m.start > at]
        ms_before = [m for m, _ in named if m.end <= at]
        said = re.sub(r"^(?:到|了)*|(?:的)?(?:合计|总计|总额|总数|小计|全部|总)?(?:的)?(?:比例|比重|百分比|百分之|份额|多少|几).*$", "",
                      qq.q[at + 1:])
        again = [p for m, p in zip(ms_before, before) if len(said) >= 2 and
                 match_form(qq.q[m.start:m.end]) == said or said == match_form(qq.q[m.start:m.end]) + "合计"]
        if len(before) >= 2 and again and again[-1] is not before[-1]:
            return [before[-1], again[-1]]    # "项目支出里，对企业补助占项目支出合计的比重": the whole said again
        if len(before) == 1 and len(after) == 1:
            return [before[0], after[0]]
        ms_after = [m for m, _ in named if m.start > at]
        if len(before) == 1 and len(after) == 2 and _SCOPE_GAP.match(qq.q[ms_after[0].end:ms_after[1].start]):
            return [before[0], after[1]]      # "A占财政拨款基本支出中公用经费的比例": the whole is the last, inside the first
        ms = [m for m, _ in named]
        gap = re.match(r"(?:\d[\d,.]*(?:万元|亿元|元))?(?:预算|决算)?(?:里面|当中|之中|中|里|内)(?:的)?[，,]?(.*)$",
                       qq.q[ms[0].end:ms[1].start])      # (the whole's figure may be said: "基本支出386.73万元里")
        if len(before) == 2 and not after and gap and gap.group(1) in qq.q[ms[0].start:ms[0].end]:
            return [before[1], before[0]]     # "基本支出中人员经费占比": the part is named inside its whole
            # (words between that repeat the whole's own name are its: "政府采购预算中，政府采购服务占…")
        if len(before) >= 3 and not after and _SCOPE_GAP.match(qq.q[ms[len(before) - 2].end:ms[len(before) - 1].start]) \
                and _lies_under(before[-1], before[-2]):
            return [before[-1], before[-2]]   # "基本支出的工资福利支出中，津贴补贴占": the nearest whole it lies under
        if len(before) >= 3 and not after:    # "财政拨款基本支出中，公用经费占…": the whole in several words
            whole = section_whole(qq.ctx, before[-1], before[:-1])
            if whole is not None:
                return [before[-1], whole]
            if all(_FUND.fullmatch(match_form(p.name)) for p in before[:-2]) and \
                    all(a.end == b.start for a, b in zip(ms[:len(before) - 2], ms[1:len(before) - 1])) and \
                    re.match(r"(?:预算|决算)?(?:中|里|内|当中|之中|里面)(?:的)?[，,]?$", qq.q[ms[len(before) - 2].end:ms[len(before) - 1].start]):
                return [before[-1], before[-2]]   # "一般公共预算基本支出中，人员经费占比": the fund says which 基本支出
    return qq.target()


_SCOPE_GAP = re.compile(r"(?:预算|决算)?(?:里面|当中|之中|中|里|内)(?:的)?[，,]?$")


def _lies_under(part: Pick, whole: Pick) -> bool:
    """Every cell of the part is a row under a cell of the whole in the same table (its label among the row's
    ancestors, or the whole's code a prefix of the part's)."""
    if not part.facts or not whole.facts:
        return False
    return all(any(w.table == f.table and (clean_label(w.row) in f.path or (w.code and f.code and f.code != w.code
                   and f.code.startswith(w.code))) for w in whole.facts) for f in part.facts)


def section_whole(ctx, part: Pick, others: list[Pick]) -> Pick | None:
    """The whole a part stated in a section stands in, when the other things named say which: the section's
    own figure, no part itself, whose subject names them all ("省检察院2018年度财政拨款基本支出预算13,979.92万元"
    for "（二）公用经费2,722.57万元" under "六、财政拨款基本支出预算情况说明")."""
    fig = part.figure
    if fig is None or part.facts:
        return None
    names = [match_form(o.name) for o in others]
    if not all(n in match_form(fig.heading) for n in names):
        return None
    wholes = [f for f in ctx.index.figures if f.heading == fig.heading and not f.part and f is not fig and
              f.unit == fig.unit and f.value > fig.value and all(n in match_form(f.subject) for n in names)]
    if len({f.value for f in wholes}) != 1:
        return None
    return Pick(name=wholes[0].subject, figure=wholes[0])



_FUND = re.compile(r"(?:一般公共预算|政府性基金预算?|国有资本经营预算)?(?:财政拨款)?(?:资金)?")
_WHOLE_ASKED = re.compile(r"占(?:到)?(?:了)?([\u4e00-\u9fff]{2,16}?)(?:的)?(?:比例|比重|百分比|多少|几|份额|%|是)")


def stated_share(qq, part: Pick) -> object:
    """The share the narrative itself states ("商品和服务支出211.00万元，占支出预算的12.54%") of the part named
    against the whole the question names in the same words: the document's own figure before a computed one."""
    m = _WHOLE_ASKED.search(qq.q)
    if not m or not part.name:
        return None
    whole = re.sub(r"^(?:本部门|部门|全部门|整个部门|本单位)", "", m.group(1))
    name = re.escape(re.sub(r"\s", "", part.name))
    rx = re.compile(name + r"[^。；]{0,30}?占(?:本部门|部门|全部门|本单位)?([\u4e00-\u9fff“”]{1,20}?)(?:的|比重为|比例为)(\d+(?:\.\d+)?)[%％]")
    found = []
    for sec in qq.ctx.parsed.sections:
        text = sec.text.replace("\n", "")
        for s in re.split(r"(?<=[。；])", text):
            flat = re.sub(r"\s", "", s).replace("％", "%")
            hit = rx.search(flat)
            if hit and match_form(hit.group(1)) == match_form(whole):
                found.append((hit.group(2), sec, s.strip()))
    if len({v for v, _, _ in found}) != 1:
        return None
    v, sec, sent = found[0]
    cit = qq.ctx.section_citation(sec.id, sent)
    return qq.done(f"{part.name}占{m.group(1)}的 **{v}%**（文件所述）。", f"{part.name} is **{v}%** of {m.group(1)} (as stated).",
                   value=N.Decimal(v), unit="%", citations=(cit,), intent="share", subject=part.name, value_str=v)


_EXCLUSIVE = (("基本支出", "项目支出"), ("一般公共预算", "政府性基金"))
_NARROW_WHOLE = _EXCLUSIVE
# What a whole is made of by the national definition: "三公"经费 is 因公出国（境）费, 公务用车购置及运行（维护）费
# and 公务接待费, nothing else (会议费 and 培训费 are printed beside it, not in it).
_MADE_OF = (("三公", ("三公", "因公出国", "出国", "公务用车", "公车", "公务接待", "接待"),
             "“三公”经费只含因公出国（境）费、公务用车购置及运行维护费和公务接待费，会议费、培训费等另列"),)


def _scope(o: N.Operand) -> str:
    c = o.citation
    return match_form(f"{o.label}{c.source if c is not None and c.section is None else ''}")


def may_contain(whole: N.Operand, part: N.Operand) -> bool:
    """False when the whole is of the other kind than the part (a 基本支出 item against the 项目支出 total, a
    一般公共预算 figure against the 政府性基金 one), or a whole defined by its members is set against something
    that is not one of them (会议费 against "三公"经费): a part lies inside its whole."""
    return outside(whole, part) is None


def outside(whole: N.Operand, part: N.Operand) -> str | None:
    """Why the part does not lie inside the whole, said plainly (for the abstention); None when it may."""
    w, p = _scope(whole), _scope(part)
    for a, b in _EXCLUSIVE:
        for x, y in ((a, b), (b, a)):
            if x in w and y not in w and y in p and x not in p:
                return f"{part.label}属于{y}，不在{whole.label}（{x}）之内，不能算占比"
    for name, members, said in _MADE_OF:
        if name in match_form(whole.label) and not any(m in match_form(part.label) for m in members):
            return f"{part.label}不是{whole.label}的一部分：{said}，不能算占比"
    return None


def units_share(qq, part: Pick, whole_pick: Pick):
    """The department's share of an item its per-unit rows give unit by unit (表11 人员经费 of each unit): the
    units' rows added up, then against the whole. None unless the rows are of one table, each of another unit,
    no unit inside another (a department total printed beside its 本级 row would count twice)."""
    from .answer_tables import operand, pick_operand
    fs, ctx = part.facts, qq.ctx
    ents = [f.entity for f in fs]
    if len({f.table for f in fs}) != 1 or not all(ents) or len(set(ents)) != len(ents) or \
            any(f.entity in g.path[:-1] for f in fs for g in fs if g is not f):
        return None
    summed = N.total([operand(ctx, f, f"{f.entity}{part.name}") for f in fs])
    whole = pick_operand(ctx, whole_pick)
    if whole is None or whole.value == 0 or not may_contain(whole, operand(ctx, fs[0], part.name)):
        return None
    label = f"各单位{part.name}合计"
    r = N.share(N.Operand(label, summed.value, summed.unit, ctx.fact_citation(fs[0])), whole)
    res = N.Result(r.value, "%", f"{summed.formula}；{r.formula}", r.operands)
    cits = tuple(ctx.fact_citation(f) for f in fs) + (whole.citation,)
    return qq.done(f"{label}占{whole.label}的 **{N.show(r.value, '%')}%**。",
                   f"{part.name} of all units together is **{N.show(r.value, '%')}%** of {whole.label}.",
                   value=r.value, unit="%", result=res, citations=cits, intent="share", subject=part.name)
