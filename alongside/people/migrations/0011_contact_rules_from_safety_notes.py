"""The per-channel rules read from what was recorded before them.

Texts and voicemail keep their own flags (may_text, may_leave_voicemail), so nothing about
them changes. A phone whose safety note says not to call ("do not call", "no llamar"; not
"do not call after 8 pm", which limits when) is no longer callable, with the note as the
reason; an email whose note says "no email" or "shared account" keeps emails off, with the
note as the reason. Emails start off like texts (safe by default: only staff, with the
person, turn them on). The free text (safety note, best and never times) is kept as it was.
The phrases are frozen here: later changes to people/contact_rules.py do not rewrite
history.
"""

import re

from django.db import migrations

_TIME_WORDS = (
    "after|before|until|till|during|between|past|después|despues|antes|hasta|entre|durante"
)


def _ban(phrases: tuple[str, ...], *, but_at_work: bool = True) -> re.Pattern[str]:
    """The phrases, not followed by a time limit nor (with `but_at_work`) "at work"."""
    alternatives = "|".join(re.escape(p).replace("'", "['’]?") for p in phrases)
    at_work = r"(?!\s+at\s+work\b)" if but_at_work else ""
    return re.compile(
        rf"(?<!\w)({alternatives})(?!\w)(?!\s+(?:{_TIME_WORDS})\b){at_work}",
        re.IGNORECASE,
    )


NO_CALL_PHRASES = (
    "do not call",
    "don't call",
    "never call",
    "no calls",
    "no phone calls",
    "no llamar",
    "no llamen",
    "no me llamen",
    "nunca llamar",
)
NO_CALLS = _ban(NO_CALL_PHRASES)
# On the work number itself, "do not call at work" means do not call it.
NO_CALLS_AT_ALL = _ban(NO_CALL_PHRASES, but_at_work=False)
NO_EMAIL = _ban(
    (
        "no email",
        "no emails",
        "no e-mail",
        "do not email",
        "don't email",
        "never email",
        "shared account",
        "shared email",
        "no correo",
        "no correos",
        "correo compartido",
        "cuenta compartida",
    )
)


def forwards(apps, schema_editor):
    ContactPoint = apps.get_model("people", "ContactPoint")
    for contact in ContactPoint.objects.exclude(safety_note="").iterator():
        note = contact.safety_note
        calls = NO_CALLS_AT_ALL if "work" in (contact.label or "").lower() else NO_CALLS
        if contact.kind == "phone" and calls.search(note):
            contact.may_call = False
            contact.voice_reason = note[:200]
            contact.save(update_fields=["may_call", "voice_reason"])
        elif contact.kind == "email" and NO_EMAIL.search(note):
            contact.may_email = False
            contact.email_reason = note[:200]
            contact.save(update_fields=["may_email", "email_reason"])


class Migration(migrations.Migration):
    dependencies = [("people", "0010_per_channel_contact_rules_and_person_time_zone")]

    # Backwards: the columns go with the previous migration; the old fields are untouched.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
