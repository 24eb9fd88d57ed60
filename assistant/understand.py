"""Understanding a question: what it asks (intents) and which of the document's things it names (mentions).

The subject index is built once per document from its own labels: table rows (label, code, path), column
names paired with the table's total row, figures stated in the narrative ("政府采购安排1916.29万元"), and
change statements (the stated figures themselves are read in `stated`). A mention is the longest stretch of a label found in the question (so a typo or a
suffix like 支出 still links), after synonyms rewrote colloquial words. Nothing here computes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from index.models import ChangeFact, Fact, ParsedDocument

from .crossrows import _COL_YEAR, as_last, past_column, two_classes  # noqa: F401
from .stated import (NOTE, NarrativeFigure, _GENERIC_PART, _core_candidates, core_subject, headed_changes,  # noqa: F401
                     narrative_figures)
from .lexicon import GENERIC_PIECE, NARROWING
from .titles import bare_title, own_rows
from .wordcuts import _ASKING_WORD, _WORD_BEFORE, _best_run, _cuts_word, _grams, another_word, is_word, no_name_here

_DROP = re.compile(r"[“”\"'‘’《》「」\s:：、，,。．.？?！!（）()\[\]【】·…—\-_/]")
_MARKER = re.compile(r"^(?:其中[:：]?)?\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])\s*")




def match_form(text: str) -> str:
    """The form used for matching: NFKC, no quotes, brackets, punctuation or spaces."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text))


def clean_label(label: str) -> str:
    """'其中：（一）因公出国（境）支出' -> '因公出国（境）支出' (numbering removed, text as printed)."""
    prev = None
    while prev != label:
        prev, label = label, _MARKER.sub("", label).strip()
    return label


@dataclass
class Candidate:
    key: str                    # match form of the name
    name: str                   # display name as printed
    kind: str                   # "row", "column", "narrative"
    facts: list[Fact] = field(default_factory=list)        # for row/column candidates
    figure: "NarrativeFigure | None" = None


@dataclass
class Mention:
    start: int
    end: int
    score: float
    candidates: list[Candidate]

    @property
    def name(self) -> str:
        return self.candidates[0].name


# a leaf naming only a source of funds: under an item ("公务接待费·一般公共预算") it splits that item by source
_FUNDING_LEAF = re.compile(r"^(?:一般公共预算|政府性基金预算|国有资本经营预算|财政专户管理资金|财政拨款|"
                           r"上年结转结余|上年结转|当年预算|本年预算)$")
_COLUMN_ALIAS = {"人员类": "人员经费", "公用类": "公用经费"}      # a 基本支出 table's class columns by their class


# tables whose columns are the items (the 三公 table: 因公出国…, 会议费, 培训费 as columns of a 合计 row): their
# total row's cell for the item stands beside rows of the same name elsewhere (选 by `select.canonical`).
ITEMISED_ROLES = frozenset({"sangong", "sangong_meeting_training"})


_MEASURE_ROW = re.compile(r"(?:(?:19|20)\d{2}年度?)?(?:年初|调整|全年)?(?:预算|决算|执行)数?|本年|上年")


def measure_row(f: Fact) -> bool:
    """The cell's row is labelled only by a measure (预算数, 决算数, 年初预算数…): its column is the item."""
    return bool(_MEASURE_ROW.fullmatch(match_form(clean_label(f.row))))


def measure_rows(facts) -> bool:
    """A table of two or more rows, each labelled only by a measure (预算数 | 决算数) over item columns
    (xian-health 公开09表: 会议费 and 培训费 are columns, budgeted and spent are rows)."""
    rows = {(f.row_index, f.side): f for f in facts}
    return len(rows) >= 2 and all(map(measure_row, rows.values()))


class SubjectIndex:
    """Every nameable thing of one document, ready to be found in a question."""

    def __init__(self, parsed: ParsedDocument):
        self.parsed = parsed
        self.titles = {t.id: t.title for t in parsed.tables}
        self.tables = {t.id: t for t in parsed.tables}
        rows: dict[tuple, list[Fact]] = {}
        for f in parsed.facts:
            rows.setdefault((f.table, f.row_index, f.side), []).append(f)
        self.rows = rows = two_classes(rows)
        by_key: dict[str, Candidate] = {}
        bare_titles = {b for t in parsed.tables for b in bare_title(t.title, t.id)}
        for facts in rows.values():
            f0 = facts[0]
            name = clean_label(f0.row)
            if match_form(name) in bare_titles:
                continue          # a one-row table's row is labelled with its title: its columns are the items
            key = match_form(name)
            if len(key) < 2 or key in ("合计", "总计", "小计"):
                continue
            cand = by_key.setdefault(key, Candidate(key=key, name=name, kind="row"))
            cand.facts.extend(facts)
            last = as_last(facts)       # a cross-classified row is also called by its last subject
            if last is not None and len(match_form(last[0])) >= 2:
                by_key.setdefault(match_form(last[0]), Candidate(key=match_form(last[0]), name=last[0],
                                                                 kind="row")).facts.extend(last[1])
            # "…维护支出" / "…接待费支出" are also called "…维护费" / "…接待费"
            if f0.code is None and key.endswith("支出") and len(key) > 4:
                alt = key[:-2] if key[:-2].endswith("费") else key[:-2] + "费"
                by_key.setdefault(alt, Candidate(key=alt, name=name, kind="row")).facts.extend(facts)
        # a column (基本支出, 项目支出, 一般公共预算…) stands for the table's total row in that column
        measure_tables: set[str] = set()
        for t in parsed.tables:
            facts_t = [f for f in parsed.facts if f.table == t.id]
            totals = [f for f in facts_t if f.is_total and f.level == 0]
            if not totals and len({(f.row_index, f.side) for f in facts_t}) == 1:
                totals = facts_t          # a one-row table (the 三公 table of some templates): columns are items
            measures = not totals and measure_rows(facts_t)
            if measures:
                measure_tables.add(t.id)                  # rows 预算数 | 决算数 under item columns: each column is an item, of both
                totals = sorted(facts_t, key=lambda f: 0 if self._own_kind(parsed, f.row) else 1)
            first_total = {}
            for f in totals:
                first_total.setdefault(f.column, f)
            one_row = totals is facts_t or bool(measures)
            for col, f in first_total.items():
                parts = col.split("·")
                leaf = parts[-1]
                if leaf in ("小计", "合计") and len(parts) > 1:
                    leaf = parts[-2]          # "“三公”经费·小计" is the 三公 total
                key = match_form(leaf)
                if len(key) < 2 or key in ("合计", "总计", "小计", "预算", "预算数", "金额") or \
                        (col == t.columns[0] and not one_row):
                    continue
                if one_row and _FUNDING_LEAF.match(leaf) and len(parts) > 1:
                    continue          # the one row's item by source of funds, not the department's 一般公共预算
                for k in filter(None, (key, _COLUMN_ALIAS.get(key))):
                    cand = by_key.setdefault(k, Candidate(key=k, name=leaf, kind="column"))
                    if cand.kind == "column" or one_row or (t.role in ITEMISED_ROLES and not past_column(col, t.columns)):
                        cand.facts.append(f)      # the 三公 table's own column is a candidate beside rows of that name
                        if measures:              # (and the column's other measures after the document's own)
                            cand.facts += [g for g in totals if g.column == col and g is not f]
            # the 三公 table's this-year 合计 column is the 三公 total, however its header is worded
            sums = [f for col, f in first_total.items() if t.role == "sangong" and not past_column(col, t.columns) and (
                match_form(col) in ("三公经费合计", "三公经费") or col.split("·")[-1] == "合计" and len(col.split("·")) <= 2
                and (col == "合计" or re.fullmatch(r"\d{4}年[^·]*|[^·]*[预决]算[^·]*", col.split("·")[0])))]
            # a 决算 table prints the budgeted and the final total: the document's own kind is the figure
            kind = parsed.document.kind or ""
            sums.sort(key=lambda f: 0 if kind and kind in f.column.split("·")[0] else 1)
            if not sums and t.role == "sangong" and not one_row:      # items as rows: the 合计 row is the total
                sums = [f for f in totals if match_form(clean_label(f.row)) in ("合计", "总计", "三公经费合计")
                        and not past_column(f.column, t.columns) and f.column == t.columns[0]]
            if sums and "三公经费" not in by_key:
                by_key["三公经费"] = Candidate(key="三公经费", name="“三公”经费合计", kind="column", facts=sums[:1])
        # "支出总计" where the table prints "支出合计" (and the other way round): one total, two words for it
        for key in [k for k in by_key if re.fullmatch(r"(?:本年)?(?:收入|支出)(?:合计|总计)", k)]:
            alias = key[:-2] + ("总计" if key.endswith("合计") else "合计")
            if alias not in by_key and all(f.is_total for f in by_key[key].facts):
                by_key[alias] = Candidate(key=alias, name=by_key[key].name, kind=by_key[key].kind,
                                          facts=list(by_key[key].facts))
        # a 决算 table prints an item budgeted and spent: the document's own kind first ("决算数·公务接待费")
        other = {"决算": "预算", "预算": "决算"}.get(parsed.document.kind or "")
        for c in by_key.values():
            if other and len(c.facts) > 1:
                c.facts.sort(key=lambda f: 1 if other in f.column.split("·")[0] else 0)
        # "局本级" / "本级": the department's own unit row (as opposed to its subordinate units)
        dept = by_key.get(match_form(parsed.document.department or "-"))
        if dept is not None:
            own = own_rows(dept.facts)
            for alias in ("局本级", "部门本级", "机关本级", "本级"):
                by_key.setdefault(alias, Candidate(key=alias, name=dept.name, kind="row", facts=own or dept.facts))
        self.candidates = list(by_key.values())
        # a name ending in brackets ("业务用房物业管理费（市版权保护中心）"): its end names whose it is, not what it
        # is, so that end alone does not call it (see `score`)
        self.bracket_tails = {c.key: len(match_form(m.group(1))) for c in self.candidates
                              if (m := re.search(r"[（(]([^（()）]+)[)）]$", c.name))}
        self.one_row_tables = {t.id for t in parsed.tables
                               if len({(f.row_index, f.side) for f in parsed.facts if f.table == t.id}) == 1} | \
            measure_tables
        self.figures = narrative_figures(parsed)
        self.narr_candidates = []
        for fig in self.figures:
            # "市局停车设施建设（结转结余）": the bracket qualifies the item, it is not the item's own end
            key = match_form(re.sub(r"[（(][^（）()]*[）)]$", "", fig.subject)) or match_form(fig.subject)
            if len(key) >= 2 and not re.fullmatch(r"(?:上|去|今|本|当|明)年度?|上一年|(?:19|20)\d{2}年度?", key):
                self.narr_candidates.append(Candidate(key=key, name=fig.subject, kind="narrative", figure=fig))
        self.narr_candidates += _core_candidates(self.figures, parsed.document.department or "",
                                                 {c.key for c in self.candidates} |
                                                 {c.key for c in self.narr_candidates}, parsed.document.kind or "")
        # subject codes ("2010301", "30217") name their rows exactly
        self.codes: dict[str, Candidate] = {}
        for facts in rows.values():
            f0 = facts[0]
            if f0.code:
                c = self.codes.setdefault(f0.code, Candidate(key=f0.code, name=clean_label(f0.row), kind="row"))
                c.facts.extend(facts)
        self.all_keys = [c.key for c in self.candidates]
        self.changes: list[ChangeFact] = headed_changes(parsed)
        self.doc_text = match_form("".join(parsed.page_texts))

    @staticmethod
    def _own_kind(parsed: ParsedDocument, row: str) -> bool:
        kind = parsed.document.kind or ""
        return bool(kind) and kind in row

    def question_form(self, text: str) -> str:
        """Match form of a question with colloquial words rewritten to the document's terms."""
        labels = getattr(self, "_labels", None)
        if labels is None:          # (a narrative's names too: "应急保障用车" is no 公务用车 to rewrite)
            labels = self._labels = tuple(self.all_keys) + tuple(c.key for c in self.narr_candidates)
        q = match_form(text)
        for key in getattr(self, "_ji_keys", None) or self._joined():
            for word in ("和", "与"):      # "公务用车购置和运行维护费" is the printed "…购置及运行维护费"
                said = key.replace("及", word)
                if said in q and key not in q:
                    q = q.replace(said, key)
        if "的" in q:
            q = self._without_de(q)
        from .question_words import rewrite
        return rewrite(q, labels)

    def _without_de(self, q: str) -> str:
        """A printed name asked with a 的 inside it ("港珠澳大桥珠海公路口岸的安检服务经费" for the row
        "港珠澳大桥珠海公路口岸安检服务经费"): the name as printed, when both sides of the 的 are 2+ characters of it."""
        keys = getattr(self, "_long_keys", None)
        if keys is None:
            keys = self._long_keys = tuple(sorted({k for k in self.all_keys if len(k) >= 6 and "的" not in k},
                                                  key=len, reverse=True))
        at = q.find("的")
        while at >= 0:
            joined = q[:at] + q[at + 1:]
            if any(key not in q and (i := joined.find(key)) >= 0 and i + 2 <= at <= i + len(key) - 2
                   for key in keys):
                q = joined                # (the 的 stood inside the name, two characters or more either side)
                at = q.find("的", at)
            else:
                at = q.find("的", at + 1)
        return q

    def _joined(self) -> tuple[str, ...]:
        """Labels joining two things with 及 (longest first), asked with 和 or 与 as often as with 及."""
        self._ji_keys = tuple(sorted({k for k in self.all_keys if "及" in k and len(k) >= 5}, key=len, reverse=True))
        return self._ji_keys

    # -- linking -----------------------------------------------------------------------------------
    @staticmethod
    def _best_span(key: str, q: str) -> tuple[int, int, int]:
        """Longest stretch of `key` found in `q`: (length, start in q, start in key)."""
        best = (0, -1, -1)
        n = len(key)
        for i in range(n):
            if n - i <= best[0]:
                break
            lo = best[0] + 1
            if key[i:i + lo] not in q:
                continue
            j = i + lo
            while j < n and key[i:j + 1] in q:
                j += 1
            best = (j - i, q.find(key[i:j]), i)
        return best

    def score(self, key: str, q: str) -> tuple[float, int, int]:
        length, pos, kpos = self._best_span(key, q)
        while 2 < length < len(key) and pos + length < len(q) and is_word(q[pos + length - 1:pos + length + 1]) \
                and not _ASKING_WORD.match(q, pos + length):   # (not "支出|去年": 出去 is no word of this question)
            length -= 1               # a part of a name ending inside a word of the question ("…涉及财" of 财政)
        q_next, k_next = q[pos + length:pos + length + 2], key[kpos + length:kpos + length + 2]
        if length < len(key) and len(q_next) == len(k_next) == 2 and q_next != k_next and is_word(q_next) and \
                is_word(k_next) and not GENERIC_PIECE.match(q_next) and not GENERIC_PIECE.match(k_next) and \
                not _ASKING_WORD.match(q_next):
            return 0.0, -1, -1        # the two go on in different words: another thing ("市商务发展专项" is not
            # "市商务发展一般性项目")
        if length < 2 or (key.startswith("其他") and kpos >= 2):
            return 0.0, -1, -1        # "其他X支出" is the rest of X's group: a question not saying 其他 never means it
        cover = length / len(key)
        nxt = q[pos + length:pos + length + 2]
        ins = key.find(nxt, kpos + length + 1) - (kpos + length) if len(nxt) == 2 else -1
        if kpos == 0 and 2 <= ins <= 4:
            return 0.0, -1, -1        # the name inserts words into the question's phrase: "政府采购货物预算" is
            # a part of the 政府采购预算 asked (其中), not it
        if any(0 <= key.find(w) < kpos < key.find(w) + len(w) for w in NARROWING) or \
                (length < len(key) and key[kpos:kpos + length] in NARROWING):
            return 0.0, -1, -1        # the stretch cuts a narrowing word ("基本支出预算" is not called by "支出预算")
            # or is one alone ("财政拨款安排的…" names no 财政拨款收入: it qualifies what follows)
        if length >= 4 and kpos + length == len(key) and cover < 0.5 and not re.search(r"[及和与、]", key[:kpos]) \
                and not _GENERIC_PART.match(key[kpos:]) and \
                length > getattr(self, "bracket_tails", {}).get(key, 0):   # (not "…项目结转结余" for 结转结余)
            return length * 0.8, pos, pos + length   # "…一般公共预算机关运行经费" called by its end
        if cover < 0.5 or (length == 2 and cover < 1) or (length == 3 and cover < 0.75):
            # a long name may be called by a stretch of it no other name has ("惠云眼", "云资源租用")
            span = key[kpos:kpos + length]
            if length >= 3 and len(re.findall(r"[\u4e00-\u9fff]", span)) >= 2 and not re.search(r"\d{4}年", span) and \
                    not GENERIC_PIECE.match(span) and not re.search(r"[及和与、]", key[max(kpos - 1, 0):kpos] +
                                                                       key[kpos + length:kpos + length + 1]) and \
                    sum(1 for k in getattr(self, "all_keys", ()) if span in k) == 1 and span in key and \
                    not _cuts_word(q, pos, pos + length):
                return length * 0.6, pos, pos + length
            return 0.0, -1, -1
        return length * cover, pos, pos + length

    def fuzzy(self, q: str) -> list["Mention"]:
        """One wrong character in a name of four or more ("公务接侍费", "住房公基金").

        Linear in the question: a name with one wrong character has one of its two halves intact, so only
        the places where some name's half occurs exactly (found by hashing the question's slices, one per
        half length) are compared in full. The best is the longest name, then the earliest name, then the
        leftmost place, as a scan over every name and place would pick."""
        best: tuple[float, int, int] | None = None           # (score, -name number, -start)
        tried: set[tuple[int, int]] = set()
        for size, pieces in self._fuzzy_halves().items():
            for p in range(len(q) - size + 1):
                for ci, off in pieces.get(q[p:p + size], ()):
                    key = self.candidates[ci].key
                    i, n = p - off, len(key)
                    if i < 0 or i + n > len(q) or (ci, i) in tried:
                        continue
                    tried.add((ci, i))
                    if sum(1 for a, b in zip(q[i:i + n], key) if a != b) == 1 and \
                            not another_word(q[i:i + n], key):
                        rank = ((n - 1) * 0.9, -ci, -i)
                        if best is None or rank > best:
                            best = rank
        if best is None:
            return []
        cand = self.candidates[-best[1]]
        return [Mention(-best[2], -best[2] + len(cand.key), best[0], [cand])]

    def _fuzzy_halves(self) -> dict[int, dict[str, list[tuple[int, int]]]]:
        """{half length: {half of a name: [(name number, offset of the half in the name)]}}, names of 4+."""
        halves = getattr(self, "_halves", None)
        if halves is None:
            halves = {}
            for ci, cand in enumerate(self.candidates):
                n = len(cand.key)
                if n < 4:
                    continue
                h = n // 2
                for off, piece in ((0, cand.key[:h]), (h, cand.key[h:])):
                    halves.setdefault(len(piece), {}).setdefault(piece, []).append((ci, off))
            self._halves = halves
        return halves

    def _parts_named(self, q: str, taken: list[Mention]) -> list[Mention]:
        """Parts of a stated figure called by the words that set them apart from it: "政府采购预算中工程类的"
        names 政府采购工程预算 (stated after 其中 in the sentence of 政府采购预算 4821.20) by 工程, which
        the whole's name lacks. A part is added as a mention where those words stand in the question,
        outside every other mention, when exactly one part of the sentence is called so."""
        out: list[Mention] = []
        for m in taken:
            whole = next((c for c in m.candidates if c.kind == "narrative" and c.figure is not None
                          and not c.figure.part), None)
            if whole is None:
                continue
            best: dict[int, list] = {}
            for c in self.narr_candidates:
                f = c.figure
                if f is None or not f.part or f.quote != whole.figure.quote or f.page != whole.figure.page:
                    continue
                runs = re.findall("[^" + re.escape(whole.key) + "]+", c.key)
                for run in runs + [r[:-1] for r in runs if r.endswith("类")]:     # 服务类 called 服务
                    if len(run) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", run) or GENERIC_PIECE.match(run):
                        continue
                    pos = q.find(run)
                    if pos >= 0 and not any(pos < o.end and o.start < pos + len(run) for o in taken + out):
                        best.setdefault(len(run), []).append((pos, c))
            # each stretch that calls exactly one part, longest first ("服务类比货物类": both parts)
            for n in sorted(best, reverse=True):
                by_pos: dict[int, list] = {}
                for pos, c in best[n]:
                    by_pos.setdefault(pos, []).append(c)
                for pos, cs in sorted(by_pos.items()):
                    if len({id(c) for c in cs}) == 1 and \
                            not any(pos < o.end and o.start < pos + n for o in taken + out):
                        out.append(Mention(pos, pos + n, float(n), [cs[0]]))
        return out

    def _inside_printed(self, q: str, a: int, b: int, key: str, memo: dict) -> bool:
        """q[a:b] lies inside a longer name the document prints word for word, with characters of it on both
        sides ("社区|公共服务|中心新建工程"), and that name does not hold `key`: the span names a piece of the
        longer thing, not the row or column `key`."""
        if (a, b) not in memo:
            cjk = lambda i: 0 <= i < len(q) and "\u4e00" <= q[i] <= "\u9fff" and q[i] != "的"
            i, j = a, b
            while cjk(i - 1) and q[i - 1:j] in self.doc_text:
                i -= 1
            while cjk(j) and q[i:j + 1] in self.doc_text:
                j += 1
            memo[(a, b)] = q[i:j] if i < a and j > b and (a - i) + (j - b) >= 3 else ""
        return bool(memo[(a, b)]) and key not in memo[(a, b)]

    def mentions(self, q: str, include_narrative: bool = True) -> list[Mention]:
        """Non-overlapping mentions in the question, best first claimed, returned in question order."""
        scored: list[tuple[float, int, int, Candidate]] = []
        pool = self.candidates + (self.narr_candidates if include_narrative else [])
        qgrams = _grams(q)
        qgram_set = set(qgrams)
        fund_words = [(w, m.start()) for w in NARROWING for m in re.finditer(re.escape(w), q)]
        inside: dict[tuple[int, int], str] = {}
        for cand in pool:
            s, a, b = self.score(cand.key, q)
            if cand.kind == "narrative" and len(cand.key) >= 8:
                core = re.sub(r"项目|金额|总额|资金", "", cand.key)      # (words a question may leave out)
                best = (0.0, [])
                for kg in {frozenset(_grams(cand.key)), frozenset(_grams(core if len(core) >= 6 else cand.key))}:
                    run = _best_run(qgrams, kg & qgram_set)   # one stretch of the question, not grams far apart
                    best = max(best, (len({qgrams[i] for i in run}) / len(kg) if kg else 0, run))
                cover, run = best
                if cover >= 0.6 and len(run) >= 4 and cover * len(cand.key) * 0.6 > s:
                    s, a, b = cover * len(cand.key) * 0.6, run[0], run[-1] + 2
            if s > 0 and no_name_here(q, a, b, cand, fund_words):
                continue          # a year, a generic word, a piece of a longer word or of a fund's name (wordcuts)
            if s > 0 and cand.kind != "narrative" and self._inside_printed(q, a, b, cand.key, inside):
                continue          # "社区公共服务中心新建工程": its 公共服务 is no 一般公共服务支出
            if s > 0:
                if cand.kind == "narrative":
                    s -= 0.5          # a table cell is preferred to a sentence naming the same thing
                    if cand.figure is not None and cand.name != cand.figure.subject:
                        s -= 0.25     # and a sentence's own words to its name without the department's
                scored.append((s, a, b, cand))
        for m in re.finditer(r"(?<!\d)(\d{3,7})(?!\d)", q):
            cand = self.codes.get(m.group(1))
            if cand is not None:
                scored.append((20.0, m.start(), m.end(), cand))
        scored.sort(key=lambda x: (-x[0], x[1]))
        taken: list[Mention] = []
        for s, a, b, cand in scored:
            same = next((m for m in taken if m.start == a and m.end == b), None)
            if same is not None:
                if abs(same.score - s) < 1e-9 or (cand.kind == "narrative" and same.score - s <= 0.5 + 1e-9):
                    same.candidates.append(cand)
                continue
            if any(a < m.end and m.start < b for m in taken):
                continue
            if a > 0 and q[a - 1] == "非" and not cand.key.startswith("非"):
                continue      # "非财政拨款资金" names the other funds, not 财政拨款
            taken.append(Mention(a, b, s, [cand]))
        taken += self._parts_named(q, taken)
        if not taken:         # a corrected name stands for a whole word, not the tail of another ("资本性支出")
            taken = [m for m in self.fuzzy(q) if m.start == 0 or not "\u4e00" <= q[m.start - 1] <= "\u9fff"
                     or q[m.start - 1] in _WORD_BEFORE]
        return sorted(taken, key=lambda m: m.start)
