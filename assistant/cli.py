"""The `budgetqa` command line (interfaces in ../shared/CONTRACT.md): parse, call one function, print.

Exit status: 0 success, 2 usage error, 1 anything else, with one line on standard error saying what to do.
"""
from __future__ import annotations

import argparse
import json
import os
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
    c.add_argument("--replace", action="store_true", help="文档名已被另一份文档使用时替换它")
    c = cmd("docs", "列出存储中的文档")
    c.add_argument("--json", action="store_true")
    c = cmd("tables", "列出解析出的表格：印刷编号、角色、标题、单位、页码、行数")
    c.add_argument("--doc")
    c.add_argument("--json", action="store_true")
    c = cmd("remove", "从存储中删除一份文档")
    c.add_argument("doc")
    c = cmd("reindex", "从存储的数据重建向量索引（chroma/ 丢失或损坏后）")
    c.add_argument("doc", nargs="?")
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
    c.add_argument("--split", help="对话题集只运行这一部分（dev 或 heldout）")
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
    # with --name the files form one document; without it each file is a document of its own
    groups = [a.files] if a.name or len(a.files) == 1 else [[f] for f in a.files]
    failed = 0
    for files in groups:
        try:
            res = ingest(store, files, a.name, replace=a.replace)
        except BudgetQAError as e:
            if len(groups) == 1:
                raise
            print(f"budgetqa: {e}", file=sys.stderr)
            failed += 1
            continue
        print(res.line(), flush=True)
        if store.resolve(res.doc).tables_unreadable:
            print(f"budgetqa: 注意：{res.doc} 的表格无法读取（表格是图片或没有画线），只导入了文字说明；"
                  "如有单独的报表 PDF，请与说明一起用 --name 导入", file=sys.stderr)
    return 1 if failed else 0


def cmd_reindex(a) -> int:
    store = open_store(a.store, seed=False)
    doc = store.resolve(a.doc).id if a.doc else None
    for d in store.reindex(doc):
        print(f"{d}\t向量索引已重建")
    return 0


def cmd_docs(a) -> int:
    store = open_store(a.store)
    docs = store.documents()
    if a.json:
        _print_json([_doc_dict(store, d) for d in docs])
    else:
        for d in docs:
            bad = f"\tunreadable_pages={','.join(map(str, d.unreadable_pages))}" if d.unreadable_pages else ""
            print(f"{d.id}\t{d.department}\t{d.year or '-'}\t{d.kind_detail or d.kind}\tpages={d.pages}\t"
                  f"{', '.join(d.source_files)}{bad}")
    return 0


def _doc_dict(store, d) -> dict:
    parsed = store.load(d.id)
    roles = sorted({t.role for t in parsed.tables})
    return {"id": d.id, "department": d.department, "year": d.year, "kind": d.kind, "unit": d.unit,
            "pages": d.pages, "source_files": list(d.source_files),
            "kind_detail": d.kind_detail, "units": list(d.units), "tables": len(parsed.tables), "roles": roles,
            "unreadable_pages": list(d.unreadable_pages), "pages_without_text": _pages_without_text(parsed),
            "tables_unreadable": d.tables_unreadable}


def _pages_without_text(parsed) -> list[int]:
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


def _docs_of(store, ref: str | None):
    """The --doc document, or every stored document when none is given (facts and audit span them all)."""
    return [store.resolve(ref)] if ref else store.documents()


def cmd_facts(a) -> int:
    from index.store import fact_dict
    store = open_store(a.store)
    docs = _docs_of(store, a.doc)
    rows = []
    for d in docs:
        parsed = store.load(d.id)
        titles = {t.id: t.title for t in parsed.tables}
        facts = parsed.facts
        if a.text:
            t = a.text.strip()
            facts = tuple(f for f in facts if t in f.row or t == f.code or (f.code or "").startswith(t)
                          or t in titles[f.table].split(" ")[0:1])
        rows += [(d.id, f, titles) for f in facts]
    if a.json:
        _print_json([fact_dict(f, titles) for _, f, titles in rows])
    else:
        for doc, f, _ in rows:
            path = " › ".join((*f.path, f.row))
            lead = f"{doc}\t" if len(docs) > 1 else ""
            print(f"{lead}{f.table}\tp{f.page}\t{f.code or ''}\t{path}\t{f.column}\t{f.value}\t{f.unit}")
    return 0


def cmd_audit(a) -> int:
    from index.audit import audit
    store = open_store(a.store)
    docs = _docs_of(store, a.doc)
    found = [(d.id, f) for d in docs for f in audit(store.load(d.id))]
    if a.json:
        _print_json([{**f.to_dict(), "doc": doc} for doc, f in found])
    else:
        if not found:
            print("未发现不一致。")
        for doc, f in found:
            print(f"{doc}\t{f.line()}" if len(docs) > 1 else f.line())
    return 0


def cmd_ask(a) -> int:
    from assistant.api import Assistant
    store = open_store(a.store)
    bot = Assistant(store)
    if a.question == "-":
        if not a.json:
            print("budgetqa: 从标准输入批量提问时需要 --json", file=sys.stderr)
            return 2
        return _ask_batch(bot, a.doc)
    ans = bot.ask(a.question, doc=a.doc)
    if a.json:
        _print_json(ans.to_dict())
    else:
        print(ans.answer)
    return 0


def _ask_batch(bot, doc: str | None) -> int:
    """One output line per input line, in order: an answer, or {"question", "error"}; exit 1 if any failed.
    Standard input is read as bytes and decoded per line, so a bad byte costs its line only."""
    failed = False
    for raw in sys.stdin.buffer:
        raw = raw.rstrip(b"\r\n")
        text = raw.decode("utf-8", "replace").replace("\x00", "")
        q = text.strip()
        error = None
        if "\ufffd" in text or b"\x00" in raw:
            error = "这一行含有无效字节（不是 UTF-8 文本或含 NUL）；请用 UTF-8 编码重新提交这个问题"
        elif not q:                               # kept in place (line pairing), not counted as a failure
            print(json.dumps({"question": "", "error": "空行：没有问题；请每行写一个问题"}, ensure_ascii=False),
                  flush=True)
            continue
        else:
            try:
                out = bot.ask(q, doc=doc).to_dict()
            except BudgetQAError as e:
                error = str(e)
            except Exception as e:                 # one question's failure must not end the batch
                error = f"回答这个问题时出错（{type(e).__name__}）；请换个说法再问，或报告给维护者"
        if error is not None:
            failed = True
            out = {"question": q, "error": " ".join(error.split())}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def cmd_eval(a) -> int:
    from eval.conversations import evaluate_conversations, is_conversation_file, render
    from eval.runner import run_eval
    store = open_store(a.store)
    if is_conversation_file(a.questions):          # multi-turn sequences, asked with the chat's history
        print(render(evaluate_conversations(store, a.questions, split=a.split), a.questions.name), end="")
        return 0
    return run_eval(store, a.questions, doc=a.doc, report=a.report, responses=a.responses,
                    baseline=a.baseline)


COMMANDS = {"ingest": cmd_ingest, "docs": cmd_docs, "tables": cmd_tables, "remove": cmd_remove,
            "reindex": cmd_reindex, "ask": cmd_ask, "facts": cmd_facts, "audit": cmd_audit, "eval": cmd_eval}


def main(argv: list[str] | None = None) -> int:
    try:
        code = _main(argv)
    finally:
        if argv is None:        # the program itself, about to exit: see _leave_to_the_os
            _leave_to_the_os()
    if argv is None:
        from index import warmup
        if warmup.running():    # a refused file's start-up thread, mid-import of chromadb's native code: the
            sys.stdout.flush()  # interpreter's teardown under it crashed the process (exit -11 after the one
            sys.stderr.flush()  # line); the thread writes nothing, so the process ends here, its line printed
            os._exit(code)
    return code


def _leave_to_the_os() -> None:
    """Exclude every object alive now from the interpreter's last garbage collections: the process ends
    next, and the system frees its memory at once, where collecting the object graphs of llama-index and
    chromadb one by one costs a second or more of every command's exit. Destructors still run for whatever
    is freed normally; all writes were committed before (SQLite transactions, Chroma's own calls)."""
    import gc
    gc.freeze()


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BudgetQAError as e:
        print(f"budgetqa: {' '.join(str(e).split())}", file=sys.stderr)
        return 1
    except OSError as e:                  # a file or folder the system refused (permissions, disk full)
        if isinstance(e, BrokenPipeError):
            return 0
        print(f"budgetqa: {e.filename or ''} {e.strerror or e}；请检查文件和文件夹的权限与空间后重试".strip(),
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("budgetqa: 已中断", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
