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

_TIME_WORDS = "after|before|until|till|during|between|past|después|despues|antes|hasta|entre|durante"


def _ban(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p).replace("'", "['’]?") for p in phrases)
    return re.compile(
        rf"(?<!\w)({alternatives})(?!\w)(?!\s+(?:{_TIME_WORDS})\b)(?!\s+at\s+work\b)",
        re.IGNORECASE,
    )


NO_CALLS = _ban(
    (
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
)
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
        if contact.kind == "phone" and NO_CALLS.search(note):
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
