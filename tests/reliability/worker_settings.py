"""Settings of the worker processes the reliability tests start: the service's own, on the test database.

pytest-django points the test process at a test database (test_<name> on PostgreSQL, a file
in VAR_DIR on SQLite); RECOUP_TEST_DATABASE_NAME points the workers at the same one.
"""

import os

from recoup.settings import *  # noqa: F403
from recoup.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["RECOUP_TEST_DATABASE_NAME"]
