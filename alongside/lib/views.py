"""What every page does the same way: a service's refusal becomes a form error (or a 403),
a record that is missing or out of the user's scope becomes a 404, and a "back" address
from a form is followed only within the site."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from alongside.lib.errors import NotPermitted, StaleVersion

T = TypeVar("T")

CONFLICT = (
    "Someone else saved changes to this record while you were editing. Nothing was "
    "overwritten: the form still holds your changes. Check the record, then save again."
)


def or_404(load: Callable[[], T], message: str) -> T:
    """What a selector finds, or 404: out of scope and nonexistent answer the same."""
    try:
        return load()
    except ObjectDoesNotExist:
        raise Http404(message) from None


@contextmanager
def refusals_as_403() -> Iterator[None]:
    """A service's NotPermitted (the user sees the record but may not do this) as a 403."""
    try:
        yield
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from error


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form: on the fields it names that the form has,
    the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_service(form: BaseForm, call: Callable[[], Any], *, conflict: str = CONFLICT) -> bool:
    """Run a service for a valid form; True when it succeeded. Its refusals become form
    errors: a ValidationError on its fields, a StaleVersion as `conflict` above the form
    (the form keeps the user's input), NotPermitted a 403."""
    try:
        with refusals_as_403():
            call()
    except ValidationError as error:
        attach_errors(form, error)
    except StaleVersion as stale:
        form.add_error(None, conflict)
        # Saving again after reading the record is a deliberate choice, so it may proceed.
        data = form.data.copy()  # type: ignore[attr-defined]
        data["version"] = str(stale.current_version)
        form.data = data
    else:
        return True
    return False


def has_conflict(form: BaseForm, conflict: str = CONFLICT) -> bool:
    """Whether `run_service` refused the form's save as stale."""
    return any(conflict in error for error in form.non_field_errors())


def form_status(form: BaseForm | None, conflict: str = CONFLICT) -> int:
    """The status of a page showing a form: 409 after a stale save, 422 with errors."""
    if form is None or not form.errors:
        return 200
    return 409 if has_conflict(form, conflict) else 422


def back_to(request: HttpRequest, fallback: str) -> str:
    """The `next` address a form posted, when it is a path on this site; else `fallback`.
    Only a path: `redirect()` would read other text ("abc", "2") as a view's name and fail
    with NoReverseMatch, a 500."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
