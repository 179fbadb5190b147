import io

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.")


def test_every_operation_describes_its_errors_and_the_key_header():
    out = io.StringIO()
    call_command("spectacular", stdout=out, stderr=io.StringIO())
    schema = yaml.safe_load(out.getvalue())
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {"type": "apiKey", "in": "header", "name": "x-api-key"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "401" in operation["responses"], f"{method} {path}"
            for code, response in operation["responses"].items():
                assert "content" in response, f"{method} {path} {code} has no body schema"
