"""Per-document state the assistant keeps: the parsed document, its subject index, its retriever, and the
normalised page texts that quotes are checked against. Built once per document, on first use."""
from __future__ import annotations

import re
from functools import cached_property

from index.models import Fact, ParsedDocument, normalize_ws, page_of

from .answer import Citation
from .understand import NOTE, SubjectIndex


class DocContext:
    def __init__(self, store, parsed: ParsedDocument):
        self.store = store
        self.parsed = parsed
        self.doc = parsed.document
        self.index = SubjectIndex(parsed)
        self.titles = {t.id: t.title for t in parsed.tables}
        self.norm_pages = [normalize_ws(p) for p in parsed.page_texts]
        self.norm_full = "".join(self.norm_pages)
        self.sections = {s.id: s for s in parsed.sections}

    @cached_property
    def retriever(self):
        from .retrieve import Retriever
        words = tuple(c.name for c in self.index.candidates if 2 <= len(c.name) <= 12)
        return Retriever(self.store, self.doc.id, "narrative", words)

    def verified(self, quote: str, page: int | None = None) -> bool:
        q = normalize_ws(quote)
        if not q:
            return False
        if page and 0 < page <= len(self.norm_pages) and q in self.norm_pages[page - 1]:
            return True
        return q in self.norm_full

    def fact_quote(self, f: Fact) -> str:
        """The longest quotable text for a cell: its row as printed, else label and figure, else the figure."""
        from .compute import show
        label = f.row
        if f.raw and self.verified(f.raw, f.page):
            return f.raw
        line = self._printed_line(f)
        if line:
            return line
        for cand in (f"{label} {f.raw.split()[-1] if f.raw.split() else ''}", label, show(f.value, f.unit)):
            if cand and self.verified(cand, f.page):
                return cand
        return str(f.value)

    def _printed_line(self, f: Fact) -> str:
        """The one line of the cell's page that prints its label and, after it, its figure, from the label on
        ("工资福利支出 505 对事业单位经常性补助 165,157.74 …" when the reader's row text put the codes first): ""
        when none or several do."""
        if not (0 < f.page <= len(self.parsed.page_texts)) or len(f.row) < 2:
            return ""
        shown = {f"{f.value:,.2f}", f"{f.value:.2f}", f"{f.value:,}", str(f.value)}
        lines = [ln[ln.find(f.row):].strip() for ln in self.parsed.page_texts[f.page - 1].split("\n")
                 if f.row in ln and any(re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d])", ln[ln.find(f.row):])
                                        for v in shown)]
        return lines[0] if len(set(lines)) == 1 else ""     # (from the label on: the row's own part of the line)

    def fact_citation(self, f: Fact) -> Citation:
        return Citation(doc=self.doc.id, source=self.titles.get(f.table, f.table), section=None, page=f.page,
                        quote=self.fact_quote(f))

    def figure_citation(self, fig) -> Citation:
        """A stated figure's sentence cited so that the figure itself is in the quote (a sentence over a page
        break is quoted by the run of its clauses on one page that holds the figure, where there is one)."""
        from .compute import printed_as
        return self.section_citation(fig.section, fig.quote, fig.page, keep=printed_as(fig.value, fig.quote) or "")

    def section_citation(self, section_id: str, quote: str, page: int | None = None, keep: str = "") -> Citation:
        quote = self.quotable(quote, keep)
        if section_id.startswith(NOTE):          # a table's note: cited as that table's
            t = next((t for t in self.parsed.tables if t.id == section_id[len(NOTE):]), None)
            if t is not None:
                title = self.titles.get(t.id, t.id)
                return Citation(doc=self.doc.id, source=title, section=f"{title} 注",
                                page=self.page_of(quote, t.pages), quote=quote)
        sec = self.sections.get(section_id)
        page = self.page_of(quote, sec.pages if sec else ())
        heading = " ".join(sec.heading) if sec and sec.heading else f"正文 第{page}页"
        sub = _inline_heading(sec.text, quote) if sec else ""
        return Citation(doc=self.doc.id, source=heading, section=f"{heading} {sub}" if sub else heading,
                        page=page, quote=quote)

    def quotable(self, quote: str, keep: str = "") -> str:
        """The quote itself, or, when it runs over a page break (page number or running header in between),
        the longest run of its clauses that stands on one page verbatim — holding `keep` (a figure as printed)
        where some run does."""
        if self.verified(quote):
            return quote
        parts = re.split(r"(?<=[，。；：、])", quote)
        best, held = "", ""
        for i in range(len(parts)):
            for j in range(len(parts), i, -1):
                cand = "".join(parts[i:j])
                if len(cand) <= len(best) and (not keep or len(cand) <= len(held)):
                    break
                if self.verified(cand):
                    if len(cand) > len(best):
                        best = cand
                    if keep and keep in cand and len(cand) > len(held):
                        held = cand
                    if not keep or keep in cand:
                        break
        return held or best or quote

    def page_of(self, quote: str, pages: tuple[int, ...] = ()) -> int:
        return page_of(quote, self.norm_pages, pages, normalized=True)


# a numbered heading run into its paragraph ("（一）机关运行经费。2026年…"; "2.政府采购情况：…")
_INLINE_HEADING = re.compile(r"(?:^|(?<=[。；\n]))\s*((?:[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．、])\s*"
                             r"(?:[^。；：:\n\d]{2,20}?(?=[。：:])|[^。；：:\n\d]{2,20}?(?:情况说明|情况|说明)(?=\d{4}年)))")


def _inline_heading(text: str, quote: str) -> str:
    """The numbered sub-heading printed inline before `quote` in its section's text ("" when none or the quote
    is not found): where in the section the sentence stands."""
    key = normalize_ws(quote)[:24]
    flat = normalize_ws(text)
    at = flat.find(key) if key else -1
    if at < 0:
        return ""
    found = [m for m in _INLINE_HEADING.finditer(flat) if m.start(1) <= at]
    return re.sub(r"\s+", "", found[-1].group(1)) if found else ""
