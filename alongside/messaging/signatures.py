"""Twilio's request signature (X-Twilio-Signature): base64 of the HMAC-SHA1, keyed by the
auth token, of the full URL followed by each POST parameter's name and value, sorted by
name. https://www.twilio.com/docs/usage/security#validating-requests"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    data = url + "".join(f"{name}{value}" for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_valid(auth_token: str, url: str, params: Iterable[tuple[str, str]], given: str) -> bool:
    if not auth_token or not given:
        return False
    return hmac.compare_digest(signature(auth_token, url, params), given)
