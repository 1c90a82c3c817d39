"""The enterprise registry (一企一档): every enterprise a zone supervises."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.lib.scoping import ScopeColumns, ScopedQuerySet
from anjian.regions.models import Grid, Region


class Sector(models.TextChoices):
    """Supervisory sector (监管行业). The 工贸 sub-sectors follow 应急管理部令第10号 arts 4–10."""

    METALLURGY = "metallurgy", _("Metallurgy")
    NONFERROUS = "nonferrous", _("Non-ferrous metals")
    BUILDING_MATERIALS = "building_materials", _("Building materials")
    MACHINERY = "machinery", _("Machinery")
    LIGHT_INDUSTRY = "light_industry", _("Light industry")
    TEXTILE = "textile", _("Textiles")
    TOBACCO = "tobacco", _("Tobacco")
    COMMERCE = "commerce", _("Commerce and trade")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")
    FIREWORKS = "fireworks", _("Fireworks")
    CONSTRUCTION = "construction", _("Construction")
    TRANSPORT = "transport", _("Transport")
    GAS = "gas", _("Urban gas")
    CROWDED_PLACES = "crowded_places", _("Crowded places")
    OTHER = "other", _("Other")


class Tag(models.TextChoices):
    """Special supervision tags (重点监管标签): what makes an enterprise need a closer look."""

    DUST_EXPLOSION = "dust_explosion", _("Combustible dust")
    AMMONIA_REFRIGERATION = "ammonia_refrigeration", _("Ammonia refrigeration")
    CONFINED_SPACE = "confined_space", _("Confined space work")
    METAL_SMELTING = "metal_smelting", _("Metal smelting")
    HAZCHEM_PRODUCTION = "hazchem_production", _("Hazardous chemicals: production")
    HAZCHEM_TRADE = "hazchem_trade", _("Hazardous chemicals: trade")
    HAZCHEM_USE = "hazchem_use", _("Hazardous chemicals: use")
    MAJOR_HAZARD_SOURCE = "major_hazard_source", _("Major hazard installation")
    CROWDED_PLACE = "crowded_place", _("Crowded place")
    GAS_USE = "gas_use", _("Uses gas")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")


class RiskClass(models.TextChoices):
    """Four-colour risk class (红橙黄蓝)."""

    RED = "red", _("Red (major risk)")
    ORANGE = "orange", _("Orange (higher risk)")
    YELLOW = "yellow", _("Yellow (general risk)")
    BLUE = "blue", _("Blue (low risk)")


class StandardizationGrade(models.TextChoices):
    """Safety standardization grade (安全生产标准化等级)."""

    GRADE_1 = "1", _("Grade 1")
    GRADE_2 = "2", _("Grade 2")
    GRADE_3 = "3", _("Grade 3")
    SMALL = "small", _("Small and micro")


class Scale(models.TextChoices):
    ABOVE = "above", _("Above designated size")
    BELOW = "below", _("Below designated size")


class Status(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    SHUT = "shut", _("Shut down")
    CLOSED = "closed", _("Closed")
    MOVED = "moved", _("Moved away")


class Kind(models.TextChoices):
    """Whether the enterprise rents out premises to others (出租方 / 园区运营方)."""

    ORDINARY = "ordinary", _("Ordinary enterprise")
    LANDLORD = "landlord", _("Property owner renting out premises")
    CLUSTER_OPERATOR = "cluster_operator", _("Cluster operator")


class EnterpriseQuerySet(ScopedQuerySet["Enterprise"]):
    """The registry a user may see: the one scope every zone record hangs off."""

    scope_columns = ScopeColumns(
        zone="zone",
        office="office",
        village="village",
        grid="grid",
        enterprise="id",
        department="competent_department",
    )
    detail_related = ("grid", "village", "office", "competent_department", "landlord")

    def operating(self) -> EnterpriseQuerySet:
        return self.filter(status=Status.OPERATING)


def placed_record_columns(village: str = "village") -> ScopeColumns:
    """The scope columns of a record that copies its enterprise's place (zone, office,
    village, grid) onto its own row and points at the enterprise: hazards, visits."""
    return ScopeColumns(
        zone="zone",
        office="office",
        village=village,
        grid="grid",
        enterprise="enterprise",
        department="enterprise__competent_department",
    )


class Enterprise(models.Model):
    """One enterprise's file (一企一档).

    village, office and zone are copies of the grid's ancestors, kept right by the write
    functions in `enterprises.services`, so that scope is one equality on an indexed column.
    """

    name = models.CharField(_("name"), max_length=150)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    principal = models.CharField(_("principal"), max_length=50, blank=True)
    principal_phone = models.CharField(_("principal's phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    grid = models.ForeignKey(
        Grid, models.PROTECT, related_name="enterprises", verbose_name=_("grid")
    )
    village = models.ForeignKey(Region, models.PROTECT, related_name="+", editable=False)
    office = models.ForeignKey(Region, models.PROTECT, related_name="+", editable=False)
    zone = models.ForeignKey(Region, models.PROTECT, related_name="+", editable=False)
    industry_code = models.CharField(
        _("industry (GB/T 4754)"),
        max_length=5,
        blank=True,
        help_text=_("National economic industry classification code, e.g. C3311."),
    )
    sector = models.CharField(_("supervisory sector"), max_length=30, choices=Sector.choices)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True)
    competent_department = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("competent department"),
    )
    risk_class = models.CharField(
        _("risk class"), max_length=10, choices=RiskClass.choices, blank=True
    )
    standardization_grade = models.CharField(
        _("standardization grade"), max_length=10, choices=StandardizationGrade.choices, blank=True
    )
    standardization_expires_on = models.DateField(
        _("standardization expiry"), null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    landlord = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="tenants",
        verbose_name=_("landlord / cluster"),
        help_text=_("For a tenant: the property owner or cluster operator it rents from."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPERATING,
        editable=False,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    status_reason = models.CharField(_("status reason"), max_length=255, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            # The registry list in each scope, ordered by (name, id) for keyset paging.
            models.Index(fields=["zone", "name", "id"], name="ent_zone_name"),
            models.Index(fields=["office", "name", "id"], name="ent_office_name"),
            models.Index(fields=["village", "name", "id"], name="ent_village_name"),
            models.Index(fields=["grid", "name", "id"], name="ent_grid_name"),
            # Department users' scope.
            models.Index(fields=["competent_department", "name"], name="ent_dept_name"),
            # Duplicate detection and lookup by code on import.
            models.Index(fields=["uscc"], name="ent_uscc"),
            # The statistics' passes over a zone's enterprises, or some of its offices
            # (coverage's rows per grid, the map's colours by grid) read only these:
            # answered from the index, not the rows.
            models.Index(
                fields=[
                    "zone",
                    "office",
                    "grid",
                    "status",
                    "sector",
                    "risk_class",
                    "standardization_grade",
                    "id",
                ],
                name="ent_zone_office_figures",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "uscc"],
                condition=~Q(uscc=""),
                name="ent_uscc_unique_in_zone",
                violation_error_message=_(
                    "An enterprise with this credit code is already registered."
                ),
            ),
            models.CheckConstraint(
                condition=Q(landlord__isnull=True) | ~Q(landlord=models.F("id")),
                name="ent_not_own_landlord",
                violation_error_message=_("An enterprise cannot be its own landlord."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_landlord(self) -> bool:
        return self.kind != Kind.ORDINARY


# What a registry edit may change (page, API, import). Status moves only through
# enterprises.workflow; the scope columns follow the grid.
REGISTRY_FIELDS = [
    "name", "uscc", "legal_representative", "principal", "principal_phone", "address",
    "latitude", "longitude", "grid", "industry_code", "sector", "employees", "scale",
    "competent_department", "risk_class", "standardization_grade",
    "standardization_expires_on", "kind", "landlord",
]  # fmt: skip


class EnterpriseTag(models.Model):
    """One special supervision tag on one enterprise (a child row, so tags filter by join)."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="tags")
    tag = models.CharField(_("tag"), max_length=30, choices=Tag.choices)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "tag"],
                name="ent_tag_unique",
                violation_error_message=_("This tag is already set."),
            )
        ]
        indexes = [
            # The tag filter of the registry list.
            models.Index(fields=["tag", "enterprise"], name="ent_tag_tag"),
        ]

    def __str__(self) -> str:
        return self.get_tag_display()


class SafetyManager(models.Model):
    """A safety manager (安全管理人员) of an enterprise, with a phone to reach them."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="safety_managers")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("safety manager")
        verbose_name_plural = _("safety managers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """One change of an enterprise's status, written only by `enterprises.workflow`."""

    enterprise = models.ForeignKey(Enterprise, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Status.choices)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=255)
    by = models.ForeignKey("accounts.User", models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.enterprise}: {self.from_status} → {self.to_status}"
