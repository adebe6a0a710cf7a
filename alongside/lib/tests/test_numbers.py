import pytest
from django.http import QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from alongside.lib.params import MAX_PAGE, query_page
from alongside.lib.urls import MAX_ID, IdConverter, IndexConverter


@pytest.mark.parametrize("text", ["0", "9223372036854775808", "18446744073709551616", "9" * 5000])
def test_it_refuses_ids_the_database_cannot_hold(text):
    with pytest.raises(ValueError, match="outside|digits"):
        IdConverter().to_python(text)


def test_it_takes_ids_from_one_to_the_largest_bigint():
    assert IdConverter().to_python("1") == 1
    assert IdConverter().to_python(str(MAX_ID)) == MAX_ID
    assert IndexConverter().to_python("0") == 0


def test_it_resolves_an_impossible_id_to_404_and_refuses_to_reverse_one():
    assert resolve(f"/matching/merge/{MAX_ID}/1/").url_name == "compare"
    with pytest.raises(Resolver404, match="merge"):
        resolve(f"/matching/merge/{MAX_ID + 1}/1/")
    with pytest.raises(NoReverseMatch, match="detail"):
        reverse("people:detail", args=[0])


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("", 1),
        ("page=3", 3),
        ("page=0", 1),
        ("page=-5", 1),
        ("page=abc", 1),
        ("page=9223372036854775808", MAX_PAGE),
        ("page=" + "9" * 5000, 1),
    ],
)
def test_it_reads_a_page_number_within_bounds(query, page):
    assert query_page(QueryDict(query)) == page
