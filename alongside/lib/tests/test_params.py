"""Numbers read from what a client sends."""

from __future__ import annotations

import pytest

from alongside.lib.params import id_or_none, version_sent


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("²", None), ("١٢", None), ("", None), ("-1", None), ("9" * 19, None)],
)
def test_an_id_is_ascii_digits_below_the_databases_range(text: str, expected: int | None) -> None:
    assert id_or_none(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("", None), ("abc", 0), ("9" * 5000, 0), ("9" * 20, 0), ("-1", 0), ("²", 0)],
)
def test_a_version_sent_that_is_not_one_is_never_current(text: str, expected: int | None) -> None:
    """None only when none was sent; 0 (no record's) for what cannot be a version, so
    the change is refused as stale instead of made without the check."""
    assert version_sent(text) == expected
