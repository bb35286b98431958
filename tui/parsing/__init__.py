"""Parsing: digest files in, `Paper` records out (imports only `tui.records` and the shared text helpers).

The front door: `open_digest` streams a file of any size, `parse_digest` reads one whole,
`parse_text` parses text already in memory, and `detect` names a text's format.
"""

from tui.parsing.digest import decode_bytes, parse_digest, parse_text
from tui.parsing.formats import FORMATS, detect
from tui.parsing.stream import NOT_A_DIGEST, DigestStream, open_digest

__all__ = [
    "FORMATS",
    "NOT_A_DIGEST",
    "DigestStream",
    "decode_bytes",
    "detect",
    "open_digest",
    "parse_digest",
    "parse_text",
]
