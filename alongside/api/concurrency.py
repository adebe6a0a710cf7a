"""Optimistic concurrency: every representation carries its `version` and an
`ETag: "<version>"`; every change must say which version it was based on, in an
`If-Match` header or a `version` field. A stale one is refused with 409 by the service;
a missing one with 428, so no client overwrites a colleague's edit by accident."""

from __future__ import annotations

import re

from django.http import HttpRequest

from alongside.api.errors import ApiError, invalid

_ETAG = re.compile(r'^\s*(?:W/)?"?([0-9]{1,19})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str) -> int:
    match = _ETAG.match(value)
    if match is None or int(match.group(1)) < 1:
        raise invalid("If-Match", 'Send the version you read as an ETag, such as "3".')
    return int(match.group(1))


def expected_version(request: HttpRequest, body_version: int | None) -> int:
    """The version the client read, from If-Match or the body's `version`."""
    header = request.headers.get("If-Match")
    if header is None:
        if body_version is None:
            raise ApiError(
                428,
                "Say which version you are changing: send If-Match with the ETag you read, "
                "or a version field.",
            )
        return body_version
    version = parse_if_match(header)
    if body_version is not None and body_version != version:
        raise invalid("version", "The version field and the If-Match header disagree.")
    return version
