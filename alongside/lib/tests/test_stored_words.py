"""A sentence the system stored in English is said again in the reader's language, its
values put back; anything else is shown as stored."""

from __future__ import annotations

from django.utils import translation

from alongside.lib.stored_words import Sentence, Sentences, choice_label, moment
from alongside.plans.models import Plan

SENTENCES = Sentences(
    [
        Sentence("Plan approved"),
        Sentence("Goal added: %(goal)s"),
        Sentence("Plan %(status)s", {"status": choice_label(Plan.Status, lower=True)}),
    ]
)


def test_it_says_a_stored_sentence_in_the_readers_language() -> None:
    with translation.override("es"):
        assert SENTENCES.say("Plan approved") == "Plan aprobado"
        assert SENTENCES.say("Goal added: “Find work”") == "Meta añadida: “Find work”"
        assert SENTENCES.say("Plan closed") == "Plan: cerrado"


def test_it_shows_what_it_does_not_recognise_as_stored() -> None:
    with translation.override("es"):
        assert SENTENCES.say("Lupe called back") == "Lupe called back"
        assert SENTENCES.say("Plan approved twice") == "Plan approved twice"
    assert SENTENCES.say("Plan approved") == "Plan approved"  # English: as stored


def test_a_value_holding_the_sentences_own_words_is_still_recognised() -> None:
    # The program's name holds ": ", as the sentence does between it and the status.
    from alongside.people.enrollment_words import said_summary

    with translation.override("es"):
        assert said_summary("Housing: Rapid: Active") == "Housing: Rapid: Activa"
        assert said_summary("Re: entry: Active → Closed") == "Re: entry: Activa → Cerrada"
        assert said_summary("Housing: Rapid: Sleeping") == "Housing: Rapid: Sleeping"


def test_a_moment_stored_in_english_is_said_in_the_readers_formats() -> None:
    with translation.override("es"):
        assert moment("7 Dec 2026, 10:00 AM") == "7 dic 2026, 10:00"
        assert moment("1 Jan 2027, 12:05 AM") == "1 ene 2027, 00:05"
        assert moment("30 Feb 2027, 1:00 PM") is None  # not a day
        assert moment("Tuesday at 2") is None
