"""Lines of text read from standard input, whatever the platform's console encoding.

Standard input is read as bytes and every line is decoded as UTF-8 (a byte-order mark at the
start is dropped); a line that is not UTF-8 is read as Windows-1252, the encoding of text saved by
older Windows programs. Input with NUL bytes (UTF-16 text, a binary file) is refused with a Dutch
message instead of being read as nonsense.
"""
from __future__ import annotations

import sys
from typing import BinaryIO, Iterator

from core.errors import UserError
from core.i18n import tr


def stdin_lines(stream: BinaryIO | None = None) -> Iterator[tuple[int, str]]:
    """(line number, text without the line end) for every line of standard input."""
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:                      # replaced by a text stream (tests, embedding)
            for n, line in enumerate(sys.stdin, start=1):
                yield n, line.rstrip("\r\n")
            return
    for n, raw in enumerate(stream, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\x00" in raw:
            raise UserError(tr("cli", "Regel {n} van de invoer is geen tekst (nul-bytes: UTF-16 of een "
                                      "binair bestand?). Geef UTF-8-tekst in.").format(n=n))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        yield n, text.rstrip("\r\n")
