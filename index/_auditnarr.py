"""Narrative checks of the consistency audit (see `index.audit`): figures the narrative states ("“三公”经费8.82万元",
"公共安全（类）支出…万元", 收入预算, 基本支出, 机关运行经费 …) against the table figure they name, the percents of
change statements (read by `index.narrative.extract_changes`) against their own amounts, and "占…%" shares
(those two in `index._auditnarrpct`).

Only subjects that name a table figure unambiguously are checked: a keyword that merely qualifies another
subject ("委托业务费财政拨款…"), a figure of another year or measure, or a part of 项目支出 compared with a whole
row, is not. Amounts are compared at the narrative's own precision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .audit import Evidence, Finding
from .models import ParsedDocument, Section, normalize_ws
from ._auditpct import _at_precision_of, _dec, _places

_AMT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_VAL_RE = re.compile(rf"({_AMT})(万元|亿元)")
_CLAUSE_END = re.compile(r"[。；;，！？]|,(?!\d{3})")
_CLAUSE_END_COLON = re.compile(r"[。；;，！？:：]|,(?!\d{3})")
_NOT_CURRENT = re.compile(r"上年|比\d{4}|比上|较|增加|减少|增长|下降|执行数|决算|占|同比|增幅|降幅|压减|调增|调减|"
                          r"预留给|面向|涉及|单价|用款计划|以上|以下|截至")
_TOKEN_RE = re.compile(r"([^（）()“”\"：:，,。；;]+?)[（(](类|款|项)[)）]")
_ORD = re.compile(r"^(?:其中[:：]?)?(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、．.]|\d+\s*[.．、])+")
_ITEM_RE = re.compile(rf"“([^”]{{2,90}}?[（(]项[)）])”(?:科目)?({_AMT})万元")
_ITEM_CHANGE = re.compile(rf"(\d{{4}})年(?:当年)?预算执行数为({_AMT})万元[，,](\d{{4}})年预算安排({_AMT})万元[，,]"
                          rf"比\d{{4}}年预算执行数(增加|减少|持平)(?:({_AMT})%)?")

# subject keyword -> figure key, most specific first
_KEYS = (
    (r"因公出国", "abroad"), (r"购置及运行", "car"), (r"机关运行经费|行政经费", "office"),
    (r"公务用车购置", "car_buy"), (r"公务用车运行", "car_run"), (r"公务接待", "reception"),
    (r"会议费", "meeting"), (r"培训费", "training"), (r"三公", "total"),
    (r"政府采购(?:支出)?预算(?:总额|总金额)?为?$|政府采购安排$", "procure"), (r"政府采购", None),
    (r"人员经费", "personnel"), (r"公用经费", "public"), (r"预留机动", "reserve"), (r"基本支出", "basic"),
    (r"项目支出", "project"), (r"政府性基金|国有资本经营|事业收入|经营收入|其他收入", None),
    (r"一般公共预算.*收入", "gpb_in"), (r"一般公共预算", "gpb_out"), (r"财政拨款", "fiscal"),
    (r"其他资金", "other_funds"),
    (r"(?<!资金)(?<!拨款)(?<!预算)(?<!基金)(?:收入、支出|收、支|收支)预算(?:总计|合计)?为?$", "income_total"),
    (r"(?<!资金)(?<!拨款)(?<!预算)(?<!基金)收入预算(?:总计|合计)?为?$", "income_total"),
    (r"(?<!资金)(?<!拨款)(?<!预算)(?<!基金)支出预算(?:总计|合计)?为?$", "expend_total"),
)
_INLINE_ORD = re.compile(r"[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、")
_ITEM_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:经费|费)(?!用途)")
_WHOLE_KEYS = ("income_total", "expend_total", "fiscal", "gpb_in", "gpb_out", "basic", "project", "total")
_SUBJECT_FILLER = re.compile(r"\d{4}年(?:度)?|本部门|本单位|我部门|我单位|本局|部门|单位|全年|年度|当年|全部|财政拨款|"
                             r"一般公共预算|安排|预算|拨款|"
                             r"[（(][^）)]*[）)]|[“”\"、的]|其中[:：]?|合计|总计|共计")
_SANGONG_FIG_KEYS = ("abroad", "car", "car_buy", "car_run", "reception", "meeting", "training", "total")


@dataclass
class _Claim:
    key: str                 # figure key ("total", "basic", …) or "code:2040401"
    subject: str
    value: Decimal
    unit: str
    quote: str
    section: Section
    pos: int
    measure: str = ""        # "项目支出" / "基本支出" when the figure is that part of its subject


class Narrative:
    def __init__(self, parsed: ParsedDocument, rows):
        from . import _auditchecks as C
        self.C = C
        self.parsed = parsed
        self.K = C.tabs_by_kind(parsed, rows)
        self.sections = self._narrative_sections()
        self.texts = {s.id: re.sub(r"\s+", "", s.text) for s in self.sections}
        self.codes = self._code_labels()
        self.year = parsed.document.year
        self._page_norm = [normalize_ws(t) for t in parsed.page_texts]
        self._weak: set[int] = set()

    # -------------------------------------------------------------------------------------- inputs

    def _narrative_sections(self) -> list[Section]:
        titles = {t.title for t in self.parsed.tables}
        secs = [s for s in self.parsed.sections if not (s.heading and s.heading[0] in titles)]
        if secs or not self.parsed.page_texts:
            return secs
        table_pages = {p for t in self.parsed.tables for p in t.pages}
        return [Section(id=f"p{i:03d}", heading=(), text=txt, pages=(i,))
                for i, txt in enumerate(self.parsed.page_texts, 1) if i not in table_pages and txt.strip()]

    def _code_labels(self) -> dict[str, str]:
        C = self.C
        out: dict[str, str] = {}
        for k in (C.INCOME, C.EXPEND, C.FISCAL_FUNC, C.GPB_FUNC):
            for r in (self.K[k].rows if k in self.K else []):
                if r.code and r.code.startswith("2"):
                    out.setdefault(r.code, re.sub(r"\s", "", r.label))
        return out

    def _evidence(self, sec: Section, quote: str) -> "Evidence":
        """Evidence for a narrative quote, on the page whose text holds the longest part of its start."""
        q = normalize_ws(quote)
        page = sec.pages[0] if sec.pages else 1
        pages = [p for p in sec.pages if 0 < p <= len(self._page_norm)]
        for n in (len(q), 40, 24, 12):
            hits = [p for p in pages if q[:n] and q[:n] in self._page_norm[p - 1]]
            if hits:
                page = hits[0]
                break
        return Evidence(" ".join(sec.heading) or "说明", page, quote)

    @staticmethod
    def _sentence(text: str, start: int, end: int) -> str:
        stop = min([i for i in (text.find("。", end), text.find("；", end)) if i >= 0] or [len(text)])
        return text[start:min(stop + 1, end + 120)]

    # -------------------------------------------------------------------------------------- subjects

    def _resolve_tokens(self, phrase: str, context: str = "") -> str | None:
        """(类)/(款)/(项) names -> a functional code, when every name matches exactly one subject."""
        norm = lambda x: re.sub(r"支出$", "", _ORD.sub("", x.strip("“”\"").strip()))     # noqa: E731
        tokens = _TOKEN_RE.findall(phrase)
        if not tokens:
            return None
        prefix = ""
        ctx = _TOKEN_RE.findall(context)
        for name, lvl in ctx:
            if lvl == "类":
                hits = [c for c, lab in self.codes.items() if len(c) == 3 and norm(lab) == norm(name)]
                if len(hits) == 1:
                    prefix = hits[0]
        code = None
        for name, lvl in tokens:
            n = {"类": 3, "款": 5, "项": 7}[lvl]
            hits = [c for c, lab in self.codes.items()
                    if len(c) == n and norm(lab) == norm(name) and c.startswith(prefix)]
            if len(hits) != 1:
                return None
            code = prefix = hits[0]
        return code

    def _classify(self, phrase: str, full: str, context: str) -> tuple[str, str] | None:
        if _TOKEN_RE.search(full):
            code = self._resolve_tokens(full, context)
            return (f"code:{code}", self.codes[code]) if code else None
        bare = _ORD.sub("", phrase).strip("“”\"")
        for c, lab in self.codes.items():
            if len(c) == 3 and bare == lab:
                return f"code:{c}", lab
        for pat, key in _KEYS:
            m = re.search(pat, phrase)
            if m:
                if key is None or self._qualified(phrase, m, key):
                    return None
                return key, bare
        return None

    def _qualified(self, phrase: str, m: re.Match, key: str) -> bool:
        """The keyword only qualifies another subject: "委托业务费财政拨款预算总额" and "财政拨款运行经费" are
        about 委托业务费 and 运行经费, not 财政拨款; "上级专项转移支付支出预算" is not the whole 支出预算."""
        end = m.end()
        while end < len(phrase) and phrase[end] in "”\"":
            end += 1
        fee = re.match(r"经费|费", phrase[end:])
        end += fee.end() if fee else 0
        for item in _ITEM_WORD.finditer(phrase):
            if item.end() <= m.start() or item.start() >= end:
                return True
            if item.end() > end and not phrase[m.start():end].endswith("费"):
                return True           # "一般公共预算财政拨款运行经费": the 费 item runs on past the keyword
        if key in _WHOLE_KEYS:
            rest = _SUBJECT_FILLER.sub("", phrase[:m.start()].replace(self.parsed.document.department or "\0", ""))
            return bool(rest)
        return False

    def _figures(self, key: str, measure: str = "") -> list:
        C, K = self.C, self.K
        if key.startswith("code:"):
            code = key[5:]
            figs = []
            for k in (C.INCOME, C.EXPEND, C.FISCAL_FUNC, C.GPB_FUNC):
                tab = K.get(k)
                for r in (tab.rows if tab else []):
                    if r.code == code:
                        if measure:     # "项目支出…，其中：教育支出270万元": the 项目支出 column, or nothing
                            col = next((c for c in r.cells if C.leaf(c) == measure), None)
                            figs.append(C.fig_of(r, col) if col else None)
                        else:
                            figs.append(C.fig_of(r, C._main_col(r)))
            if len(code) == 3 and not measure:
                label = self.codes.get(code)
                for k in (C.OVERALL, C.FISCAL):
                    tab = K.get(k)
                    for r in (tab.rows if tab else []):
                        if r.side == "支出" and r.bare == label:
                            figs.append(C.fig_of(r, C._main_col(r, exclude=r"支出用途")))
            return figs
        if key in _SANGONG_FIG_KEYS or key == "office":
            measure, avoid = C.sangong_measures(self.parsed)
            items = C.sangong_items(K.get(C.SANGONG), measure=measure, avoid=avoid)
            figs = [items.get(key)]
            if key == "office":
                figs.append(C.grand(K.get(C.OFFICE)))
            return figs
        basic_econ = K.get(C.GPB_BASIC) or K.get(C.FISCAL_BASIC)
        if key == "procure":
            return [C.grand(K.get(C.PROCURE))]
        if key in ("personnel", "public"):
            figs = [C.grand(K.get(C.GPB_BASIC), col_re="人员经费" if key == "personnel" else "公用经费")]
            for tab in (K.get(C.FISCAL_BASIC), K.get(C.GPB_BASIC)):
                codes = [("301", "303")] if key == "personnel" else [("302",), ("302", "310")]
                for cs in codes:
                    fig = C._sum_figs([C._code_fig(tab, c) for c in cs],
                                      f"{tab.table.id}经济科目{'+'.join(cs)}合计" if tab else "")
                    if fig is not None:
                        self._weak.add(id(fig))    # a definition (人员经费 = 301 + 303) some templates draw otherwise
                    figs.append(fig)
            return figs
        rows_of = lambda k, pat, side: C.find_row(K.get(k), pat, side)     # noqa: E731
        if key == "reserve":
            return [C.grand(K.get(C.EXPEND), col_re="预留机动"), rows_of(C.OVERALL, "预留机动", "支出"),
                    rows_of(C.FISCAL, "预留机动", "支出")]
        if key in ("basic", "project"):
            word = "基本支出" if key == "basic" else "项目支出"
            figs = [C.grand(K.get(C.EXPEND), col_re=f"^{word}$"), rows_of(C.OVERALL, f"^{word}$", "支出"),
                    rows_of(C.FISCAL, f"^{word}$", "支出"), C.grand(K.get(C.GPB_FUNC), col_re=word)]
            if key == "basic":
                figs += [C.grand(K.get(C.FISCAL_BASIC)), C.grand(basic_econ)]
            else:
                figs += [C.grand(K.get(C.GPB_PROJECT)), C.grand(K.get(C.DEPT_PROJECT), col_re=r"^(?:总计|合计)$")]
            return figs
        if key == "gpb_in":
            return [rows_of(C.FISCAL, "^一般公共预算", "收入"), rows_of(C.OVERALL, "^一般公共预算", "收入"),
                    rows_of(C.INCOME, "^一般公共预算", None), C.grand(K.get(C.GPB_FUNC))]
        if key == "gpb_out":
            return [C.grand(K.get(C.GPB_FUNC)), rows_of(C.FISCAL, "^一般公共预算", "收入"),
                    C.grand(K.get(C.FISCAL), side="支出", col_re="^一般公共预算$")]
        if key == "fiscal":
            return [C.fiscal_this_year(K.get(C.FISCAL)), C.this_year_total(K.get(C.FISCAL), "支出"),
                    C.side_total(K.get(C.FISCAL), "收入"), C.side_total(K.get(C.FISCAL), "支出"),
                    rows_of(C.OVERALL, "^(?:财政拨款|预算拨款)", "收入"), C.grand(K.get(C.FISCAL_FUNC))]
        if key == "other_funds":
            return [rows_of(C.OVERALL, "^其他资金", "收入"), rows_of(C.INCOME, "^其他资金", None)]
        if key == "income_total":
            return [C.side_total(K.get(C.OVERALL), "收入"), C.this_year_total(K.get(C.OVERALL), "收入"),
                    C.grand(K.get(C.INCOME))]
        if key == "expend_total":
            return [C.side_total(K.get(C.OVERALL), "支出"), C.this_year_total(K.get(C.OVERALL), "支出"),
                    C.grand(K.get(C.EXPEND))]
        return []

    # -------------------------------------------------------------------------------------- claims

    def _claims(self) -> list[_Claim]:
        out: list[_Claim] = []
        for sec in self.sections:
            text = self.texts[sec.id]
            context = " ".join(sec.heading)
            for m in _VAL_RE.finditer(text):
                start = max([x.end() for x in _CLAUSE_END.finditer(text, max(0, m.start() - 80), m.start())]
                            or [max(0, m.start() - 80)])
                cstart = max([x.end() for x in _CLAUSE_END_COLON.finditer(text, start, m.start())] or [start])
                earlier = list(_VAL_RE.finditer(text, start, m.start()))
                if earlier:                      # "…3.22万元（公务用车购置费0万元…": start after the last amount
                    start = cstart = earlier[-1].end()
                full = text[start:m.start()]
                phrase = _ORD.sub("", _ORD.sub("", text[cstart:m.start()]).lstrip("（(）)、"))
                inner = _INLINE_ORD.split(phrase)        # "…情况（三）年终结转结余资金": the subject follows the ordinal
                if len(inner) > 1 and inner[-1]:
                    phrase = full = inner[-1]
                if not phrase or _NOT_CURRENT.search(phrase):
                    continue
                if self.parsed.document.kind == "决算" and re.search(r"年初预算|调整预算|预算数", full + phrase):
                    continue      # a final account's tables hold 决算数: a budget figure is another measure
                years = re.findall(r"(20\d\d)年", phrase)
                if self.year and any(int(y) != self.year for y in years):
                    continue
                cls = self._classify(phrase, full, context)
                if cls is None:
                    continue
                key, subject = cls
                s0 = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
                lead = text[s0:m.start()]
                qz = lead.rfind("其中")
                part = re.findall(r"项目支出|基本支出", lead[:qz]) if qz > 0 and key.startswith("code:") else []
                out.append(_Claim(key, subject, _dec(m.group(1)), m.group(2),
                                  self._sentence(text, start, m.end()), sec, m.start(), part[-1] if part else ""))
            # Shanghai: "“…（项）”25.77万元 … 2023年当年预算执行数为…，2024年预算安排25.77万元，…"
            items = list(_ITEM_RE.finditer(text))
            for i, m in enumerate(items):
                code = self._resolve_tokens(m.group(1))
                if not code:
                    continue
                body = text[m.end():items[i + 1].start() if i + 1 < len(items) else len(text)]
                cm = _ITEM_CHANGE.search(body)
                if cm and (not self.year or int(cm.group(3)) == self.year):
                    out.append(_Claim(f"code:{code}", self.codes[code], _dec(cm.group(4)), "万元",
                                      body[cm.start():cm.end()], sec, m.end() + cm.start()))
        return out

    # -------------------------------------------------------------------------------------- checks

    def check(self) -> list["Finding"]:
        from ._auditnarrpct import check_changes, check_shares
        out: list[Finding] = []
        claims = self._claims()
        out += self._check_claims(claims)
        out += check_changes(self)
        out += check_shares(self)
        return out

    def _check_claims(self, claims: list[_Claim]) -> list["Finding"]:
        C = self.C
        out: list[Finding] = []
        seen = set()
        missing_sangong = False
        for cl in claims:
            k = (cl.key, cl.value, cl.section.id)
            if k in seen:
                continue
            seen.add(k)
            figs = [f for f in self._figures(cl.key, cl.measure) if f is not None]
            if not figs:
                if cl.key in _SANGONG_FIG_KEYS and self.K.get(C.SANGONG) is None and not missing_sangong:
                    missing_sangong = True
                    out.append(Finding("info", "narrative_vs_table",
                                       f"说明中列有“{cl.subject}”{C.fmt(cl.value)}{cl.unit}，但未找到“三公”经费预算表，无法核对",
                                       None, cl.value, None, (self._evidence(cl.section, cl.quote),)))
                continue
            best = None
            for f in figs:
                e, a, unit, q = C.to_common(f.value, f.unit, cl.value, cl.unit)
                e = _at_precision_of(e, a, unit)
                q = max(q, Decimal(1).scaleb(-(max(_places(a), 2) if unit in ("万元", "亿元") else _places(a))))
                diff = a - e
                if diff == 0:
                    best = None
                    break
                if best is None or abs(diff) < abs(best[3]):
                    best = (f, e, a, diff, unit, q)
            else:
                if best is None or id(best[0]) in self._weak:
                    continue          # agreeing with a code sum confirms; disagreeing with one proves nothing
                f, e, a, diff, unit, q = best
                sev = C.grade(diff, q)
                msg = f"说明称“{cl.subject}”为{C.fmt(a)}{unit}，{f.what}为{C.fmt(e)}{unit}，相差{C.fmt(diff)}{unit}"
                out.append(Finding(sev, "narrative_vs_table", msg, e, a, diff,
                                   (self._evidence(cl.section, cl.quote),) + f.evidence))
        return out
