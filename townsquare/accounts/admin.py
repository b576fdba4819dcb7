from django.contrib import admin

from townsquare.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "language", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "name")
    exclude = ("password",)
