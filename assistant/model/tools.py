"""The tools an LLM may call, over one document (`find_facts`, `calculate`, `search_text`): results are plain
JSON-able dicts; figures come only from the document's cells and the numeric tool."""
from __future__ import annotations

import re
from decimal import Decimal

from .. import compute as N
from ..question import normalize_question


class ToolBox:
    """The tools an LLM may call, over one document; results are plain JSON-able dicts."""

    def __init__(self, bot, ctx):
        self.bot, self.ctx = bot, ctx

    def find_facts(self, query: str, limit: int = 8) -> list[dict]:
        q = self.ctx.index.question_form(normalize_question(query))
        out = []
        for m in self.ctx.index.mentions(q):
            for c in m.candidates:
                for f in c.facts[:limit]:
                    cit = self.ctx.fact_citation(f)
                    out.append({"id": f"{f.table}:{f.row_index}:{f.column}", "table": cit.source, "row": f.row,
                                "path": list(f.path), "column": f.column, "value": str(f.value), "unit": f.unit,
                                "page": f.page, "quote": cit.quote})
                if c.figure:
                    fig = c.figure
                    out.append({"id": f"{fig.section}:{fig.subject}", "table": fig.heading, "row": fig.subject,
                                "path": [], "column": "", "value": str(fig.value), "unit": fig.unit,
                                "page": fig.page, "quote": fig.quote})
        return out[:limit]

    def _operand(self, ref: str) -> N.Operand:
        for f in self.ctx.parsed.facts:
            if ref == f"{f.table}:{f.row_index}:{f.column}":
                return N.Operand(f.row, f.value, f.unit, self.ctx.fact_citation(f))
        m = re.fullmatch(r"\s*(-?[\d,]+(?:\.\d+)?)\s*(万元|亿元|元|%)?\s*", ref)
        if not m:
            raise ValueError(f"unknown operand {ref!r}: give a fact id from find_facts or a number")
        return N.Operand(ref, Decimal(m.group(1).replace(",", "")), m.group(2) or "万元")

    def calculate(self, op: str, operands: list[str], unit: str | None = None) -> dict:
        ops = [self._operand(o) for o in operands]
        fn = {"sum": lambda: N.total(ops), "difference": lambda: N.difference(*ops[:2]),
              "share": lambda: N.share(*ops[:2]), "ratio": lambda: N.ratio(*ops[:2]),
              "growth": lambda: N.growth(*ops[:2]), "convert": lambda: N.to_unit(ops[0], unit or "元")}
        if op not in fn:
            raise ValueError(f"unknown op {op!r}: use one of {sorted(fn)}")
        r = fn[op]()
        return {"value": N.plain(r.value, r.unit), "unit": r.unit, "formula": r.formula}

    def search_text(self, query: str, k: int = 5) -> list[dict]:
        hits = self.ctx.retriever.hybrid(query, k=k)
        return [{"source": c.source, "section": c.source, "page": c.page, "quote": c.text} for c, _ in hits]
