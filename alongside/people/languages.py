"""Languages offered in forms: BCP 47 tags with their names in the reader's language and
their own ("Chinese — 中文"; in Spanish, "Chino — 中文")."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# Translators: a language's name in your language, then (after " — ") its own name as
# it is: "Chinese — 中文" is "Chino — 中文". Your own language just by its name.
LANGUAGES: list[tuple[str, str | Promise]] = [
    ("en", pgettext_lazy("language offered", "English")),
    ("es", pgettext_lazy("language offered", "Spanish — español")),
    ("zh", pgettext_lazy("language offered", "Chinese — 中文")),
    ("yue", pgettext_lazy("language offered", "Cantonese — 粵語")),
    ("vi", pgettext_lazy("language offered", "Vietnamese — Tiếng Việt")),
    ("tl", pgettext_lazy("language offered", "Tagalog")),
    ("ar", pgettext_lazy("language offered", "Arabic — العربية")),
    ("fr", pgettext_lazy("language offered", "French — français")),
    ("ht", pgettext_lazy("language offered", "Haitian Creole — Kreyòl ayisyen")),
    ("ko", pgettext_lazy("language offered", "Korean — 한국어")),
    ("ru", pgettext_lazy("language offered", "Russian — русский")),
    ("pt", pgettext_lazy("language offered", "Portuguese — português")),
    ("hi", pgettext_lazy("language offered", "Hindi — हिन्दी")),
    ("bn", pgettext_lazy("language offered", "Bengali — বাংলা")),
    ("ur", pgettext_lazy("language offered", "Urdu — اردو")),
    ("fa", pgettext_lazy("language offered", "Persian — فارسی")),
    ("ps", pgettext_lazy("language offered", "Pashto — پښتو")),
    ("so", pgettext_lazy("language offered", "Somali — Soomaali")),
    ("am", pgettext_lazy("language offered", "Amharic — አማርኛ")),
    ("ti", pgettext_lazy("language offered", "Tigrinya — ትግርኛ")),
    ("sw", pgettext_lazy("language offered", "Swahili — Kiswahili")),
    ("yo", pgettext_lazy("language offered", "Yoruba — Yorùbá")),
    ("ne", pgettext_lazy("language offered", "Nepali — नेपाली")),
    ("my", pgettext_lazy("language offered", "Burmese — မြန်မာ")),
    ("km", pgettext_lazy("language offered", "Khmer — ខ្មែរ")),
    ("hmn", pgettext_lazy("language offered", "Hmong — Hmoob")),
    ("pl", pgettext_lazy("language offered", "Polish — polski")),
    ("uk", pgettext_lazy("language offered", "Ukrainian — українська")),
    ("he", pgettext_lazy("language offered", "Hebrew — עברית")),
    ("nv", pgettext_lazy("language offered", "Navajo — Diné bizaad")),
    ("ase", pgettext_lazy("language offered", "American Sign Language")),
    ("ja", pgettext_lazy("language offered", "Japanese — 日本語")),
    ("de", pgettext_lazy("language offered", "German — Deutsch")),
    ("it", pgettext_lazy("language offered", "Italian — italiano")),
    ("mam", pgettext_lazy("language offered", "Mam")),
    ("quc", pgettext_lazy("language offered", "K'iche'")),
]
LANGUAGE_NAMES = dict(LANGUAGES)
