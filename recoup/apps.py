from django.apps import AppConfig


class RecoupConfig(AppConfig):
    name = "recoup"
    verbose_name = "Accounts and API keys"
