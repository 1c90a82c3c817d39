from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import Agency, ApiToken, Department, User


@admin.register(User)
class AnjianUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "region", "enterprise", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "display_name", "phone"]
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["failed_logins", "locked_until", "last_login", "date_joined"]
    fieldsets = [
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Role and scope"),
            {
                "fields": [
                    "display_name",
                    "phone",
                    "role",
                    "region",
                    "enterprise",
                    "agency",
                    "department",
                    "certificate_no",
                    "failed_logins",
                    "locked_until",
                ]
            },
        ),
    ]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "zone"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "phone", "zone"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
