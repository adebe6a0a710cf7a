"""The seam between plans and the apps that react to a plan's changes.

Every plan service calls `announce(change)` inside its transaction, after the change
and its version are saved. Listeners registered here run in that transaction: the hub's
tasks are to turn a staff-owned step into a task (`kind == "step_added"`, `step.owner_kind
== "staff"`), and the journey timeline is to get one entry per change. Neither exists on
main yet, so nothing listens by default; a listener registers in its AppConfig.ready()
(plans sits above the domain layer, so it may also call them directly once they exist).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from alongside.accounts.actors import Actor

if TYPE_CHECKING:
    from alongside.plans.models import Goal, Plan, Step


@dataclass(frozen=True)
class PlanChange:
    actor: Actor
    plan: Plan
    kind: str  # "plan_started", "goal_added", "step_added", "review_recorded", ...
    summary: str  # the version's summary, e.g. "Goal added: Have my own place"
    version: int
    goal: Goal | None = None
    step: Step | None = None
    # Whether the change is about a sensitive goal (a timeline entry shows its details
    # only to those the sensitivity rule allows).
    sensitive: bool = False


Listener = Callable[[PlanChange], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def forget(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def announce(change: PlanChange) -> None:
    for listener in list(_listeners):
        listener(change)
