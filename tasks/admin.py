from django.contrib import admin

from tasks.models import Run, RunStep, WebhookDelivery


class RunStepInline(admin.TabularInline):
    model = RunStep
    extra = 0
    fields = ["position", "name", "status", "started_at", "finished_at", "cost_cents", "error", "output"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    fields = ["created_at", "attempt", "status_code", "delivered", "error", "duration_ms"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["id", "status", "stage", "progress", "template", "artist", "account", "attempts", "created_at"]
    list_filter = ["status", "template", "artist"]
    search_fields = ["id"]
    date_hierarchy = "created_at"
    list_select_related = ["template", "artist", "account"]
    readonly_fields = [f.name for f in Run._meta.fields]
    inlines = [RunStepInline, WebhookDeliveryInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["run", "attempt", "status_code", "delivered", "error", "created_at"]
    list_filter = ["delivered"]
    search_fields = ["run__id", "message_id"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        # A log written by deliveries; the add form could only save an empty row (a 500).
        return False
