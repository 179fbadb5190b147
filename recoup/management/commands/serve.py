import os
import signal

from django.core.management import call_command
from django.core.management.base import BaseCommand

from recoup.lib import processes


class Command(BaseCommand):
    help = "Runs the API (gunicorn) and a worker cluster until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port: int, **options):
        call_command("migrate", verbosity=0)
        env = {**os.environ, "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")}
        with processes.running(processes.start_web(port, env=env), processes.start_cluster(env=env)):
            self.stdout.write(f"API on http://127.0.0.1:{port}/api/docs/ with a worker cluster; Ctrl-C stops both.")
            try:
                signal.pause()
            except KeyboardInterrupt:
                self.stdout.write("stopping")
