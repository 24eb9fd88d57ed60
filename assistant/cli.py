"""The `budgetqa` command line (interfaces in ../shared/CONTRACT.md): parse, call one function, print.

Exit status: 0 success, 2 usage error, 1 anything else, with one line on standard error saying what to do.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.errors import BudgetQAError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:      # one clear line, exit 2
        self.exit(2, f"budgetqa: {message}（用 `budgetqa {self.prog.split()[-1]} -h` 查看用法）\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="budgetqa", description="预算问答：对部门预算公开文件提问，答案精确、有出处、可离线。")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def cmd(name: str, help_: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_)
        c.add_argument("--store", help="存储文件夹（默认 $BUDGETQA_STORE 或用户数据文件夹）")
        return c

    c = cmd("ingest", "导入部门预算文件（PDF 或文本导出）")
    c.add_argument("files", nargs="+", type=Path)
    c.add_argument("--name", help="文档名称；多个文件一起给出时合成一份文档")
    c = cmd("docs", "列出存储中的文档")
    c.add_argument("--json", action="store_true")
    c = cmd("tables", "列出解析出的表格：印刷编号、角色、标题、单位、页码、行数")
    c.add_argument("--doc")
    c.add_argument("--json", action="store_true")
    c = cmd("remove", "从存储中删除一份文档")
    c.add_argument("doc")
    c = cmd("ask", "提问（QUESTION 为 - 时从标准输入逐行读取，输出 JSON Lines）")
    c.add_argument("question")
    c.add_argument("--doc")
    c.add_argument("--json", action="store_true")
    c = cmd("facts", "列出解析出的表格数据，可按名称或编码筛选")
    c.add_argument("text", nargs="?")
    c.add_argument("--doc")
    c.add_argument("--json", action="store_true")
    c = cmd("audit", "核对文档自身的算术与前后一致性")
    c.add_argument("--doc")
    c.add_argument("--json", action="store_true")
    c = cmd("eval", "运行评测题集并打分")
    c.add_argument("--questions", required=True, type=Path)
    c.add_argument("--doc")
    c.add_argument("--report", type=Path)
    c.add_argument("--responses", type=Path)
    c.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                   help="同时运行朴素 RAG 基线并并列比较（默认开启）")
    return p


def open_store(path: str | None, seed: bool = True):
    from index.ingest import ensure_bundled
    from index.store import Store, default_store_dir
    store = Store(Path(path) if path else default_store_dir())
    if seed:
        ensure_bundled(store)
    return store


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def cmd_ingest(a) -> int:
    from index.ingest import ingest
    store = open_store(a.store, seed=False)
    res = ingest(store, a.files, a.name)
    print(res.line())
    if store.resolve(res.doc).tables_unreadable:
        print(f"budgetqa: 注意：{res.doc} 的表格无法读取（表格是图片或没有画线），只导入了文字说明；"
              "如有单独的报表 PDF，请与说明一起用 --name 导入", file=sys.stderr)
    return 0


def cmd_docs(a) -> int:
    store = open_store(a.store)
    docs = store.documents()
    if a.json:
        _print_json([_doc_dict(store, d) for d in docs])
    else:
        for d in docs:
            print(f"{d.id}\t{d.department}\t{d.year or '-'}\t{d.kind_detail or d.kind}\tpages={d.pages}\t"
                  f"{', '.join(d.source_files)}")
    return 0


def _doc_dict(store, d) -> dict:
    parsed = store.load(d.id)
    roles = sorted({t.role for t in parsed.tables})
    return {"id": d.id, "department": d.department, "year": d.year, "kind": d.kind, "unit": d.unit,
            "pages": d.pages, "source_files": list(d.source_files),
            "kind_detail": d.kind_detail, "units": list(d.units), "tables": len(parsed.tables), "roles": roles,
            "unreadable_pages": _unreadable_pages(parsed), "tables_unreadable": d.tables_unreadable}


def _unreadable_pages(parsed) -> list[int]:
    """Pages without a text layer (covers and dividers are often images; a scan is refused at ingest)."""
    return [i + 1 for i, t in enumerate(parsed.page_texts) if len(t.strip()) < 5]


def _row_count(parsed, table_id: str) -> int:
    return len({(f.row_index, f.side) for f in parsed.facts if f.table == table_id})


def cmd_tables(a) -> int:
    from index.roles import role_label
    store = open_store(a.store)
    docs = [store.resolve(a.doc)] if a.doc else store.documents()
    out = []
    for d in docs:
        parsed = store.load(d.id)
        for t in parsed.tables:
            out.append({"doc": d.id, "id": t.id, "printed": t.printed or None, "role": t.role,
                        "role_label": role_label(t.role), "title": t.title, "unit": t.unit, "pages": list(t.pages),
                        "rows": _row_count(parsed, t.id), "columns": list(t.columns), "per_unit": t.per_unit})
    if a.json:
        _print_json(out)
    else:
        for t in out:
            pages = f"p{t['pages'][0]}" + (f"-{t['pages'][-1]}" if len(t['pages']) > 1 else "") if t["pages"] else "-"
            print(f"{t['doc']}\t{t['id']}\t{t['role']}\t{t['title']}\t{t['unit']}\t{pages}\trows={t['rows']}")
    return 0


def cmd_remove(a) -> int:
    store = open_store(a.store, seed=False)
    doc = store.resolve(a.doc)
    store.remove(doc.id)
    print(f"已删除 {doc.id}")
    return 0


def cmd_facts(a) -> int:
    from index.store import fact_dict
    store = open_store(a.store)
    parsed = store.load(store.resolve(a.doc).id)
    titles = {t.id: t.title for t in parsed.tables}
    facts = parsed.facts
    if a.text:
        t = a.text.strip()
        facts = tuple(f for f in facts if t in f.row or t == f.code or (f.code or "").startswith(t)
                      or t in titles[f.table].split(" ")[0:1])
    if a.json:
        _print_json([fact_dict(f, titles) for f in facts])
    else:
        for f in facts:
            path = " › ".join((*f.path, f.row))
            print(f"{f.table}\tp{f.page}\t{f.code or ''}\t{path}\t{f.column}\t{f.value}\t{f.unit}")
    return 0


def cmd_audit(a) -> int:
    from index.audit import audit
    store = open_store(a.store)
    findings = audit(store.load(store.resolve(a.doc).id))
    if a.json:
        _print_json([f.to_dict() for f in findings])
    else:
        if not findings:
            print("未发现不一致。")
        for f in findings:
            print(f.line())
    return 0


def cmd_ask(a) -> int:
    from assistant.api import Assistant
    store = open_store(a.store)
    bot = Assistant(store)
    if a.question == "-":
        if not a.json:
            print("budgetqa: 从标准输入批量提问时需要 --json", file=sys.stderr)
            return 2
        for line in sys.stdin:
            q = line.strip()
            if not q:
                continue
            ans = bot.ask(q, doc=a.doc)
            print(json.dumps(ans.to_dict(), ensure_ascii=False), flush=True)
        return 0
    ans = bot.ask(a.question, doc=a.doc)
    if a.json:
        _print_json(ans.to_dict())
    else:
        print(ans.answer)
    return 0


def cmd_eval(a) -> int:
    from eval.runner import run_eval
    store = open_store(a.store)
    return run_eval(store, a.questions, doc=a.doc, report=a.report, responses=a.responses,
                    baseline=a.baseline)


COMMANDS = {"ingest": cmd_ingest, "docs": cmd_docs, "tables": cmd_tables, "remove": cmd_remove, "ask": cmd_ask, "facts": cmd_facts,
            "audit": cmd_audit, "eval": cmd_eval}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BudgetQAError as e:
        print(f"budgetqa: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("budgetqa: 已中断", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
