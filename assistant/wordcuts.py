"""Where a name begins and ends among the words of a question: whether a matched stretch cuts a word of the
question, whether a one-character difference makes another word (a different thing, not a typo), and the
words that may follow or precede an item's name. Words are jieba's common words (`index.tokens.is_word`)."""
from __future__ import annotations

import re

from index.tokens import is_word


# words a question goes on with after naming its item ("…支出多少", "…费用于"): no other item's name
_ASKING_WORD = re.compile(r"多少|是多|有多|为多|几|哪|什么|怎么|如何|为何|为什|一共|总共|共计|合计|分别|各是|各为|比上|较上|"
                          r"比去|同比|占比|占了|安排|用于|主要|情况|是否|有没|今年|去年|上年|本年|明年|预计|计划")


def _cuts_word(q: str, a: int, b: int) -> bool:
    """The stretch q[a:b] starts or ends inside a word of the question ("金收入" of "基金收入": 基金 is a word)."""
    return (a > 0 and is_word(q[a - 1:a + 1])) or (b < len(q) and is_word(q[b - 1:b + 1]))


def another_word(window: str, key: str) -> bool:
    """The one wrong character of `window` (a name `key` with one character changed) makes a word of its own
    with a neighbour where the name has a word too: "专用燃料费" is not a typo of "专用材料费" (燃料 and 材料
    are both words, so the citizen means another thing), while "公务接侍费" and "住房公基金" are (接侍, 公基:
    no words; 基金 beside 积金: only one side is a common word). Common words of jieba's dictionary."""
    j = next(k for k, (a, b) in enumerate(zip(window, key)) if a != b)
    for lo in (j - 1, j):
        if lo >= 0 and lo + 2 <= len(key) and is_word(window[lo:lo + 2]) and is_word(key[lo:lo + 2]):
            return True
    return False


# characters that end the words before a name ("今年", "请问", "的", "一下"): a corrected name after them is a word
_WORD_BEFORE = frozenset("的年是和与及在对中里把给问请下查道看说末初底")


def _grams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)]


def no_name_here(q: str, a: int, b: int, cand, fund_words) -> bool:
    """The stretch q[a:b] cannot call `cand` (a Candidate): bare digits of a year ("2026 spending" is no column
    "2026年预算数"); one generic word ("预算的" is no "…列入部门预算的项目"); the inside of a longer dictionary word
    of the question ("水电费": 电费 inside it is a narrower thing); a name ending inside a fund's name ("一般公共|预算
    安排的…", `fund_words`: (fund name, position) pairs); the 年 of a year ("2019年支出中", "今年预算": not the
    start of "当年支出小计")."""
    span = q[a:b]
    if re.fullmatch(r"(?:19|20)\d{2}(?:年度?)?", span) and cand.key != span:
        return True
    if cand.key != span and re.fullmatch(r"(?:预算|支出|收入|经费|资金|费用|项目|单位|部门)[的之]?", span):
        return True
    if a > 0 and cand.kind != "narrative" and b - a <= 4 and is_word(q[a - 1:b], 1) and q[a - 1] not in _WORD_BEFORE:
        return True
    if any(i < b < i + len(w) and a < b and w not in cand.key for w, i in fund_words):
        return True
    return span[:1] == "年" and a > 0 and (q[a - 1].isdigit() or q[a - 1] in "今去明本上前") and \
        not cand.key.startswith("年")


def _best_run(qgrams: list[str], hit: set[str]) -> list[int]:
    """The longest run of question bigrams in `hit` (positions) with at most three others between two of them (a
    word of one or two characters inserted: "面向中小企业预留的政府采购预算", "政府采购当中服务类"), not hits far
    apart."""
    best, cur = [], []
    for i, g in enumerate(qgrams):
        if g in hit and not (cur and g in {qgrams[j] for j in cur}):    # (a name said again is not more of it)
            cur = cur + [i] if cur and i - cur[-1] <= 4 else [i]
            best = cur if len(cur) > len(best) else best
    return best
