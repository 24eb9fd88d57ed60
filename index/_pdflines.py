"""A page's text lines as pdfplumber reads them, with one repair: in some text layers the digits and punctuation of
a line are set half a line lower than its characters and come out as a line of their own ("三 绩效目标设置情况 年
项目支出…" over "( ) 。2026 , 58,397.75"); such a line is put back into the line it belongs to, by x."""
from __future__ import annotations

import re

from ._pdfcaptions import Line


# a line of figures and punctuation only (no Chinese): in some text layers the digits and punctuation of a line
# are set half a line lower than its characters, and come out as a line of their own
_FIGURES_ONLY = re.compile(r"^[\d\s,.，。、；;：:()（）%％\-—–“”\"/·]+$")

# ... with a mark only prose has (a table row's figures, "553.54 553.54", stay a line of the table)
_PROSE_MARK = re.compile(r"[。，、；：()（）]|(?:^|\s),(?:\s|$)")


def lines_of(page) -> list[Line]:
    """The page's text lines; a figures-only line that overlaps the line above in height is that line's own
    figures, put back in place by x ("三 绩效目标设置情况 年项目支出…" + "( ) 。2026 , 58,397.75")."""
    raw = [ln for ln in page.extract_text_lines(return_chars=False) if ln["text"].strip()]
    if not any(_belongs_above(a, b) for a, b in zip(raw, raw[1:])):
        return [Line(ln["text"], ln["top"], ln["bottom"]) for ln in raw]     # (the usual page: no characters needed)
    raw = [ln for ln in page.extract_text_lines(return_chars=True) if ln["text"].strip()]
    out: list[dict] = []
    for ln in raw:
        prev = out[-1] if out else None
        if prev is not None and _belongs_above(prev, ln):
            chars = sorted(prev["chars"] + ln["chars"], key=lambda c: c["x0"])
            out[-1] = {"text": _joined(chars), "top": prev["top"], "bottom": max(prev["bottom"], ln["bottom"]),
                       "chars": chars}
        else:
            out.append(ln)
    return [Line(ln["text"], ln["top"], ln["bottom"]) for ln in out]


def _belongs_above(prev: dict, ln: dict) -> bool:
    return bool(_FIGURES_ONLY.match(ln["text"]) and _PROSE_MARK.search(ln["text"]) and
                not _FIGURES_ONLY.match(prev["text"]) and prev["top"] + 2 < ln["top"] < prev["bottom"] - 1)


def _joined(chars: list[dict]) -> str:
    """Characters in x order, a space where a gap wider than half a character separates them."""
    text, last = "", None
    for c in chars:
        if last is not None and c["x0"] - last["x1"] > 0.5 * max(last["x1"] - last["x0"], 1):
            text += " "
        text += c["text"]
        last = c
    return text
