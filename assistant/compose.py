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
