"""Question normalisation: full/half width, quotes, spaces, 〇/零 and Chinese numerals in years and counts.

`normalize_question` returns text for matching (NFKC, no spaces between CJK characters, Chinese year and
small numbers as digits, curly quotes unified). The question as asked is kept elsewhere for the answer.
"""
from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_YEAR_CN = re.compile(r"([〇零○一二三四五六七八九]{4})年")


def cn_small_number(text: str) -> int | None:
    """'十二' -> 12, '二十三' -> 23, '五' -> 5 (up to 99)."""
    if not text:
        return None
    if all(ch in _CN_DIGITS for ch in text):
        n = 0
        for ch in text:
            n = n * 10 + _CN_DIGITS[ch]
        return n
    m = re.fullmatch(r"([一二三四五六七八九])?十([一二三四五六七八九])?", text)
    if m:
        return (_CN_DIGITS[m.group(1)] if m.group(1) else 1) * 10 + (_CN_DIGITS[m.group(2)] if m.group(2) else 0)
    return None


_CN_NUM = "零〇一二两三四五六七八九十百千万亿点"
# an amount or a count in words; not an ordinal ("第一人民医院") nor the 人 of 人民 ("一人民…" is a name)
_CN_AMOUNT = re.compile(rf"(?<![\d.第])([零〇一二两三四五六七八九十][{_CN_NUM}]*?)(?=\s*(?:万元|亿元|元|个|项|辆|台|人(?!民)|%))")
_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> str | None:
    """'十' -> '10', '一百二十' -> '120', '五点六' -> '5.6', '三万' -> '30000'; None if not a number."""
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = cn_number(whole) if whole else "0"
        if w is None or not frac or any(ch not in _CN_DIGITS for ch in frac):
            return None
        return f"{w}.{''.join(str(_CN_DIGITS[ch]) for ch in frac)}"
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _UNITS:
            section += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        elif ch in ("万", "亿"):
            total += (section + (digit or 0)) * (10000 if ch == "万" else 100000000)
            section, digit = 0, None
        else:
            return None
    return str(total + section + (digit or 0))


def is_english(text: str) -> bool:
    """English when it has three English words or more ("What does 单位预留机动经费 mean?" included)."""
    return len(re.findall(r"[A-Za-z]{2,}", text)) >= 3


_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)"          # Markdown image or link: keep the link text
                     r"|<[^>]{0,300}>"                        # an HTML tag
                     r"|\b(?:https?|ftp|file|data|javascript):[^\s，。？！]*", re.I)   # a bare address


def strip_markup(text: str) -> str:
    """The question without Markdown images/links (their text kept), HTML tags and web addresses: a person's
    pasted markup is not part of what they ask ("![x](http://…) 三公经费是多少" asks for 三公经费)."""
    def keep(m: re.Match) -> str:
        return m.group(1) if m.group(0).startswith(("[", "![")) and not m.group(0).startswith("!") else " "
    return re.sub(r"\s+", " ", _MARKUP.sub(keep, text or "")).strip()


def normalize_question(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "")
    t = t.replace("\u201c", "“").replace("\u201d", "”").replace('"', "”")
    t = _YEAR_CN.sub(lambda m: f"{cn_small_number(m.group(1))}年", t)
    t = _CN_AMOUNT.sub(lambda m: cn_number(m.group(1)) or m.group(1), t)   # "十万元以上" -> "10万元以上"
    t = re.sub(r"百分之([\d.]+)", r"\1%", t)
    t = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t



_THANKS, _GREETING = r"谢谢|多谢|感谢|谢了|辛苦了|thanks|thank you|thx", r"你好|您好|hi|hello"
_COURTESY = re.compile(rf"^(?:(?:{_THANKS}|{_GREETING}|好的|好|嗯|ok|okay)[你您啦呀哈了！!。.，,~～\s]*)+$", re.I)
_REPLIES = {  # kind: (Chinese reply, English reply)
    "thanks": ("不客气。", "You're welcome."),
    "greeting": ("您好！", "Hello!"),
    "ack": ("好的。", "OK."),
}


def courtesy_reply(text: str) -> tuple[str, str] | None:
    """(reply, how the turn was read) for a turn that is only a thanks, a greeting or an "OK" ("谢谢", "您好！",
    "thanks"), else None: such a turn asks nothing of the document, so it gets a courteous line, not "文件未披露"."""
    t = text.strip()
    if not t or not _COURTESY.match(t):
        return None
    kind = "thanks" if re.search(_THANKS, t, re.I) else "greeting" if re.search(_GREETING, t, re.I) else "ack"
    zh, en = _REPLIES[kind]
    if t.isascii():     # is_english() wants a longer text than "thanks!"
        return (f"{en} Ask about any figure in the budget, e.g. “How much are the three public expenses?”",
                "Understood as: thanks or a greeting")
    return f"{zh}可以继续问预算里的任何数字，例如“三公经费是多少”或“项目支出占比多少”。", "理解为：致谢或问候（不涉及文件内容）"
