"""Loaded by pytest before Django reads its settings (`-p tests.env` in pytest.ini).

Tests get a throw-away VAR_DIR (media files, SQLite) so they never touch var/.
"""

import atexit
import os
import shutil
import tempfile

if "TEST_VAR_DIR" in os.environ:
    os.environ["VAR_DIR"] = os.environ["TEST_VAR_DIR"]
else:
    _var_dir = tempfile.mkdtemp(prefix="recoup-test-")
    os.environ["VAR_DIR"] = _var_dir
    atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)
os.environ.pop("MEDIA_ROOT", None)
os.environ.setdefault("CONTENT_PROVIDER", "local")
