"""`{% link %}` answers what `{% url %}` does, from a path reversed once per route."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix, set_urlconf

from alongside.lib import links


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("people:detail", (7,)),
        ("people:contact-edit", (12, 345)),
        ("people:language-delete", (1, 2**63 - 1)),
        ("people:list", ()),
    ],
)
def test_it_answers_what_reverse_does(name: str, args: tuple[int, ...]) -> None:
    assert links.link(name, *args) == reverse(name, args=args)
    # The second time from the path it cut.
    assert links.link(name, *args) == reverse(name, args=args)


def test_a_route_is_reversed_once_with_or_without_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    links._paths.clear()
    reversed_: list[str] = []

    def counting(name: str, args: tuple[str, ...] = ()) -> str:
        reversed_.append(name)
        return reverse(name, args=args)

    monkeypatch.setattr(links, "reverse", counting)
    for _ in range(3):
        assert links.link("people:list") == "/people/"
        assert links.link("people:detail", 8) == "/people/8/"
    assert reversed_ == ["people:list", "people:detail"]


def test_in_a_template_it_renders_as_url_does() -> None:
    context = Context({"pk": 41, "child": 9})
    url = Template("{% url 'people:support-edit' pk child %}").render(context)
    link = Template("{% link 'people:support-edit' pk child %}").render(context)
    assert link == url == "/people/41/support/9/"


def test_what_is_not_an_id_fails_as_reverse_does() -> None:
    with pytest.raises(NoReverseMatch, match="Reverse for 'detail'"):
        links.link("people:detail", 0)
    with pytest.raises(NoReverseMatch, match="Reverse for 'detail'"):
        links.link("people:detail", "")
    with pytest.raises(NoReverseMatch, match="'no-such-route' not found"):
        links.link("people:no-such-route", 3)


def test_it_follows_the_script_prefix() -> None:
    try:
        set_script_prefix("/app/")
        assert links.link("people:detail", 5) == "/app/people/5/"
    finally:
        set_script_prefix("/")
    assert links.link("people:detail", 5) == "/people/5/"


def test_a_request_with_its_own_urlconf_gets_its_paths() -> None:
    assert links.link("people:detail", 5) == "/people/5/"
    set_urlconf("alongside.lib.tests.urls_moved")
    try:
        assert links.link("people:detail", 5) == reverse("people:detail", args=(5,))
        assert links.link("people:detail", 5) == "/elsewhere/people/5/"
    finally:
        set_urlconf(None)
    assert links.link("people:detail", 6) == "/people/6/"
