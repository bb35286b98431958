"""The search box's query language: a forgiving parser from text to a small syntax tree.

Pure Python (no Whoosh): it never raises on user input and reports what it had to
ignore as hints. `tui.search.compile` turns the tree into Whoosh queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

QUERY_HELP = """\
Search syntax
  graph neural        papers with all the words (title, abstract, authors, orgs, your note)
  "graph neural"      an exact phrase
  -survey             leave out papers with this word        NOT survey  works too
  gnn OR transformer  either word; group with parentheses: (gnn OR gcn) pooling
  graph*  graf~       words starting with "graph"; words like "graf" (graf~2: 2 typos)
Fields
  title:diffusion  abstract:"message passing"  author:jegelka  org:mit  note:reread
  cat:LG  cat:astro-ph.GA  cat:astro-ph   any of its categories (cat:LG finds cs.LG)
  id:2303.00763  id:hep-th/9901001   the arXiv id, any version     doi:10.1103/physrevd.1.2
  digest:2025-03-01   papers seen in that digest (file name or date)
  tag:gnn  tag:to-read   papers you tagged so (tag:gnn* any tag starting with gnn)
Filters
  is:starred  is:new  is:kept  is:read  is:dismissed  has:note  is:tagged  is:later  (-is:read excludes)
  is:cross  is:replaced   cross-listed or replaced in an arXiv listing
  has:code   a code link in its links or text (GitHub, GitLab, Hugging Face, Codeberg...)
Ranges
  date:2024  date:2024-03  date:2023-01..2024-06  date:>=2025-03-01  date:<2024  date:30d
  upvotes:>=10  upvotes:5..50  authors:<=5   (number of authors)
While typing, the last word also matches title words and author names that start with it,
and title and author matches come first; a submitted search ranks by relevance (BM25F).
Words are matched by their stem: "transformers" finds "transformer"; accents are optional:
"Adele" finds "Adèle" (and Ad\\`ele as written in TeX). Very broad fuzzy or prefix words
use their most frequent expansions only (the hint says so)."""

#: Field names the user may type, mapped to the query field they search.
TEXT_FIELDS = {
    "title": "title", "ti": "title", "abstract": "abstract", "abs": "abstract",
    "author": "authors", "au": "authors", "by": "authors", "org": "orgs", "orgs": "orgs",
    "cat": "category", "category": "category", "note": "note", "notes": "note",
    "digest": "digests", "digests": "digests", "authors": "authors",
    "id": "arxiv", "arxiv": "arxiv", "doi": "doi", "tag": "tags", "tags": "tags",
}
#: Fields whose value is one exact term (no stemming, no word splitting).
EXACT_FIELDS = ("category", "arxiv", "doi", "tags")
RANGE_FIELDS = {"date": "date", "upvotes": "upvotes", "votes": "upvotes", "authors": "author_count"}
FLAGS = {"is": ("starred", "new", "kept", "read", "dismissed", "unread", "cross", "replaced", "tagged", "later"),
         "has": ("note", "code")}
#: Field names people try that mean another field (an unknown field is suggested the real one).
FIELD_HINTS = {
    "year": "date", "month": "date", "day": "date", "published": "date", "when": "date", "since": "date",
    "label": "tag", "labels": "tag", "keyword": "tag", "keywords": "tag", "subject": "cat", "area": "cat", "class": "cat", "primary": "cat",
    "eprint": "id", "arxivid": "id", "paper": "id", "name": "author", "writer": "author",
    "affiliation": "org", "institution": "org", "lab": "org", "university": "org",
    "text": "abstract", "body": "abstract", "summary": "abstract", "likes": "upvotes", "stars": "upvotes",
}
MAX_QUERY_CHARS = 2000
MAX_NODES = 64

_TOKEN_RE = re.compile(r'\s+|\(|\)|"[^"]*"?|[^\s()"]+')
_FIELD_RE = re.compile(r"(-?)([A-Za-z]+):(.*)", re.S)


@dataclass
class Word:
    """A word to match; `field` None means the default fields. start/end index the query text."""

    text: str
    field: str | None = None
    prefix: bool = False
    fuzzy: int = 0
    typing: bool = False
    start: int = 0
    end: int = 0


@dataclass
class Phrase:
    """Words that must appear next to each other, in order."""

    text: str
    field: str | None = None


@dataclass
class Range:
    """A numeric or date range on `field`; `text` is the user's spelling (e.g. ">=2024-03")."""

    field: str
    text: str


@dataclass
class Flag:
    """An is:/has: filter, e.g. Flag("is:starred")."""

    name: str


@dataclass
class Not:
    child: object


@dataclass
class Group:
    """All children must match (op "and") or any of them (op "or")."""

    op: str
    children: list = field(default_factory=list)


@dataclass
class ParsedQuery:
    """The syntax tree plus hints for the user (unbalanced quotes, ignored parts)."""

    root: Group
    hints: list[str] = field(default_factory=list)
    #: Unknown field names as typed, with the offset of each in the query text.
    unknown_fields: list[tuple[str, int]] = field(default_factory=list)


def parse(text: str, as_you_type: bool = False) -> ParsedQuery:
    """Parse user text; never raises. With `as_you_type` the unfinished last word becomes a prefix."""
    hints: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        hints.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
    tokens = [(m.group(), m.start()) for m in _TOKEN_RE.finditer(text) if not m.group().isspace()]
    parser = _Parser(tokens, hints)
    root = parser.parse()
    if as_you_type:
        _mark_typing(root, text)
    return ParsedQuery(root, _unique(hints), parser.unknown)



def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _mark_typing(root: Group, text: str) -> None:
    """Flag the last word as being typed when nothing (not even a space) follows it."""
    last = _last_word(root)
    if last is not None and not (last.prefix or last.fuzzy) and last.end == len(text):
        last.typing = True


def _last_word(node) -> Word | None:
    if isinstance(node, Word):
        return node
    if isinstance(node, Group) and node.children:
        return _last_word(node.children[-1])
    return None


class _Parser:
    """Recursive descent over (token, offset) pairs; every oddity becomes a hint, not an error."""

    def __init__(self, tokens: list[tuple[str, int]], hints: list[str]) -> None:
        self.tokens, self.pos, self.hints, self.nodes = tokens, 0, hints, 0
        self.unknown: list[tuple[str, int]] = []

    def parse(self) -> Group:
        root = self._or_group()
        while self.pos < len(self.tokens):  # stray ")"
            self.hints.append("unbalanced parenthesis ignored")
            self.pos += 1
            root = Group("and", [root, self._or_group()])
        return root

    def _peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def _or_group(self) -> Group:
        options = [self._and_group()]
        while self._peek() == "OR":
            self.pos += 1
            options.append(self._and_group())
        options = [o for o in options if o.children]
        if len(options) == 1:
            return options[0]
        return Group("or", options)

    def _and_group(self) -> Group:
        children = []
        while (token := self._peek()) is not None and token not in (")", "OR"):
            node = self._unary()
            if node is not None and self.nodes < MAX_NODES:
                children.append(node)
                self.nodes += 1
        return Group("and", children)

    def _unary(self):
        token, start = self.tokens[self.pos]
        if token in ("NOT", "-"):
            self.pos += 1
            if self._peek() in (None, ")", "OR"):
                return None
            child = self._unary()
            return Not(child) if child is not None else None
        if token == "AND":
            self.pos += 1
            return None
        if token.startswith("-") and len(token) > 1:
            self.tokens[self.pos] = (token[1:], start + 1)
            child = self._unary()
            return Not(child) if child is not None else None
        return self._primary()

    def _primary(self):
        token, start = self.tokens[self.pos]
        self.pos += 1
        if token == "(":
            group = self._or_group()
            if self._peek() == ")":
                self.pos += 1
            else:
                self.hints.append("keep typing: unbalanced parenthesis")
            return group if group.children else None
        if token.startswith('"'):
            return self._phrase(token, None)
        match = _FIELD_RE.fullmatch(token)
        if match and not match.group(1):
            return self._fielded(match.group(2).lower(), match.group(3), start + len(match.group(2)) + 1)
        return _word(token, None, start)

    def _phrase(self, token: str, field_name: str | None):
        if len(token) < 2 or not token.endswith('"'):
            self.hints.append("keep typing: unbalanced quote")
            inner = token[1:]
        else:
            inner = token[1:-1]
        return Phrase(inner, field_name) if inner.strip() else None

    def _fielded(self, name: str, value: str, start: int):
        if not value and name in TEXT_FIELDS and self._peek() == "(":
            return self._field_group(name)
        if not value:
            value, start = self._value_after_colon(name)
            if value is None:
                return None
        if name in FLAGS:
            if value.lower() in FLAGS[name]:
                return Flag(f"{name}:{'new' if value.lower() == 'unread' else value.lower()}")
            self.hints.append(f"{name}:{value} not understood, ignored")
            return None
        if name == "authors" and re.fullmatch(r"[<>=.\d\s]+", value):
            return Range("author_count", value)
        if name in RANGE_FIELDS and name != "authors":
            return Range(RANGE_FIELDS[name], value)
        if name in TEXT_FIELDS:
            target = TEXT_FIELDS[name]
            if value.startswith('"'):
                return self._phrase(value, target)
            return _word(value, target, start)
        if value.startswith("//"):  # a pasted address (https://...): search its words
            return _word(f"{name}:{value}", None, start - len(name) - 1)
        self.unknown.append((name, start - len(name) - 1))  # the search says so, and offers the real field
        return _word(value, None, start)

    def _value_after_colon(self, name: str) -> tuple[str | None, int]:
        """`title:` directly followed by a phrase; anything else leaves the field empty."""
        token = self._peek()
        if token is not None and token.startswith('"') and name in TEXT_FIELDS:
            value, start = self.tokens[self.pos]
            self.pos += 1
            return value, start
        self.hints.append(f"{name}: needs a value")
        return None, 0

    def _field_group(self, name: str):
        """`title:(a OR b)`: the group's unfielded words and phrases search that field."""
        self.pos += 1
        group = self._or_group()
        if self._peek() == ")":
            self.pos += 1
        else:
            self.hints.append("keep typing: unbalanced parenthesis")
        _set_field(group, TEXT_FIELDS[name])
        return group if group.children else None


def _set_field(node, name: str) -> None:
    if isinstance(node, (Word, Phrase)) and node.field is None:
        node.field = name
    elif isinstance(node, Not):
        _set_field(node.child, name)
    elif isinstance(node, Group):
        for child in node.children:
            _set_field(child, name)


def _word(token: str, field_name: str | None, start: int) -> Word | None:
    """A word token with its `*` (prefix) or `~N` (fuzzy) suffix decoded."""
    text, prefix, fuzzy = token, False, 0
    match = re.fullmatch(r"(.*?)~([12]?)", text, re.S)
    if match and match.group(1):
        text, fuzzy = match.group(1), int(match.group(2) or 1)
    elif text.endswith("*") and len(text.rstrip("*")) > 0:
        text, prefix = text.rstrip("*"), True
    text = text.strip("*~")
    if not text:
        return None
    return Word(text, field_name, prefix, fuzzy, False, start, start + len(token))
