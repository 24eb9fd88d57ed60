"""Minimal PDFs written by hand for the reader's and the ingest's bad-input tests (tests/test_pdf.py,
tests/test_hostile.py): valid structure with a correct cross-reference table, one content stream per page.

Handles: pages from content streams (a repeated bytes object shares one stream, so 100,000 pages stay small),
a Helvetica font resource, FlateDecode streams, extra objects, a standard-security /Encrypt entry with an
unknown password, and `assemble` for tests that lay the objects out themselves. Not a PDF library: no
fonts beyond the base 14, no images, no incremental updates.
"""
from __future__ import annotations

import zlib

FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
NO_RESOURCES = b"<< >>"
_ENCRYPT = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>"


def pdf(pages: list[bytes], resources: bytes = FONT, extra: list[bytes] = (), flate: bool = False,
        encrypt: bool = False) -> bytes:
    """A valid PDF with one content stream per page (shared when the same bytes object repeats): objects
    1 catalog, 2 page tree, 3 resources, then streams and pages, then `extra`, then the /Encrypt dictionary."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", resources]
    stream_of: dict[int, int] = {}
    page_ids = []
    for content in pages:
        if id(content) not in stream_of:
            body = zlib.compress(content) if flate else content
            f = b" /Filter /FlateDecode" if flate else b""
            objs.append(b"<< /Length %d%s >>\nstream\n" % (len(body), f) + body + b"\nendstream")
            stream_of[id(content)] = len(objs)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources 3 0 R >>"
                    % stream_of[id(content)])
        page_ids.append(len(objs))
    objs += list(extra)
    objs[1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % i for i in page_ids) + b"] /Count %d >>"
               % len(page_ids))
    trailer = b""
    if encrypt:      # standard security handler with a user password nobody knows
        objs.append(_ENCRYPT)
        trailer = b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objs), b"01" * 16, b"01" * 16)
    return assemble(objs, trailer)


def assemble(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """Objects numbered 1.. in order, the xref table with their byte offsets, and the trailer (Root 1 0 R,
    plus `trailer` inside the dictionary)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return bytes(out)
