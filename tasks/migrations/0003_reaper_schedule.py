"""The stale-run reaper's django-q2 schedule: tasks.reaper.reap_stale_runs every minute.

A data migration rather than a post_migrate handler: it runs once per database, is
reversible, and leaves the row for an operator to pause in the admin (set repeats to 0).
update_or_create keeps it idempotent if the row was made by hand before. A pass that
succeeds is not kept as a task result, which would crowd the runs' results out of
Q_SAVE_LIMIT once a minute: the reaper logs each decision instead.
"""

from django.db import migrations

SCHEDULE_NAME = "reap-stale-runs"
REAPER_JOB = "tasks.reaper.reap_stale_runs"
MINUTES = "I"  # django_q.models.Schedule.MINUTES; historical models have no class constants


def create_schedule(apps, schema_editor) -> None:
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": REAPER_JOB,
            "kwargs": "{'q_options': {'save': False}}",
            "schedule_type": MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )


def delete_schedule(apps, schema_editor) -> None:
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_run_queued_at"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RunPython(create_schedule, delete_schedule),
    ]
