"""Numbers read from what a client sends."""

from __future__ import annotations

import pytest

from alongside.lib.params import id_or_none


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("²", None), ("١٢", None), ("", None), ("-1", None), ("9" * 19, None)],
)
def test_an_id_is_ascii_digits_below_the_databases_range(text: str, expected: int | None) -> None:
    assert id_or_none(text) == expected
