"""PostgreSQL: everything a plan's snapshot is made of (goals; steps with their owners;
readiness; reviews; GAS ratings; agreements) read in the same query as the plan, as
one JSON document from a correlated subquery, instead of six queries.

Each list is the model's rows (`to_jsonb`) in the order `plans/snapshot.py` reads them
in, turned back into model instances through `Field.to_python` (the SQL and the reading
back are `people/related_rows.py`'s), so the snapshot is built by the same code from the
same values whichever way they were read. Only text, numbers, booleans, dates and timestamps
are read this way. The SQL is written once from the models' metadata; building it
through the ORM for every request would cost more than the queries it saves. On SQLite
the snapshot keeps its six queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model
from django.db.models.expressions import RawSQL

from alongside.people.related_rows import json_instance, json_rows_sql
from alongside.plans.models import Agreement, GasRating, Goal, Plan, Readiness, Review, Step

# The name of the annotation on a plan read with its rows.
ANNOTATION = "_snapshot_rows"


@dataclass(frozen=True)
class _List:
    model: type[Model]
    through: str  # how a row reaches its plan: "plan" itself, or via "goal" or "review"
    ordering: tuple[str, ...]
    joined: tuple[str, ...] = ()  # foreign keys read with each row, as select_related


def _ordering(model: type[Model]) -> tuple[str, ...]:
    """The model's own ordering (plain field names, as each model here has)."""
    return tuple(str(key) for key in model._meta.ordering or ())


LISTS: dict[str, _List] = {
    "goals": _List(Goal, "plan", ("priority", "id")),
    "steps": _List(Step, "goal", _ordering(Step), ("owner_user", "owner_contact")),
    "readiness": _List(Readiness, "goal", _ordering(Readiness)),
    "reviews": _List(Review, "plan", _ordering(Review)),
    "ratings": _List(GasRating, "review", _ordering(GasRating)),
    "agreements": _List(Agreement, "plan", _ordering(Agreement)),
}


def _list_sql(spec: _List, plan_column: str) -> str:
    meta: Any = spec.model._meta
    if spec.through == "plan":
        where = f'r."{meta.get_field("plan").column}" = {plan_column}'
    else:
        fk = meta.get_field(spec.through)
        parent = fk.related_model._meta
        where = (
            f'r."{fk.column}" IN (SELECT p."id" FROM "{parent.db_table}" p'  # noqa: S608
            f' WHERE p."{parent.get_field("plan").column}" = {plan_column})'
        )
    return json_rows_sql(spec.model, spec.joined, spec.ordering, where)


_PLAN_ID = f'"{Plan._meta.db_table}"."id"'
_SQL = (
    "jsonb_build_object("
    + ", ".join(f"'{name}', {_list_sql(spec, _PLAN_ID)}" for name, spec in LISTS.items())
    + ")"
)


def inline() -> bool:
    """Whether a plan's rows can be read with it (PostgreSQL)."""
    return connection.vendor == "postgresql"


def annotation() -> dict[str, RawSQL]:
    """The annotation that reads a plan's rows with it, for `QuerySet.annotate` on a
    queryset of plans (its table not aliased, as Django leaves a queryset's own)."""
    return {ANNOTATION: RawSQL(_SQL, (), output_field=JSONField())}  # noqa: S611 - no input


def taken(plan: Plan) -> dict[str, list[Any]] | None:
    """The rows read with `plan` (removed from it) as model instances, each list in the
    order the snapshot reads it; None when the plan was read without them."""
    document = vars(plan).pop(ANNOTATION, None)
    if document is None:
        return None
    found: dict[str, list[Any]] = {}
    for name, spec in LISTS.items():
        instances = []
        for own, *joined in document.get(name) or []:
            instance = json_instance(spec.model, own)
            for key, data in zip(spec.joined, joined, strict=True):
                fk: Any = spec.model._meta.get_field(key)
                fk.set_cached_value(
                    instance, None if data is None else json_instance(fk.related_model, data)
                )
            instances.append(instance)
        found[name] = instances
    return found
