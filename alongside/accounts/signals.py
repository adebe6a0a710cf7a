from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alongside.accounts.models import ApiToken, Membership, User
from alongside.accounts.sessions import mark_seen
from alongside.accounts.tokens import forget_tokens
from alongside.audit import services as audit
from alongside.audit.services import Action


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        mark_seen(request.session)
    audit.record(actor=user, action=Action.LOGIN, object_type="accounts.user", object_id=user.pk)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(
            actor=user, action=Action.LOGOUT, object_type="accounts.user", object_id=user.pk
        )


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit.record(
        actor=None,
        action=Action.LOGIN_FAILED,
        object_type="accounts.user",
        detail={"username": username},
    )


@receiver([post_save, post_delete], sender=ApiToken)
@receiver([post_save, post_delete], sender=User)
@receiver([post_save, post_delete], sender=Membership)
def _token_users_changed(sender: Any, **kwargs: Any) -> None:
    """A token, user or membership changed: read tokens again (accounts/tokens.py)."""
    forget_tokens()
