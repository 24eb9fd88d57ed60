"""Writing answers: the short answer first (figure and unit, or the reason), then the working, then the
sources with their quotes; in the question's language. Every user-visible text is built here."""
from __future__ import annotations

from .answer import Answer, Citation
from .numeric import Result, plain, show

UNIT_EN = {"万元": "10k yuan (万元)", "元": "yuan (元)", "亿元": "100m yuan (亿元)", "%": "%", "个": "", "项": "items",
           "台": "units", "辆": "vehicles", "人": "people", "平方米": "m²"}


def figure(value, unit: str) -> str:
    return f"{show(value, unit)}{unit}"


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
    parts = [text]
    calc = result.formula if result else None
    if calc:
        parts.append(("**Working**: " if en else "**计算**：") + calc)
    src = sources_md(citations, en)
    if src:
        parts.append(src)
    if value_str is None and value is not None and unit:
        value_str = plain(value, unit)
    return Answer(question=question, answer="\n\n".join(parts), answerable=answerable, value=value_str,
                  unit=unit if value_str is not None else None, calculation=calc, citations=citations, doc=doc,
                  intent=intent, subject=subject, extra=extra or {})


def refusal(question: str, what: str, en: bool, doc_label: str, doc: str | None = None, why: str = "") -> Answer:
    if en:
        text = f"The document does not disclose {what}." + (f" ({why})" if why else "") + \
               f" This document is {doc_label}; nothing was guessed."
    else:
        text = f"文件未披露{what}。" + (f"（{why}）" if why else "") + f"本文件是{doc_label}，未作推测。"
    return Answer(question=question, answer=text, answerable=False, doc=doc, intent="refuse")


def not_found(question: str, en: bool, reason: str, suggestions: list[dict], doc: str | None = None,
              understood: str | None = None) -> Answer:
    """The helpful abstention: no exact figure, why, and up to three closest things found (not the answer)."""
    if en:
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
        lines.append(f"- {s['text']}：{show_plain(s['value'], s['unit'])}（{c.source}，{page}）")
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
