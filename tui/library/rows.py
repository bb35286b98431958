"""The type of every column a JSON backup may carry, so a restore rejects a poisoned row up front."""

from __future__ import annotations

import json
from collections.abc import Callable

from tui.library.state import TagError, clean_tag
from tui.records import normalise_title
from tui.vocabulary import Status

Check = Callable[[object], object]
#: Characters of a bad value quoted back in a message: enough to recognise it, never a whole abstract.
_QUOTED = 40


class BadField(ValueError):
    """One field of one row has the wrong type; the message says what it must be."""


def _text(value: object) -> object:
    if isinstance(value, str):
        return value
    raise BadField("must be text")


def _whole(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise BadField("must be a whole number")


def _flag(value: object) -> object:
    if value in (0, 1) and isinstance(value, (int, bool)):
        return int(value)
    raise BadField("must be 0 or 1")


def _status(value: object) -> object:
    if isinstance(value, str) and value in set(Status):
        return value
    raise BadField(f"must be one of {', '.join(Status)}")


def _text_list(value: object) -> object:
    """A list of strings, given as a list or as the JSON text the library stores."""
    items = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            raise BadField("must be a JSON list of strings") from None
    if isinstance(items, list) and all(isinstance(item, str) for item in items):
        return json.dumps(items)
    raise BadField("must be a JSON list of strings")


def _tag(value: object) -> object:
    try:
        return clean_tag(value) if isinstance(value, str) else _text(value)
    except TagError as exc:
        raise BadField(str(exc)) from None


def _watch_kind(value: object) -> object:
    if value in ("author", "keyword"):
        return value
    raise BadField("must be author or keyword")


def _optional(check: Check) -> Check:
    return lambda value: None if value is None else check(value)


_OPT_TEXT, _OPT_WHOLE = _optional(_text), _optional(_whole)

#: Per table: column -> (check, required). Columns left out take the schema's default.
COLUMNS: dict[str, dict[str, tuple[Check, bool]]] = {
    "digests": {"id": (_whole, True), "name": (_text, True), "content_hash": (_text, True), "format": (_text, True),
                "digest_date": (_OPT_TEXT, False), "imported_at": (_text, True), "entries": (_whole, True),
                "skipped": (_whole, True), "label": (_OPT_TEXT, False)},
    "papers": {"id": (_text, True), "key": (_text, False), "title": (_text, True), "abstract": (_text, False),
               "authors": (_text_list, False), "author_count": (_OPT_WHOLE, False), "orgs": (_text_list, False),
               "date": (_OPT_TEXT, False), "upvotes": (_OPT_WHOLE, False), "category": (_OPT_TEXT, False),
               "has_code": (_optional(_flag), False), "links": (_text_list, False), "added_at": (_text, False),
               "starred": (_flag, False), "starred_at": (_OPT_TEXT, False), "note": (_text, False),
               "note_at": (_OPT_TEXT, False), "status": (_status, False), "status_at": (_OPT_TEXT, False),
               "arxiv_id": (_OPT_TEXT, False), "version": (_OPT_WHOLE, False), "announce": (_OPT_TEXT, False),
               "categories": (_text_list, False), "doi": (_OPT_TEXT, False), "journal_ref": (_OPT_TEXT, False),
               "comments": (_OPT_TEXT, False), "later_at": (_OPT_TEXT, False),
               "submitter": (_OPT_TEXT, False)},
    "sightings": {"paper_id": (_text, True), "digest_id": (_whole, True), "position": (_whole, True),
                  "announce": (_OPT_TEXT, False)},
    "events": {"id": (_whole, False), "paper_id": (_text, True), "kind": (_text, True), "value": (_OPT_TEXT, False),
               "previous": (_OPT_TEXT, False), "at": (_text, True), "step": (_OPT_WHOLE, False),
               "undone": (_flag, False)},
    "tags": {"paper_id": (_text, True), "tag": (_tag, True), "at": (_text, True)},
    "saved_searches": {"name": (_text, True), "query": (_text, True), "sort": (_text, False),
                       "position": (_whole, False), "created_at": (_text, True), "opened_at": (_OPT_TEXT, False),
                       "opened_seq": (_whole, False)},
    "watches": {"id": (_whole, False), "kind": (_watch_kind, True), "query": (_text, True),
                "created_at": (_text, True)},
}
#: Written by the library itself, never restored from a file (first_* is recomputed after a restore).
IGNORED = frozenset({"seq", "first_date", "first_digest", "first_position"})


def checked_row(table: str, row: object, added_at: str) -> dict[str, object]:
    """The row with every value checked (and list fields as JSON text); raises BadField naming the field."""
    if not isinstance(row, dict):
        raise BadField("is not an object")
    columns = COLUMNS[table]
    unknown = [name for name in row if name not in columns and name not in IGNORED]
    if unknown:
        raise BadField(f"has an unknown field {str(unknown[0])[:_QUOTED]!r}")
    out: dict[str, object] = {}
    for name, (check, required) in columns.items():
        if name not in row:
            if required:
                raise BadField(f"lacks the field {name!r}")
            continue
        try:
            out[name] = check(row[name])
        except BadField as exc:
            raise BadField(f"field {name!r} {exc} (got {_shown(row[name])})") from None
    if table == "papers":
        out.setdefault("key", normalise_title(str(out["title"])))
        out.setdefault("added_at", added_at)
    return out


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= _QUOTED else text[:_QUOTED - 1] + "…"
