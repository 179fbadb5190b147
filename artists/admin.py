from django.contrib import admin

from artists.models import Artist, ArtistAccess, ArtistFile


class ArtistFileInline(admin.TabularInline):
    model = ArtistFile
    extra = 0
    fields = ["kind", "title", "slug", "file", "size", "duration_seconds", "width", "height", "created_at"]
    readonly_fields = ["size", "duration_seconds", "width", "height", "created_at"]


class ArtistAccessInline(admin.TabularInline):
    model = ArtistAccess
    extra = 0
    autocomplete_fields = ["account"]


@admin.register(Artist)
class ArtistAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "id", "created_at"]
    search_fields = ["name", "slug", "id"]
    readonly_fields = ["id", "created_at"]
    inlines = [ArtistAccessInline, ArtistFileInline]


@admin.register(ArtistFile)
class ArtistFileAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "artist", "size", "duration_seconds", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "slug", "artist__name", "checksum"]
    readonly_fields = ["id", "size", "checksum", "content_type", "duration_seconds", "width", "height", "created_at"]
