"""Writing answers: the short answer first (figure and unit, or the reason), then the working, then the
sources with their quotes; in the question's language. Every user-visible text is built here."""
from __future__ import annotations

import re

from .answer import Answer, Citation
from .compute import Result, plain, show

UNIT_EN = {"万元": "10k yuan (万元)", "元": "yuan (元)", "亿元": "100m yuan (亿元)", "%": "%", "个": "", "项": "items",
           "台": "units", "辆": "vehicles", "人": "people", "平方米": "m²"}


def figure(value, unit: str) -> str:
    return f"{show(value, unit)}{unit}"


# standard disclosure terms (national templates, not one document's rows) for English answers
EN_NAMES = (("公务用车购置及运行维护费", "official vehicle purchase and operation"), ("公务用车运行维护费", "official vehicle operation"),
            ("公务用车购置费", "official vehicle purchase"), ("因公出国（境）费", "official overseas travel"),
            ("“三公”经费", "“three public expenses”"), ("三公经费", "“three public expenses”"),
            ("公务接待费", "official reception"), ("机关运行经费", "institutional operating expenses"),
            ("一般公共服务支出", "general public services"), ("社会保障和就业支出", "social security and employment"),
            ("卫生健康支出", "health"), ("住房保障支出", "housing security"), ("工资福利支出", "wages and benefits"),
            ("商品和服务支出", "goods and services"), ("对个人和家庭的补助", "subsidies to individuals and households"),
            ("住房公积金", "housing provident fund"), ("政府性基金预算", "government fund budget"),
            ("一般公共预算", "general public budget"), ("国有资本经营预算", "state capital operation budget"),
            ("项目支出", "project expenditure"), ("基本支出", "basic expenditure"), ("人员经费", "personnel expenses"),
            ("公用经费", "public operating expenses"), ("政府采购", "government procurement"),
            ("支出合计", "total expenditure"), ("收入合计", "total revenue"), ("支出总计", "total expenditure"),
            ("收入总计", "total revenue"), ("财政拨款", "fiscal appropriation"), ("固定资产", "fixed assets"),
            ("培训费", "training"), ("会议费", "meetings"), ("差旅费", "travel"), ("租赁费", "rent"), ("办公费", "office costs"),
            ("比上年增加", "up on last year by "), ("比上年减少", "down on last year by "), ("比上年", "compared with last year "),
            ("增长", "an increase of "), ("下降", "a decrease of "), ("本年", "this year's "), ("车辆", "vehicles"),
            ("上年", "last year"), ("合计", "total"), ("小计", "subtotal"))
_EN_UNITS = (("亿元", " hundred million yuan"), ("万元", " ten thousand yuan"), ("平方米", " m²"), ("元", " yuan"),
             ("个", ""), ("项", " items"), ("辆", " vehicles"), ("台", " units"), ("倍", " times"), ("人", " people"),
             ("分", " points"))


_EN_INTENTS = {"value", "convert", "share", "ratio", "difference", "sum", "count", "max", "min", "previous", "change",
               "share_gap", "why"}


_EN_NAME_OF = dict(EN_NAMES)


def _english_run(m) -> str:
    """A run of Chinese: its English when it is a standard term in full (or each bracketed part is one)."""
    names = _EN_NAME_OF
    run = m.group(0)
    if run in names:
        return names[run]
    year = re.match(r"(本年|当年|今年|上年|去年)(.+)$", run)       # "本年支出合计": this year's total expenditure
    if year and year.group(2) in names:
        return ("last year's " if year.group(1) in ("上年", "去年") else "this year's ") + names[year.group(2)]
    parts = re.split(r"([（）])", run)
    return "".join(names.get(p, p) for p in parts)


def english(text: str, sentence: bool = True) -> str:
    """An English answer's own text with the standard terms and units in English; a label with no standard
    English name is kept as printed, in quotation marks (it is the document's name for the item)."""
    import re
    pieces = re.split(r"(“[^”]*”)", text)          # quotations of the document stay verbatim
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            for zh, en in _EN_UNITS:
                piece = re.sub(rf"(?<=[\d*])\s*{zh}", en, piece)
            # a run of Chinese that is a standard term in full is said in English; any other run (a longer name
            # that merely contains one: "一般公共预算财政拨款运行经费") is kept whole, as printed, in quotation marks
            piece = re.sub(r"[\u4e00-\u9fff“][\u4e00-\u9fff“”（）]*", _english_run, piece)
            piece = re.sub(r"(?<![\d.,])1(\**) (vehicle|item|unit|time)s\b", r"1\1 \2", piece)   # "1 vehicle"
            piece = re.sub(r"(?<![\d.,])1(\**) people\b", r"1\1 person", piece)
            piece = re.sub(r"([\u4e00-\u9fff][\u4e00-\u9fff（）()]*)", r"“\1”", piece)
            piece = piece.replace("（", " (").replace("）", ")").replace("，", ", ").replace("：", ": ").replace("。", ". ")
        out.append(piece)
    text = "".join(out).replace("  ", " ")
    if not sentence:
        return text               # a name inside a line ("Understood as: value | official reception")
    return re.sub(r"^([*“\s]*)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)   # a sentence's capital


def distinct(citations) -> tuple[Citation, ...]:
    """The citations without repeats: one whose quote is part of another's from the same place is that one."""
    out: list[Citation] = []
    for c in citations:
        same = [i for i, o in enumerate(out) if o.source == c.source and o.page == c.page and
                (c.quote == o.quote or c.quote and o.quote and (c.quote in o.quote or o.quote in c.quote))]
        if not same:
            out.append(c)
        elif len(c.quote) > len(out[same[0]].quote):
            out[same[0]] = c
    return tuple(out)


def sources_md(citations: tuple[Citation, ...], en: bool) -> str:
    if not citations:
        return ""
    head = "**Sources**" if en else "**出处**"
    lines = [head]
    for c in citations:
        page = f"p.{c.page}" if en else f"第{c.page}页"
        quote = c.quote if len(c.quote) <= 160 else c.quote[:157] + "…"
        lines.append(f"- {c.source}（{page}）：“{quote}”")
    return "\n".join(lines)


def build(question: str, text: str, *, en: bool, value=None, unit: str | None = None,
          result: Result | None = None, citations: tuple[Citation, ...] = (), answerable: bool = True,
          doc: str | None = None, intent: str = "", subject: str | None = None, extra: dict | None = None,
          value_str: str | None = None) -> Answer:
    parts = [english(text) if en and intent in _EN_INTENTS else text]
    calc = result.formula if result else None
    if calc:
        parts.append(("**Working**: " if en else "**计算**：") + calc)
    citations = distinct(citations)
    src = sources_md(citations, en)
    if src:
        parts.append(src)
    if value_str is None and value is not None and unit:
        value_str = plain(value, unit)
    return Answer(question=question, answer="\n\n".join(parts), answerable=answerable, value=value_str,
                  unit=unit if value_str is not None else None, calculation=calc, citations=citations, doc=doc,
                  intent=intent, subject=subject, extra=extra or {})


_EN_PHRASES = ((r"^这一内容$", "this"), (r"^这一数量$", "this count"), (r"^文件中没有写明这一数量$", "the document states no such count"),
               (r"^文件中没有找到与问题对应的数字或说明$", "no figure or statement in the document matches the question"),
               (r"^(\d{4})年的数据$", r"figures for \1"), (r"^本文件只含(\d{4})年(预算|决算)$", r"this document covers \1 only"),
               (r"^人均或平均数$", "per-person or average figures"), (r"^(.+)的数据$", r"figures of \1"),
               (r"^(.+)的上年数或变化原因$", r"last year's figure or the reason for the change of \1"),
               (r"^(.+)变化的原因$", r"the reason for the change of \1"), (r"^文件中没有(.+)$", r"the document never mentions \1"),
               (r"^(决算|预算)数$", r"\1 figures"))


def _en(phrase: str) -> str:
    import re
    for rx, en in _EN_PHRASES:
        if re.search(rx, phrase):
            return english(re.sub(rx, en, phrase), sentence=False)
    return english(phrase, sentence=False)


def refusal(question: str, what: str, en: bool, doc_label: str, doc: str | None = None, why: str = "") -> Answer:
    if en:
        what, why, doc_label = _en(what), _en(why) if why else "", f"“{doc_label}”"
        text = f"The document does not disclose {what}." + (f" ({why})" if why else "") + \
               f" This document is {doc_label}; nothing was guessed."
    else:
        text = f"文件未披露{what}。" + (f"（{why}）" if why else "") + f"本文件是{doc_label}，未作推测。"
    return Answer(question=question, answer=text, answerable=False, doc=doc, intent="refuse")


def not_found(question: str, en: bool, reason: str, suggestions: list[dict], doc: str | None = None,
              understood: str | None = None) -> Answer:
    """The helpful abstention: no exact figure, why, and up to three closest things found (not the answer)."""
    if en:
        reason = "the figures found do not match every part of the question" if reason else ""
        lines = ["No exact figure was found for this question." + (f" ({reason})" if reason else "")]
        if suggestions:
            lines.append("Closest items found (**not** the answer to the question):")
    else:
        lines = ["没有找到确切对应的数字。" + (f"（{reason}）" if reason else "")]
        if suggestions:
            lines.append("找到的最接近的内容如下，**并非所问的答案**，仅供参考：")
    for s in suggestions:
        c = s["citation"]
        page = f"p.{c.page}" if en else f"第{c.page}页"
        item = f"- {s['text']}：{show_plain(s['value'], s['unit'])}（{c.source}，{page}）"
        lines.append(f"- “{s['text']}”: {english(show_plain(s['value'], s['unit']))} (“{c.source}”, {page})" if en else item)
    lines.append("Try naming the item as the document prints it." if en else
                 "可以换个问法，例如直接写出表中的项目名称、单位或年度。")
    return Answer(question=question, answer="\n".join(lines), answerable=False, doc=doc, intent="not-found",
                  understood=understood, suggestions=tuple(suggestions))


def show_plain(value: str, unit: str | None) -> str:
    from decimal import Decimal
    try:
        return figure(Decimal(value), unit) if unit else value
    except ArithmeticError:
        return f"{value}{unit or ''}"
