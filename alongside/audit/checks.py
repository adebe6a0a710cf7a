"""`check --deploy`: production needs an anchor key, or nothing outside the database can
show that the audit trail was rewritten."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

MIN_KEY_LENGTH = 32


@checks.register(checks.Tags.security, deploy=True)
def anchor_key_check(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    key: str = settings.AUDIT_ANCHOR_KEY
    if not key:
        return [
            checks.Warning(
                "AUDIT_ANCHOR_KEY is not set, so `alongside audit_anchor` cannot sign "
                "anchors and a rewritten audit trail can go unnoticed.",
                hint="Set AUDIT_ANCHOR_KEY (or AUDIT_ANCHOR_KEY_FILE) to a long random "
                "string kept off the database host; see docs/access-and-audit.md.",
                id="audit.W001",
            )
        ]
    if len(key) < MIN_KEY_LENGTH:
        return [
            checks.Warning(
                f"AUDIT_ANCHOR_KEY is shorter than {MIN_KEY_LENGTH} characters.",
                hint='Generate one with: python3 -c "import secrets; '
                'print(secrets.token_urlsafe(48))"',
                id="audit.W002",
            )
        ]
    return []
