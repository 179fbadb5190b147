import functools
from collections.abc import Sequence

from django.db import connection
from django.db.models import Field, Q, QuerySet
from django.db.models.expressions import Col

from recoup.models import Account
from tasks.models import Run, RunStep


def runs_for(account: Account) -> QuerySet[Run]:
    return Run.objects.filter(account=account).prefetch_related("steps")


# Clients poll one run over and over, and the ORM takes longer to build the two queries of
# runs_for(...).get() than the database takes to answer them. So run_get() reads the run and
# its steps in one plain join that PostgreSQL and SQLite both run, and has each field convert
# its column the way the ORM would (JSON, UUIDs, SQLite's datetimes).
_RUN_FIELDS = Run._meta.concrete_fields
# What the run object shows of a step; its output can be large and is left out.
_STEP_FIELDS = [
    f for f in RunStep._meta.concrete_fields if f.attname in {"name", "status", "started_at", "finished_at", "error"}
]
_RUN_WITH_STEPS = "SELECT {} FROM {} r LEFT JOIN {} s ON s.run_id = r.id WHERE r.id = %s".format(
    ", ".join([f"r.{f.column}" for f in _RUN_FIELDS] + [f"s.{f.column}" for f in _STEP_FIELDS]),
    Run._meta.db_table,
    RunStep._meta.db_table,
)


@functools.cache
def _converters(field: Field) -> tuple[Col, list]:
    # The same for every connection of the process: it has one database.
    column = field.get_col(field.model._meta.db_table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)


def _from_db(fields: Sequence[Field], values: Sequence) -> list:
    out = []
    for field, value in zip(fields, values):
        column, converters = _converters(field)
        for convert in converters:
            value = convert(value, column, connection)
        out.append(value)
    return out


def run_get(*, account: Account, run_id: str) -> Run | None:
    """The account's run, its steps in run.step_rows (see tasks.serializers), or None."""
    with connection.cursor() as cursor:
        cursor.execute(_RUN_WITH_STEPS, [run_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    split = len(_RUN_FIELDS)
    run = Run.from_db(connection.alias, [f.attname for f in _RUN_FIELDS], _from_db(_RUN_FIELDS, rows[0][:split]))
    if run.account_id != account.pk:
        return None
    step_names = [f.attname for f in _STEP_FIELDS]
    run.step_rows = [
        RunStep.from_db(connection.alias, step_names, _from_db(_STEP_FIELDS, row[split:]))
        for row in rows
        if row[split] is not None  # a run without steps yet joins one row of NULLs
    ]
    return run


def runs_page(
    *, account: Account, limit: int, status: str | None = None, artist_id=None, cursor=None
) -> tuple[list[Run], bool]:
    """Newest first, keyset-paginated on (created_at, id). Returns the page and whether more follow."""
    runs = runs_for(account).order_by("-created_at", "-id")
    if status:
        runs = runs.filter(status=status)
    if artist_id:
        runs = runs.filter(artist_id=artist_id)
    if cursor:
        created_at, run_id = cursor
        runs = runs.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=run_id))
    page = list(runs[: limit + 1])
    return page[:limit], len(page) > limit
