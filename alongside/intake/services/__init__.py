"""Every write in intake: instruments, responses, answers, scores, needs and urgent flags.
Each takes the acting user, validates, writes in a transaction and records its audit event
in that transaction. Answer values never go into the audit trail or into email.

One module per subject (`instruments`, `builder`, `responses`, `needs`, `flags`,
`links`, and `access` for the checks every write on a screening makes); callers use
them through this package (`from alongside.intake import services`,
`services.response_start(...)`), which names each public service once below."""

from alongside.intake.services.access import (
    askable_versions,
    has_sensitive_items,
    link_is_usable,
    may_ask,
)
from alongside.intake.services.builder import (
    INSTRUMENT_DETAILS,
    DraftChanged,
    can_build,
    draft_token,
    instrument_copy,
    instrument_create,
    instrument_draft_edit,
    instrument_new_version,
    instrument_publish,
    instrument_retire,
)
from alongside.intake.services.flags import (
    URGENT_SUBJECT,
    FlagClosed,
    ensure_may_act,
    urgent_flag_acknowledge,
    urgent_recipients,
)
from alongside.intake.services.instruments import (
    INSTRUMENTS_DIR,
    instrument_version_create,
    instrument_version_set_status,
    instruments_load,
)
from alongside.intake.services.links import (
    LINK_LIFETIME,
    link_create,
    link_for_token,
    link_language,
    link_revoke,
)
from alongside.intake.services.needs import NEED_CHANGED, need_set_status
from alongside.intake.services.responses import (
    answer_save,
    answers_given,
    answers_save,
    response_complete,
    response_import,
    response_record,
    response_set_language,
    response_start,
)

__all__ = [
    "INSTRUMENTS_DIR",
    "INSTRUMENT_DETAILS",
    "LINK_LIFETIME",
    "NEED_CHANGED",
    "URGENT_SUBJECT",
    "DraftChanged",
    "FlagClosed",
    "answer_save",
    "answers_given",
    "answers_save",
    "askable_versions",
    "can_build",
    "draft_token",
    "ensure_may_act",
    "has_sensitive_items",
    "instrument_copy",
    "instrument_create",
    "instrument_draft_edit",
    "instrument_new_version",
    "instrument_publish",
    "instrument_retire",
    "instrument_version_create",
    "instrument_version_set_status",
    "instruments_load",
    "link_create",
    "link_for_token",
    "link_is_usable",
    "link_language",
    "link_revoke",
    "may_ask",
    "need_set_status",
    "response_complete",
    "response_import",
    "response_record",
    "response_set_language",
    "response_start",
    "urgent_flag_acknowledge",
    "urgent_recipients",
]
