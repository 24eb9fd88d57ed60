"""Decode a text export line by line, so a few bad bytes cost those lines, never the file, and are reported.

`decode_export(raw)` picks the encoding most lines decode under (UTF-8, else GB18030; a UTF-16 BOM is
honoured), decodes each line on its own, removes NUL bytes and replaces undecodable bytes by U+FFFD.
It returns the text to read, the same text with a U+FFFD marker on every damaged line (to find the pages
they fall on with the reader's own page splitter), and the damaged lines' numbers.
`drop_damaged(parsed)` removes facts whose row text holds U+FFFD (the figures of a row with a lost byte
cannot be trusted: a broken amount shifts the others into the wrong columns) and every fact of a table
whose header holds one. What is dropped is reported by the caller as unreadable pages.

Does not handle: other encodings (Big5, …), files mixing encodings line by line.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, replace

from .models import ParsedDocument

BAD = "\ufffd"


@dataclass(frozen=True)
class Decoded:
    text: str
    marked: str                      # text with BAD appended to each damaged line
    damaged_lines: tuple[int, ...]   # 1-based line numbers


def decode_export(raw: bytes) -> Decoded:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", "replace")
        return _finish(text.split("\n"), [BAD in ln or "\x00" in ln for ln in text.split("\n")])
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    lines = raw.split(b"\n")
    encoding = "utf-8"
    if not _all_ok(lines, "utf-8"):
        ok_utf8 = sum(_ok(ln, "utf-8") for ln in lines)
        ok_gb = sum(_ok(ln, "gb18030") for ln in lines)
        encoding = "gb18030" if ok_gb > ok_utf8 else "utf-8"
    out, damaged = [], []
    for ln in lines:
        text = ln.decode(encoding, "replace")
        damaged.append(BAD in text or "\x00" in text)
        out.append(text)
    return _finish(out, damaged)


def _finish(lines: list[str], damaged: list[bool]) -> Decoded:
    clean = [ln.replace("\x00", "") for ln in lines]
    marked = [ln + BAD if bad and BAD not in ln else ln for ln, bad in zip(clean, damaged)]
    return Decoded("\n".join(clean), "\n".join(marked),
                   tuple(i for i, bad in enumerate(damaged, 1) if bad))


def _all_ok(lines: list[bytes], encoding: str) -> bool:
    return all(_ok(ln, encoding) for ln in lines)


def _ok(line: bytes, encoding: str) -> bool:
    if b"\x00" in line:
        return False
    try:
        line.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def damaged_pages(marked: str) -> tuple[int, ...]:
    """Pages (as the text reader numbers them) holding a damaged line."""
    from .textexport import split_pages
    return tuple(page for page, lines in split_pages(marked) if any(BAD in ln for ln in lines))


def drop_damaged(parsed: ParsedDocument) -> ParsedDocument:
    bad_tables = {t.id for t in parsed.tables if any(BAD in c for c in t.columns)}
    facts = tuple(f for f in parsed.facts if f.table not in bad_tables and BAD not in f.raw and BAD not in f.row)
    return replace(parsed, facts=facts) if len(facts) != len(parsed.facts) else parsed
