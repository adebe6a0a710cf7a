"""JSON a client sends, read so that nothing in it fails later as a 500: `json.loads`
accepts a lone surrogate ("\\ud800", which no database can store as UTF-8), a NUL
character (which PostgreSQL refuses in text and JSON), and nesting deep enough to exhaust
Python's recursion while decoding. Each is refused here with where it was."""

from __future__ import annotations

import json
from typing import Any

# Deeper than any document the API or an imported FHIR resource has (a questionnaire's
# nested items are a handful of levels), far below the decoder's recursion limit.
MAX_DEPTH = 64


class JsonInputError(ValueError):
    """Why the body cannot be read, and where (a dotted path, "" for the whole body);
    `syntax` when it is not JSON this reads at all: malformed, or nested too deep."""

    def __init__(self, message: str, where: str = "", *, syntax: bool = False) -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.where = where
        self.syntax = syntax


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored as it is, or None."""
    if "\x00" in text:
        return "Text cannot contain NUL characters."
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text must be valid Unicode."  # an unpaired surrogate, U+D800 to U+DFFF
    return None


def _check(value: Any, where: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise JsonInputError(f"Nested more than {MAX_DEPTH} levels deep.", syntax=True)
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise JsonInputError(problem, ".".join(where))
    elif isinstance(value, dict):
        for key, item in value.items():
            problem = text_problem(key)
            if problem:
                raise JsonInputError(f"A field name: {problem}", ".".join(where))
            _check(item, [*where, key], depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, [*where, str(index)], depth + 1)


def json_loads(body: bytes | str) -> Any:
    """`body` decoded as JSON whose every string can be stored; JsonInputError otherwise."""
    try:
        value = json.loads(body)
    except RecursionError:
        raise JsonInputError(f"Nested more than {MAX_DEPTH} levels deep.", syntax=True) from None
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
        raise JsonInputError(str(error), syntax=True) from None
    _check(value, [], 0)
    return value
