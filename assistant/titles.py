"""Two structural readings of tables for linking a question: a title without its printed number and year
(`bare_title`: what a one-row table's only row may be labelled with), and the department's own rows
(`own_rows`: what 本级 means where a table prints the department's name twice). Nothing else is decided here."""
from __future__ import annotations

import re

_TABLE_NO = r"(?:(?:公开|预算|附)?表\s*[0-9一二三四五六七八九十]+(?:-\d+)?|(?:公开|预算)?[0-9一二三四五六七八九十]+表)"


def bare_title(title: str, table_id: str = "") -> set[str]:
    """Match forms of a table's title without its printed number ("公开表7 …", "表二 …", "公开09表 …",
    "…表(预算表6)") and without its year: what a one-row table's only row may be labelled with."""
    from .understand import match_form
    t = title.strip()
    if table_id and t.startswith(table_id):
        t = t[len(table_id):]
    t = re.sub(rf"^\S*?{_TABLE_NO}[\s、.．:：]*", "", t) if re.match(rf"^\S*?{_TABLE_NO}[\s、.．:：]", t + " ") else t
    t = re.sub(rf"[（(]{_TABLE_NO}[)）]\s*$", "", t.strip())
    out = {match_form(t)}
    out.add(match_form(re.sub(r"^\s*(?:19|20)\d{2}\s*年(?:度)?", "", t)))
    return {x for x in out if x}


def own_rows(dept_facts: list) -> list:
    """The department's own (本级) cells: where a table prints its name twice (its total "123 X局", its own
    unit "123001 X局" under it), the lower row, never the department's total; elsewhere its only row."""
    rows = {(f.table, f.row_index) for f in dept_facts}
    return [f for f in dept_facts if (f.parent_code and any(
        g.table == f.table and g.code == f.parent_code and (g.table, g.row_index) in rows for g in dept_facts))
        or not any(g.table == f.table and g.level > f.level for g in dept_facts)]
