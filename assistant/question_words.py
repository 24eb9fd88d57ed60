"""What the words of a question say apart from the document's names: colloquial synonyms rewritten to the
printed terms, the intents its cues name, the years, places and bodies it names, the unit a count asks in, and
the character pairs used for fuzzy overlap. Nothing here reads a figure.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .lexicon import CUES, SYNONYMS
from .understand import match_form

if TYPE_CHECKING:
    from .understand import SubjectIndex


def rewrite(q: str, labels: tuple[str, ...] = ()) -> str:
    """Apply colloquial → printed synonyms to a question in match form (never inside a label it names)."""
    for short, long in SYNONYMS:
        s, lg = match_form(short), match_form(long)
        if s in q and lg in q and s not in lg and len(s) >= 3 and not any(s in k for k in labels):
            q = re.sub(re.escape(s) + "的?", "", q, count=1)   # "招待客人的公务接待费": said twice, one item
            continue
        if s not in q or lg in q:
            continue
        idx = q.find(s)
        if any(s in k and k != s and k in q for k in labels):
            continue
        if lg in ("支出合计", "收入合计") and idx > 0 and "\u4e00" <= q[idx - 1] <= "\u9fff" and \
                q[idx - 1] not in "的年门位局今全总占是和与及比为在对较":
            continue          # "政府采购支出预算总额" is not the grand total
        # skip when the short word is already part of a longer printed term in the question
        if any(lg[i:i + len(s) + 1] in q for i in range(len(lg) - len(s))):
            continue
        q = q[:idx] + lg + q[idx + len(s):]
    return q


# units said to be left out ("不含下属几个中心"): a scope, not a count asked
_SCOPE_ASIDE = re.compile(r"(?:不含|不包括|不包含|除去|除了|扣除)(?:下属|所属|直属|下面)?(?:的)?(?:几|各|多)?个?"
                          r"(?:家|所)?[\u4e00-\u9fff]{0,4}?(?:单位|中心|机构|部门|医院|学校|院|站|所|队)")


def intents(q: str) -> list[str]:
    q = _SCOPE_ASIDE.sub(" ", q)
    found = [name for name, rx in CUES.items() if re.search(rx, q)]
    if "change" in found and "share" in found and not re.search(r"占|比例|比重|份额|成分|part of|share", q, re.I):
        found.remove("share")     # "增长了百分之几": the rate of a change, not a share of anything
    return found


_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ORG_RE = re.compile(r"((?:[\u4e00-\u9fff]{1,6}?(?:省|市|区|县|州))[^的中和与及占，。？?]{0,10}?"
                     r"(?:人民法院|人民检察院|法院|检察院|委员会|办公厅|办事处|人民政府|政府|管理局|局|厅|委|办|署|中心))")
_PLACE_RE = re.compile(r"(?:^|[，,。？?、的在和与及（(])([\u4e00-\u9fff]{2,4}?(?:省|市|区|县|州|镇|街道))")


def years_in(q: str) -> list[int]:
    return [int(y) for y in _YEAR_RE.findall(q)]


def foreign_places(q: str, index: SubjectIndex) -> list[str]:
    """Place names in the question that the document never mentions."""
    out = []
    for m in _PLACE_RE.finditer(q):
        place = re.sub(r"^(?:咱们|我们|你们|他们|俺们|咱)", "", m.group(1))     # "咱们杭州": 杭州
        place = re.sub(r"^(?:今|去|明|本|上|当|前)年度?|^\d{2,4}年度?", "", place)   # "今年市行政中心": the 市 of now
        if len(place) < 2 or place[0] in "不含全各本该" or "不含" in place:
            continue
        core = place[:-1] if len(place) > 2 else place
        # (words the pattern took along before a place the document names: "纳入无锡市" is 无锡市)
        if match_form(core) not in index.doc_text and not any(
                match_form(core[i:]) in index.doc_text for i in range(1, len(core) - 1)):
            out.append(place)
    return out


def foreign_organisations(q: str, index: SubjectIndex) -> list[str]:
    """Bodies named in the question that the document never mentions ("江苏省高级人民法院" in another body's budget)."""
    out = []
    for m in _ORG_RE.finditer(q):
        org = m.group(1)
        key = match_form(org)
        if len(key) >= 5 and key not in index.doc_text and not any(
                key[i:i + 4] in index.doc_text and key[i + 4:] == "" for i in range(len(key) - 3)):
            out.append(org)
    return out


# (not "多少项目支出" / "多少人员经费": the money of a 项目支出 or a 人员经费, as in lexicon's count cue)
_COUNT_UNIT = re.compile(r"(?:几|多少)(辆|台|人(?!员)|名|个|项(?!目(?:支出|经费|资金|预算))|平方米|家)|(人数)|(面积)|"
                         r"(?:几|多少)(?:个|名)?(?:在编|在职|编制内|实有|退休|离休|工作)?(人员|员工|职工)(?!经费|支出)|"
                         r"how many (?:[a-z-]+ ){0,2}(vehicles|cars|people|staff|employees)")


def count_unit(text: str, q: str) -> str | None:
    """The unit a count question asks in (几辆 → 辆, 人数 → 人), from the question as asked and its match form."""
    units = [next(g for g in m.groups() if g) for m in _COUNT_UNIT.finditer(_SCOPE_ASIDE.sub(" ", text.lower() + " " + q))]
    if not units:
        return None
    u = next((x for x in units if x != "个"), units[0])
    return {"家": "个", "名": "人", "人数": "人", "面积": "平方米", "vehicles": "辆", "cars": "辆", "people": "人",
            "staff": "人", "employees": "人", "人员": "人", "员工": "人", "职工": "人"}.get(u, u)


def content_pairs(grams: set[str]) -> set[str]:
    """Character pairs without a function character: "留给" of 预留给, "类采" of 货物类采购 say nothing of which thing."""
    return {g for g in grams if not re.search(r"[的给和与及向对在为是了类]", g)}


def bigrams(text: str, latin: bool = True) -> set[str]:
    """Adjacent character pairs of each Chinese run (and, with `latin`, of each Latin/digit run; a one-character
    Latin run counts as itself)."""
    grams: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+|[a-z0-9]+" if latin else r"[\u4e00-\u9fff]+", text.lower()):
        grams |= {run[i:i + 2] for i in range(len(run) - 1)} if len(run) > 1 else ({run} if latin else set())
    return grams