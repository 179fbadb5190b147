from django.apps import AppConfig


class RecoupConfig(AppConfig):
    name = "recoup"
    verbose_name = "Accounts and API keys"

    def ready(self) -> None:
        from recoup import schema  # noqa: F401 - registers the OpenAPI auth extension
