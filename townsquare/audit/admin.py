from django.contrib import admin

from townsquare.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_label", "workspace", "action", "target_label")
    list_filter = ("action",)
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
