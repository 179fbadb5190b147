from django.contrib import admin

from content.models import IdempotencyRecord, Template, TemplateReferenceImage


class ReferenceImageInline(admin.TabularInline):
    model = TemplateReferenceImage
    extra = 1


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["id", "description", "uses_face_guide", "default_lipsync", "updated_at"]
    list_filter = ["uses_face_guide", "default_lipsync"]
    search_fields = ["id", "description"]
    inlines = [ReferenceImageInline]


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "account", "status_code", "created_at"]
    search_fields = ["key", "account__name"]
    readonly_fields = ["account", "key", "request_hash", "status_code", "response", "created_at"]
