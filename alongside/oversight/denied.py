"""Denied attempts: a signed-in user asked for a person's record and was answered 404.

Each attempt is one `denied` event. Out of scope and nonexistent look the same here as
in the response, so the log is no oracle for whether another organization's record
exists. When one user's attempts reach `DENIED_ALERT_THRESHOLD` within
`DENIED_ALERT_MINUTES`, their organization's admins are emailed once, and a
`denied_alert` event records that they were.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Max, Min, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Membership, Role, User
from alongside.accounts.scope import scope_for
from alongside.audit import services
from alongside.audit.models import AuditEvent
from alongside.organizations.models import Organization
from alongside.oversight.routes import Asked

DENIED = AuditEvent.Action.DENIED
DENIED_ALERT = AuditEvent.Action.DENIED_ALERT
_MAX_PATH = 300


def access_denied_record(*, actor: User, asked: Asked, method: str, path: str) -> AuditEvent:
    """Record one denied attempt, and raise a burst of them to the admins.

    Called after the response is decided, outside the request's transaction, so the
    event stays even when the view's work was rolled back. Appending locks the chain
    head until this transaction ends, so concurrent attempts by one user count each
    other and a burst raises one alert, not one per request."""
    organization_id = scope_for(actor).primary_organization_id
    with transaction.atomic():
        event = services.record(
            actor=actor,
            action=DENIED,
            object_type=asked.object_type,
            object_id=asked.object_id,
            organization_id=organization_id,
            detail={
                "outcome": "denied",
                "route": asked.route,
                "method": method,
                "path": path[:_MAX_PATH],
                "ids": asked.ids,
            },
        )
        if organization_id is not None:
            _alert_on_burst(actor, organization_id, event.at)
    return event


def _since(moment: dt.datetime) -> QuerySet[AuditEvent]:
    """Events from `moment` on. Ids grow with time, so the boundary is found by reading
    back from the newest event, through the window only; then every filter is a range of
    an indexed id, however long the trail is."""
    before = (
        AuditEvent.objects.filter(at__lt=moment).order_by("-id").values_list("id", flat=True)
    ).first()
    return AuditEvent.objects.filter(id__gt=before or 0)


def _alert_on_burst(actor: User, organization_id: int, now: dt.datetime) -> None:
    threshold = settings.DENIED_ALERT_THRESHOLD
    minutes = settings.DENIED_ALERT_MINUTES
    if threshold < 1:
        return
    recent = _since(now - dt.timedelta(minutes=minutes))
    denials = recent.filter(actor_id=actor.pk, action=DENIED).aggregate(
        count=Count("id"), first=Min("at"), last=Max("at")
    )
    if denials["count"] < threshold:
        return
    # Once per burst: an alert already raised within the window covers these attempts.
    earlier = recent.filter(
        action=DENIED_ALERT, object_type="accounts.user", object_id=str(actor.pk)
    )
    if earlier.exists():
        return
    admins = list(
        Membership.objects.filter(
            organization_id=organization_id, role=Role.ORG_ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    services.record(
        actor=None,
        action=DENIED_ALERT,
        object_type="accounts.user",
        object_id=actor.pk,
        organization_id=organization_id,
        detail={
            "username": actor.username,
            "denied": denials["count"],
            "first_at": denials["first"].isoformat(),
            "window_minutes": minutes,
            "emailed": len(admins),
        },
    )
    if admins:
        _email_on_commit(actor, organization_id, denials, admins)


def _email_on_commit(
    actor: User, organization_id: int, denials: dict[str, Any], admins: list[str]
) -> None:
    organization = Organization.objects.get(pk=organization_id)
    query = urlencode({"outcome": "denied", "actor": actor.username, "org": organization_id})
    context = {
        "name": actor.get_full_name() or actor.username,
        "username": actor.username,
        "count": denials["count"],
        "first": timezone.localtime(denials["first"]),
        "last": timezone.localtime(denials["last"]),
        "time_zone": timezone.get_current_timezone_name(),
        "minutes": settings.DENIED_ALERT_MINUTES,
        "organization": organization,
        "link": f"{settings.SITE_URL.rstrip('/')}{reverse('audit:list')}?{query}",
        "site_url": settings.SITE_URL,
    }
    # Names, usernames and times only: never which records were asked for.
    subject = " ".join(render_to_string("audit/email/denied_alert_subject.txt", context).split())
    body = render_to_string("audit/email/denied_alert_body.txt", context)

    def send() -> None:
        send_mass_mail([(subject, body, None, [email]) for email in admins])

    # robust: a mail server that is down must not turn the 404 into an error page; the
    # alert is in the audit trail either way.
    transaction.on_commit(send, robust=True)
