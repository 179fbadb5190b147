from django.core.management.base import BaseCommand, CommandError

from recoup.models import Account, api_key_create


class Command(BaseCommand):
    help = "Creates an API key for an account (creating the account if needed) and prints it once."

    def add_arguments(self, parser):
        parser.add_argument("--account", required=True, help="Account name")
        parser.add_argument("--name", default="", help="A label for the key")

    def handle(self, *args, account: str, name: str, **options):
        account_name = account.strip()
        if not account_name or len(account_name) > 120:
            raise CommandError("--account must be 1 to 120 characters")
        owner, created = Account.objects.get_or_create(name=account_name)
        key, raw = api_key_create(account=owner, name=name)
        self.stderr.write(
            f"{'Created' if created else 'Using'} account {owner.name} ({owner.pk}); "
            f"key {key.prefix}… is shown once, store it now:"
        )
        self.stdout.write(raw)
