from django.contrib import admin, messages

from recoup.auth import forget_api_keys
from recoup.models import Account, ApiKey, api_key_create


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    fields = ["prefix", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "created_at"]
    search_fields = ["name", "id"]
    readonly_fields = ["id", "webhook_secret", "created_at"]
    inlines = [ApiKeyInline]
    actions = ["create_key"]

    @admin.action(description="Create a new API key (shown once)")
    def create_key(self, request, queryset):
        for account in queryset:
            _, raw = api_key_create(account=account, name=f"admin:{request.user}")
            self.message_user(request, f"New key for {account.name} (shown once): {raw}", messages.WARNING)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "account", "name", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["prefix", "account__name", "name"]
    fields = ["account", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "account"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw = api_key_create(account=obj.account, name=obj.name, expires_at=obj.expires_at)
        obj.pk = key.pk
        self.message_user(request, f"New key (shown once, store it now): {raw}", messages.WARNING)

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.filter(revoked_at=None).update(revoked_at=timezone.now())
        # An update sends no signal; other web processes drop the keys within API_KEY_CACHE_SECONDS.
        forget_api_keys()
