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
