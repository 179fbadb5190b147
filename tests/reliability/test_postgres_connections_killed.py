"""PostgreSQL drops every connection of the workers (pg_terminate_backend) while runs execute: the runs recover.

As a database restart or a failover does. The runner and its heartbeat thread reconnect and
carry on, so no run needs the reaper: each completes on its first attempt.
"""

import time

import pytest
from django.db import connection

from tasks.models import ACTIVE_STATUSES, Run, RunStatus
from tests.reliability.conftest import final_videos, wait_for

pytestmark = [
    # The workers are other processes: the test's data must be committed for them to see it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend is PostgreSQL's"),
]


def terminate_other_connections() -> int:
    """Ends every other session on the test database (the workers', that is); returns how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_runs_complete_on_their_first_attempt_when_postgresql_kills_the_workers_connections(api, artist, workers):
    workers.start(Q_WORKERS="2")
    run_ids = api.post("/api/content/create", {"artist_account_id": str(artist.pk), "batch": 3}, format="json").json()[
        "runIds"
    ]
    runs = Run.objects.filter(pk__in=run_ids)

    wait_for(lambda: runs.filter(status=RunStatus.EXECUTING).exists(), timeout=30, what="runs to execute")
    killed = 0
    deadline = time.monotonic() + 90
    while runs.filter(status__in=ACTIVE_STATUSES).exists() and time.monotonic() < deadline:
        if runs.filter(status=RunStatus.EXECUTING).exists():
            killed += terminate_other_connections()
        time.sleep(1.0)

    assert killed, "no connection was terminated"
    assert dict(runs.values_list("pk", "status")) == dict.fromkeys(run_ids, RunStatus.COMPLETED), list(
        runs.values_list("pk", "error")
    )
    assert set(runs.values_list("attempts", flat=True)) == {1}
    assert {run_id: final_videos(run_id) for run_id in run_ids} == {run_id: [f"{run_id}.mp4"] for run_id in run_ids}
    # The runner met a dropped connection and carried on with a new one.
    assert "lost the database connection (terminating connection due to administrator command)" in workers.logged()
