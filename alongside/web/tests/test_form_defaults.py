"""No Django defaults showing through in forms: every form renders through the app's
form templates (FORM_RENDERER), so labels carry no trailing colon, an empty choice reads
"Choose…" rather than "---------", and choices sit beside their labels."""

from __future__ import annotations

from django import forms

from alongside.organizations.models import Program


class Sample(forms.Form):
    name = forms.CharField(label="Name")
    agreed = forms.BooleanField(label="They agreed", required=False)
    program = forms.ModelChoiceField(queryset=Program.objects.none(), label="Program")
    kind = forms.ChoiceField(label="Kind", choices=[("", "---------"), ("a", "A")], required=False)
    how = forms.ChoiceField(label="How", choices=[("phone", "By phone")], widget=forms.RadioSelect)


def test_labels_have_no_trailing_colon(db) -> None:
    form = Sample()
    html = str(form)
    assert ":</label>" not in html and ":</legend>" not in html
    assert form["agreed"].label_tag() == '<label for="id_agreed">They agreed</label>'
    assert form["name"].label_tag(contents="Given") == '<label for="id_name">Given</label>'


def test_an_empty_choice_says_choose(db) -> None:
    html = str(Sample())
    assert "---------" not in html
    assert html.count(">Choose…</option>") == 2


def test_a_radio_button_sits_in_its_label(db) -> None:
    html = str(Sample()["how"])
    assert '<label class="choice" for="id_how_0"><input' in html
    assert "<span>By phone</span></label>" in html
