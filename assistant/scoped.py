"""What a sum's and a count's words narrow: "X里，A和B加起来" sums rows under X (`_scope_of`, `_under`), and
"多少个N" counts N only when the figure names N beside it (`_counts_noun`). Nothing here computes or answers;
`answer_sets.total` and `answer_counts.counted_figure` use these. Not handled: a scope named after the items.
"""
from __future__ import annotations

import re

from .understand import Mention, match_form
from .question_words import bigrams

_SCOPE_WORD = re.compile(r"\s*(?:里面|当中|之中|里|中|内)(?:的)?\s*[，,]?")


def _scope_of(qq, row_ms: list[Mention]) -> Mention | None:
    """"社会保障和就业支出里，A和B加起来": the first thing named, followed by 里/中/内, before two or more items,
    is where the items are, not one of them."""
    if len(row_ms) < 3:
        return None
    first = min(row_ms, key=lambda m: m.start)
    after = _SCOPE_WORD.match(qq.q, first.end)
    if after is None or not all(m.start >= after.end() for m in row_ms if m is not first):
        return None
    return first


def _under(qq, row_ms: list[Mention], scope: Mention) -> list[Mention] | None:
    """Each item's candidates (and the things whose names contain the words asked: 基本养老保险缴费 in
    机关事业单位基本养老保险缴费支出) narrowed to the rows under the scope (its label among the row's ancestors, or
    its code a prefix of the row's); None when some item has no row, or several rows, under it."""
    import dataclasses
    heads = {c.key for c in scope.candidates} | {match_form(c.name) for c in scope.candidates}
    said = re.search(r"[\u4e00-\u9fff]{2,8}$", qq.q[:scope.end])     # the scope as the question words it ("基本支出"
    if said:                                                         # where only "支出" was recognised)
        heads.add(re.sub(r"^.*?(?:年|的|局|委|办|院|中心)(?=..)", "", said.group(0)))
    codes = {f.code for c in scope.candidates for f in c.facts if f.code}
    titles = qq.ctx.titles
    # (or a table of the scope's own: "财政拨款基本支出里…" the rows of the 财政拨款基本支出 table, or its column)
    def of_scope(f) -> bool:
        where = match_form(titles.get(f.table, "")) + "|" + match_form(f.column)
        return any(len(h) >= 4 and h in where for h in heads)
    out = []
    for m in row_ms:
        span = qq.q[m.start:m.end]
        more = [c for c in qq.ctx.index.candidates if span in c.key and c not in m.candidates]
        for pool in (m.candidates, m.candidates + more):    # (its own name first: 电费 is not 邮电费)
            cands = []
            for c in pool:
                fs = [f for f in c.facts if any(match_form(a) in heads for a in f.path) or
                      (f.code and any(f.code.startswith(k) and f.code != k for k in codes)) or of_scope(f)]
                if fs:
                    cands.append(dataclasses.replace(c, facts=fs))
            if cands:
                break
        if len({c.key for c in cands}) != 1:
            return None
        out.append(dataclasses.replace(m, candidates=cands))
    return out



_COUNTED_NOUN = re.compile(r"(?:多少|几)(?:个|项|辆|台|人|名|家)([\u4e00-\u9fff\d]{2,12})")


_NOUN_BEFORE = re.compile(r"([\u4e00-\u9fff\d]{2,16})(?:多少|几)(?:个|项|辆|台|人|名|家)\s*[？?]?\s*$")
_COUNT_VERBS = re.compile(r"(?:要|将|计划|预计|一共|总共|共|有|建成|建设|达到|完成|新建|新增|是|哪)+$")


def _counts_noun(q: str, fig) -> bool:
    """"多少个15分钟商业服务圈": the figure counts that noun, named beside it (the end of its subject or the start
    of the words after it share half the pairs of the noun's first four characters; a noun named before
    "多少个" shares a third of its pairs with the figure's subject), not a "3个" of a garbled line sharing one word."""
    m = _COUNTED_NOUN.search(q)
    noun = bigrams(re.sub(r"\d", "", m.group(1))[:4]) if m else set()    # its head; the rest says what it does
    near = bigrams(fig.subject[-8:] + " " + fig.after[:8])
    before = None if m else _NOUN_BEFORE.search(q)
    if before:                  # "15分钟商业服务圈要建成多少个": the noun named first, as a whole
        noun = bigrams(re.sub(r"[\d的]", "", _COUNT_VERBS.sub("", before.group(1))))
        near = bigrams(fig.subject + " " + fig.after[:8])
        return not noun or len(noun & near) * 3 >= len(noun)
    if not noun:
        return True
    return len(noun & near) * 2 >= len(noun)
