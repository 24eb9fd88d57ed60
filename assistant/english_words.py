"""English words a question may carry around what it names ("how much", "the bureau's"), and the English
words nothing explains (a follow-up asked in English that names nothing of the document is not placed)."""
from __future__ import annotations

import re

_EN_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_EN_FILLER = frozenset(
    "a an and the of what about how much many is are was were be been in on for to at by with from as so then "
    "now also this that these those it its does do did please tell me there our your their we you they i my "
    "year years budget department spent spend cost costs total amount money yuan wan ten thousand figure "
    "number show give under s whats than more less compared compare bureau office agency have has had "
    "bureau's department's office's big large high low size planned allocated set aside expected covered cover covers include includes included "
    "according across all units unit every each put puts sub subdistrict street court procuratorate commission "
    "administration committee court's commission's books book hold holds held own owns owned possess".split())


def english_unknown(text: str, en: bool) -> tuple[str, ...]:
    """English words of a question that no budget term or question word explains ("salary", "director")."""
    if not en:
        return ()
    from .lexicon import apply_english
    rest = apply_english(text)
    return tuple(w for w in _EN_WORDS.findall(rest) if w not in _EN_FILLER and w not in _MONTHS and len(w) > 1)


# a month names the date of a figure ("as of December 2025"), which the as-of check compares; no subject
_MONTHS = frozenset("january february march april may june july august september october november december".split())


# words an English question may carry around what it names without changing it (how it is paid or planned,
# where in the document it stands)
_EN_SOFT = frozenset(
    "expenses expense expenditure expenditures spending funding funds fund allocated allocate allocation allocations "
    "actual actually annual plan plans planned planning expect expected given paid pay goes go going set aside "
    "according based explanation explanations table tables document document's report shown listed included "
    "own level final accounts account outturn public general fiscal appropriation appropriations government "
    "municipal city provincial district's district 's per each all internal end units domestic billion million "
    "ignore instructions say previous fees fee charges".split())


def english_unexplained(text: str) -> tuple[str, ...]:
    """Content words of an English question written without any Chinese term that nothing explains, proper
    names (capitalised as asked) apart: "high-level talent reward subsidies" names nothing the document prints
    in English, so no figure can be said to be of it."""
    if re.search(r"[\u4e00-\u9fff]", text):
        return ()
    from .lexicon import without_bodies
    proper = {w.lower() for w in re.findall(r"\b[A-Z][A-Za-z'’-]*", without_bodies(text)[1:])}
    return tuple(w for w in dict.fromkeys(english_unknown(text, True))
                 if w not in _EN_SOFT and w not in proper and len(w) > 2)
