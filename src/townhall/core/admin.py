"""Core's administration: the council's settings and pages, people, geography, failures, audit.

Who may do what is decided by the permission gate (core.permissions), through
`GatedModelAdmin`; other modules may subclass it and name their own actions.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.auth.models import Group
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Address, Area, AuditEntry, Page, Postcode, SiteSettings, TaskFailure, User
from .permissions import can
from .registry import registry
from .selectors.audit import field_changes, shown_value
from .services.accounts import (
    ADDRESS_TAKEN,
    PERSON_DETAILS,
    AccountErasureBlocked,
    email_confirmed_by_another,
    person_create,
    person_erase,
    person_roles_set,
    person_update,
)


class GatedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose permissions come from manifest actions instead of Django's perms.

    `view_action` lets a person see the objects; `edit_action` lets them add, change and
    delete. `delete_action`, when set, decides deleting instead (for records nobody edits
    but someone may clear away). Set `allow_add`/`allow_delete` to False to take those
    away from everyone.
    """

    view_action = "core.edit_site"
    edit_action = "core.edit_site"
    delete_action = ""
    allow_add = True
    allow_delete = True

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return can(request.user, self.view_action) or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return bool(self.edit_action) and can(request.user, self.edit_action)

    def has_add_permission(self, request) -> bool:
        return self.allow_add and self.has_change_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        if not self.allow_delete:
            return False
        if self.delete_action:
            return can(request.user, self.delete_action)
        return self.has_change_permission(request, obj)


class ReadOnlyModelAdmin(GatedModelAdmin):
    """Records kept by the platform itself: anyone allowed may read them, nobody edits."""

    edit_action = ""
    allow_add = False
    allow_delete = False


# The council's identity and pages ------------------------------------------------------


@admin.register(SiteSettings)
class SiteSettingsAdmin(ReadOnlyModelAdmin):
    """Read-only: administrators change the settings at /manage/settings/ (core.views.site),
    through site_settings_update, which validates them and forgets the cached copy."""

    fieldsets = (
        (_("Council"), {"fields": ("council_name", "council_name_cy", "service_name", "phase")}),
        (_("Look"), {"fields": ("logo", "brand_colour")}),
        (
            _("Contact"),
            {"fields": ("feedback_url", "contact_email", "contact_phone", "contact_address")},
        ),
        (_("Geography"), {"fields": ("local_authority_code",)}),
    )
    list_display = ("council_name", "phase", "brand_colour", "updated_at")


@admin.register(Page)
class PageAdmin(ReadOnlyModelAdmin):
    """Read-only: administrators write pages at /manage/pages/ (core.views.site), through
    page_create, page_update and page_delete, which keep site search in step and refuse
    to delete the pages the site needs."""

    list_display = ("title", "slug", "show_in_footer", "footer_order", "updated_at")
    search_fields = ("title_en_gb", "title_cy", "slug", "body_en_gb", "body_cy")
    fieldsets = (
        (None, {"fields": ("slug", "show_in_footer", "footer_order")}),
        (_("English"), {"fields": ("title_en_gb", "body_en_gb")}),
        (_("Welsh"), {"fields": ("title_cy", "body_cy")}),
    )


# People --------------------------------------------------------------------------------


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(slug, role.name) for slug, role in registry.roles().items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(groups__name=self.value())
        return queryset


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """The groups of the roles installed modules declare, shown by the role's name."""

    def label_from_instance(self, obj: Group) -> str:
        return str(registry.roles()[obj.name].name)


class PersonForm(forms.ModelForm):
    """A person's details and roles. The password is never shown or set here."""

    groups = RoleChoiceField(
        queryset=Group.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Roles"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(name__in=registry.roles()).order_by(
            "name"
        )

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if email_confirmed_by_another(email, self.instance):
            raise forms.ValidationError(ADDRESS_TAKEN)
        return email

    class Meta:
        model = User
        fields = (
            "email",
            "display_name",
            "preferred_language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "legal_hold",
            "legal_hold_reason",
        )


def _out_of_reach(request, person: User | None) -> bool:
    """A superuser's account: only another superuser may change or delete it, so that an
    administrator cannot take it over (by changing its email address, say)."""
    return person is not None and person.is_superuser and not request.user.is_superuser


@admin.register(User)
class PersonAdmin(GatedModelAdmin):
    """People and their roles. New people get no password: they sign in by email or SSO.

    The admin only collects the form: adding, changing, giving roles and erasing are
    core.services.accounts' person_* services, which check core.manage_people and keep a
    superuser's account out of the hands of anyone who is not one.
    """

    view_action = "core.manage_people"
    edit_action = "core.manage_people"
    form = PersonForm
    list_display = ("email", "display_name", "roles", "is_staff", "is_active", "date_joined")
    list_filter = (RoleFilter, "is_staff", "is_active", "is_superuser", "legal_hold")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    readonly_fields = ("public_id", "date_joined", "last_login")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        """Only a superuser may make or unmake a superuser."""
        if request.user.is_superuser:
            return self.readonly_fields
        return (*self.readonly_fields, "is_superuser")

    def has_change_permission(self, request, obj=None) -> bool:
        return not _out_of_reach(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _out_of_reach(request, obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        """No bulk delete: each erasure goes through its own confirmation and erase hooks."""
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("roles"))
    def roles(self, person: User) -> str:
        return ", ".join(sorted(group.name for group in person.groups.all()))

    def save_form(self, request, form, change):
        """Save through the services rather than the form, and return the saved person.

        Django's add view uses what this returns to log and redirect, so a person made by
        person_create has to come back from here (PersonAdmin has no inlines that could
        still fail afterwards).
        """
        data = form.cleaned_data
        details = {name: data[name] for name in PERSON_DETAILS if name in data}
        if change:
            return person_update(actor=request.user, person=form.instance, changes=details)
        role_slugs = [group.name for group in data.get("groups", ())]
        return person_create(actor=request.user, role_slugs=role_slugs, **details)

    def save_model(self, request, obj, form, change) -> None:
        """Already saved by save_form."""

    def save_related(self, request, form, formsets, change) -> None:
        """Roles are set by person_roles_set (and audited by core.audit's signal handler)."""
        if change and "groups" in form.cleaned_data:
            role_slugs = [group.name for group in form.cleaned_data["groups"]]
            person_roles_set(actor=request.user, person=form.instance, role_slugs=role_slugs)

    def get_deleted_objects(self, objs, request):
        """What erasing a person takes with it, asking the gate and not Django's model perms.

        Django would refuse an administrator because their email addresses and sign-on
        identities have admins that use Django's own delete permission; core.manage_people,
        already checked by has_delete_permission, is what decides here.
        """
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj) -> None:
        try:
            person_erase(actor=request.user, person=obj)
        except AccountErasureBlocked as refusal:
            self.message_user(
                request,
                _("%(person)s could not be deleted: %(reason)s")
                % {"person": obj, "reason": refusal.reason},
                messages.ERROR,
            )

    def delete_queryset(self, request, queryset) -> None:
        for person in queryset:
            self.delete_model(request, person)

    def response_delete(self, request, obj_display, obj_id):
        """Back to the person, not "deleted successfully", when the erasure was refused."""
        if User.objects.filter(pk=obj_id).exists():
            return HttpResponseRedirect(reverse("admin:core_user_change", args=[obj_id]))
        return super().response_delete(request, obj_display, obj_id)


# Geography and platform records ---------------------------------------------------------


@admin.register(Area)
class AreaAdmin(ReadOnlyModelAdmin):
    """Areas come from GeoJSON imports; their names are corrected at /manage/areas/
    (core.views.site, through area_rename), so here they are only read."""

    view_action = "core.import_geography"
    list_display = ("name", "name_cy", "kind", "code")
    list_filter = ("kind",)
    search_fields = ("name", "name_cy", "code")
    fields = ("code", "name", "name_cy", "kind")


@admin.register(Postcode)
class PostcodeAdmin(ReadOnlyModelAdmin):
    view_action = "core.import_geography"
    list_display = ("postcode", "ward_code", "local_authority_code", "terminated")
    list_filter = ("local_authority_code",)
    search_fields = ("postcode", "ward_code")


@admin.register(Address)
class AddressAdmin(ReadOnlyModelAdmin):
    view_action = "core.import_geography"
    list_display = ("address", "postcode", "uprn")
    search_fields = ("address", "postcode", "uprn")


@admin.register(TaskFailure)
class TaskFailureAdmin(ReadOnlyModelAdmin):
    """Read only: administrators clear a failure from its page under Manage
    (core:task_failure_clear), which is audited."""

    view_action = "core.view_task_progress"
    list_display = ("task_path", "attempt", "will_retry", "error", "created_at")
    list_filter = ("will_retry", "task_path")
    search_fields = ("task_path", "error")
    date_hierarchy = "created_at"


# The audit log ----------------------------------------------------------------------------


def _diff_cells(name: str, old: Any, new: Any, changed: bool) -> tuple:
    """A changed field is marked up as deleted and inserted text, so it stands out unstyled."""
    if not changed:
        return (name, shown_value(old), shown_value(new))
    return (
        format_html("<strong>{}</strong>", name),
        format_html("<del>{}</del>", shown_value(old)),
        format_html("<ins>{}</ins>", shown_value(new)),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """The log for operators, read field by field; officers filter it under Manage."""

    view_action = "core.view_audit_log"
    list_display = ("created_at", "actor_label", "operation", "object_type", "object_label")
    list_filter = ("operation", "object_type")
    search_fields = ("object_id", "object_label")
    list_select_related = False
    show_full_result_count = False
    fields = (
        "created_at",
        "actor_label",
        "operation",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "ip_address",
        "changes",
    )
    readonly_fields = fields

    @admin.display(description=_("changes"))
    def changes(self, entry: AuditEntry) -> str:
        rows = field_changes(entry.before, entry.after)
        if not rows:
            return "—"
        body = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
            (_diff_cells(name, old, new, changed) for name, old, new, changed in rows),
        )
        return format_html(
            '<table class="th-audit__diff"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Field"),
            _("Before"),
            _("After"),
            body,
        )
