"""A screening's language, mode and status and an instrument version's status as a
Spanish-speaking reader's pages name them."""

from __future__ import annotations

from django.utils import translation

from alongside.intake.models import InstrumentVersion, ScreeningResponse


def test_a_screening_is_described_in_the_readers_language() -> None:
    screening = ScreeningResponse(language="es", mode="staff", status="completed")
    with translation.override("es"):
        assert screening.language_name == "español"
        assert screening.get_mode_display() == "Hecha por el personal"
        assert screening.get_status_display() == "Completada"
        assert InstrumentVersion(status="active").get_status_display() == "Activa"
    with translation.override("en"):
        assert screening.language_name == "Spanish"
        assert screening.get_mode_display() == "Asked by staff"
