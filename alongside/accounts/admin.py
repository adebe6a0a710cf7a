from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from alongside.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Alongside", {"fields": ["display_name", "pronouns", "phone", "language"]}),
    ]
