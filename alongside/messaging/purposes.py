"""What messages are for, as the apps that send them define it: the extension point where
scheduling says "a reminder is still wanted only while its appointment stands", "YES
or C to a reminder confirms the appointment" and "YES or NO to a waitlist offer takes
the slot or lets it go". Registered in each app's ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from alongside.lib.registry import Registry

if TYPE_CHECKING:
    from alongside.messaging.models import OutboundMessage


# The words a reply may say yes or no with (as `inbound.word_of` reads them: capitals,
# no spaces, punctuation or accents); a purpose may narrow them.
YES_WORDS = frozenset({"C", "YES", "Y", "SI"})
NO_WORDS = frozenset({"NO", "N"})


@dataclass(frozen=True)
class Purpose:
    key: str  # "scheduling.reminder"
    label: str | Promise
    # At send time: why the message is no longer wanted ("the appointment was
    # cancelled"), or "" to send it. Checked again right before every send.
    still_wanted: Callable[[OutboundMessage], str] | None = None
    # A confirming reply ("C", "YES") to a message of this purpose: do what it means and
    # say what was done, for the person's timeline.
    on_confirm: Callable[[OutboundMessage], str] | None = None
    # A declining reply ("NO", "N") to a message of this purpose, as `on_confirm`.
    on_decline: Callable[[OutboundMessage], str] | None = None
    # A reply acts only while the number is still the person's; with this, only while it
    # is theirs alone (a YES from a phone a household shares takes no slot for one of
    # them). Otherwise the reply is kept for staff.
    sole_number: bool = False
    # The words that say yes and no to a message of this purpose: a reply in none of a
    # text's words does not answer it (the latest text that takes the word does).
    yes_words: frozenset[str] = YES_WORDS
    no_words: frozenset[str] = NO_WORDS
    # What `still_wanted` and the replies store in English, said in the reader's
    # language (`lib.stored_words`); None for words that are not this purpose's.
    said: Callable[[str], str | None] | None = None

    @property
    def takes_replies(self) -> bool:
        """Whether a YES or NO can answer a message of this purpose."""
        return self.on_confirm is not None or self.on_decline is not None

    def takes(self, word: str) -> bool:
        """Whether `word` answers a message of this purpose."""
        return (self.on_confirm is not None and word in self.yes_words) or (
            self.on_decline is not None and word in self.no_words
        )


purposes: Registry[Purpose] = Registry("message purpose")
