"""People, their roles and scope, the organisations they belong to, and API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.accounts.permissions import can
from anjian.accounts.roles import Role
from anjian.lib.scoping import Scope, ScopeColumns, ScopedQuerySet, Through

__all__ = ["Agency", "ApiToken", "Department", "DepartmentKind", "Engagement", "Role", "User"]


class DepartmentKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency management")
    FIRE = "fire", _("Fire and rescue")
    CONSTRUCTION = "construction", _("Housing and construction")
    SPECIAL_EQUIPMENT = "special_equipment", _("Market supervision (special equipment)")
    ENVIRONMENT = "environment", _("Ecology and environment")
    TRANSPORT = "transport", _("Transport")
    GAS = "gas", _("Urban gas")
    OTHER = "other", _("Other")


class DepartmentQuerySet(ScopedQuerySet["Department"]):
    # Everyone placed in a zone reads its committee departments (to refer, to be referred).
    scope_columns = ScopeColumns(zone="zone", zone_wide=True)


class Department(models.Model):
    """A member department of the work-safety committee (安委会成员单位)."""

    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="departments")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=DepartmentKind.choices)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee department")
        verbose_name_plural = _("committee departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "name"],
                name="department_name_unique_in_zone",
                violation_error_message=_("This zone already has a department of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(ScopedQuerySet["Agency"]):
    # An expert reads their own agency; the zone's staff read every agency the zone engages.
    scope_columns = ScopeColumns(zone="zone", agency="id")


class Agency(models.Model):
    """A third-party safety service agency (第三方安全服务机构, "安全管家") engaged by the zone."""

    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=150)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("third-party agency")
        verbose_name_plural = _("third-party agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(ScopedQuerySet["User"]):
    """People a zone admin manages: everyone filed under their zone."""

    scope_columns = ScopeColumns(zone="zone", capability="people.manage")


class PersonManager(UserManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person who signs in. `role` says what they do; the FK that goes with it says where.

    zone admin, officer, leader: `region` (zone or office); grid worker: their GridAssignments;
    enterprise user: `enterprise`; expert: `agency`; department: `department`.
    """

    display_name = models.CharField(_("full name"), max_length=50, blank=True)
    zone = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        editable=False,
        help_text="The zone whose admin manages this account.",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("area"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("enterprise"),
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("agency"),
    )
    department = models.ForeignKey(
        Department,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    certificate_no = models.CharField(
        _("enforcement certificate number"),
        max_length=40,
        blank=True,
        help_text=_("Required for enforcement officers."),
    )
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["zone_admin", "officer", "leader"])
                | Q(region__isnull=False),
                name="user_staff_has_region",
                violation_error_message=_("Zone admins, officers and leaders need an area."),
            ),
            models.CheckConstraint(
                condition=~Q(role="officer") | ~Q(certificate_no=""),
                name="user_officer_has_certificate",
                violation_error_message=_("An enforcement officer needs a certificate number."),
            ),
            models.CheckConstraint(
                condition=~Q(role="enterprise") | Q(enterprise__isnull=False),
                name="user_enterprise_role_has_enterprise",
                violation_error_message=_("An enterprise user must belong to an enterprise."),
            ),
            models.CheckConstraint(
                condition=~Q(role="expert") | Q(agency__isnull=False),
                name="user_expert_has_agency",
                violation_error_message=_("An expert must belong to an agency."),
            ),
            models.CheckConstraint(
                condition=~Q(role="department") | Q(department__isnull=False),
                name="user_department_role_has_department",
                violation_error_message=_("A department user must belong to a department."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @cached_property
    def scope(self) -> Scope:
        """What this person reaches, computed once per request (accounts.scope)."""
        # accounts.scope reads this module's models; importing it here at call time keeps
        # the two modules from importing each other while they load.
        from anjian.accounts.scope import compute_scope

        return compute_scope(self)

    def can(self, capability: str) -> bool:
        """Whether this person's role holds the capability (accounts.permissions)."""
        return can(self, capability)

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_expiry() -> datetime.datetime:
    """When a token issued now stops working."""
    return timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(ScopedQuerySet["ApiToken"]):
    # A token is its owner's business only.
    scope_columns = ScopeColumns(person="user")

    def live(self) -> ApiTokenQuerySet:
        """Not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for a device or an integration. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # Set when issued, settings.API_TOKEN_DAYS on: a lost phone's token does not work for
    # ever even if nobody revokes it.
    expires_at = models.DateTimeField(_("expires"), default=token_expiry)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_raw() -> str:
        return "aj_" + secrets.token_urlsafe(32)


class EngagementQuerySet(ScopedQuerySet["Engagement"]):
    # An expert reads the engagements they serve on; the zone's staff read the zone's.
    scope_columns = ScopeColumns(zone="zone", person=Through("experts"))

    def active(self, on: datetime.date | None = None) -> EngagementQuerySet:
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class Engagement(models.Model):
    """A third-party agency engaged for a time to check named enterprises (安全管家).

    An expert sees, and may check, the enterprises of their active engagements only
    (accounts.scope); their findings are hazards referred to the competent officer.
    """

    zone = models.ForeignKey("regions.Region", models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="engagements")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enterprises = models.ManyToManyField("enterprises.Enterprise", related_name="engagements")
    experts = models.ManyToManyField(User, related_name="engagements")

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="engagement_ends_after_start",
                violation_error_message=_("It cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
