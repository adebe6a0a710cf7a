import pytest

from alongside.lib.kept import kept


def test_a_thing_is_made_once_and_kept() -> None:
    store: dict[str, int] = {}
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(made)

    assert kept(store, "a", lambda: make("a"), limit=10) == 1
    assert kept(store, "a", lambda: make("a"), limit=10) == 1
    assert made == ["a"]


def test_none_is_kept_like_any_value() -> None:
    store: dict[str, None] = {}
    calls = []
    for _ in range(3):
        assert kept(store, "nobody", lambda: calls.append(1), limit=10) is None
    assert calls == [1]


def test_the_store_starts_again_when_full() -> None:
    store: dict[int, int] = {}
    for n in range(5):
        kept(store, n, (n * n).__int__, limit=3)
        assert len(store) <= 3
    assert store == {3: 9, 4: 16}


def test_a_failed_make_keeps_nothing() -> None:
    store: dict[str, int] = {}

    def fail() -> int:
        raise ValueError("cannot make it")

    with pytest.raises(ValueError, match="cannot make it"):
        kept(store, "a", fail, limit=3)
    assert store == {}
