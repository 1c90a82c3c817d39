"""Coverage policy (检查频次): how many supervision visits each kind of enterprise needs."""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anjian.enterprises.models import RiskClass, Sector, StandardizationGrade
from anjian.lib.scoping import ScopeColumns, ScopedQuerySet, scope_of


class PolicyPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


# "RULES.md §2.7:" before a source: a reference to the rules file the platform was built from.
DEVELOPER_REFERENCE = re.compile(r"RULES\.md\s*(§\s*[\d.]+)?\s*[:：]?\s*|\[[VSML]\]\s*")


class SourceTag(models.TextChoices):
    """How sure a rule is (RULES.md §0); local practice [L] is what policy tables hold."""

    VERIFIED = "V", _("Verified against the official text")
    SUPPORTED = "S", _("Supported by secondary copies")
    MEMORY = "M", _("Unverified")
    LOCAL = "L", _("Local practice")


class CoveragePolicyQuerySet(ScopedQuerySet["CoveragePolicy"]):
    scope_columns = ScopeColumns(zone="zone", zone_wide=True, capability="coverage.view")

    def visible_to(self, user: Any) -> CoveragePolicyQuerySet:
        """The platform defaults (rows without a zone) and the rows of the user's zone."""
        defaults = Q(zone__isnull=True) if scope_of(user).zone_id else None
        q = self.reach(user, also=defaults)
        return self.none() if q is None else self.filter(q)


class CoveragePolicy(models.Model):
    """How many supervision visits an enterprise needs in each month, quarter or year (频次),
    by sector, risk class and standardization grade (empty = any).

    The most specific row that matches an enterprise applies. Rows without a zone are the
    platform defaults (seeded from RULES.md's [L] examples); a zone that adopts the table
    edits its own copy, which then replaces the defaults for that zone.
    """

    zone = models.ForeignKey(
        "regions.Region", models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    risk_class = models.CharField(
        _("risk class"), max_length=10, choices=RiskClass.choices, blank=True
    )
    standardization_grade = models.CharField(
        _("standardization grade"), max_length=10, choices=StandardizationGrade.choices, blank=True
    )
    visits = models.PositiveSmallIntegerField(_("visits required"))
    period = models.CharField(_("per"), max_length=10, choices=PolicyPeriod.choices)
    source_tag = models.CharField(
        _("source tag"), max_length=1, choices=SourceTag.choices, default=SourceTag.LOCAL
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = CoveragePolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("coverage policy")
        verbose_name_plural = _("coverage policies")
        ordering = ["zone", "sector", "risk_class", "standardization_grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "sector", "risk_class", "standardization_grade"],
                condition=Q(zone__isnull=False),
                name="coverage_policy_unique_in_zone",
                violation_error_message=_("The zone already has a rule for these enterprises."),
            ),
            models.UniqueConstraint(
                fields=["sector", "risk_class", "standardization_grade"],
                condition=Q(zone__isnull=True),
                name="coverage_policy_default_unique",
                violation_error_message=_("There is a default rule for these enterprises."),
            ),
            models.CheckConstraint(
                condition=Q(visits__lte=100),
                name="coverage_policy_visits_sane",
                violation_error_message=_("At most 100 visits per period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visits}/{self.period} {self.sector or '*'} {self.risk_class or '*'}"

    @property
    def public_source(self) -> str:
        """The source as a person reads it: local practice (地方做法), or the law the rule
        cites. `source` keeps the reference as written (the defaults cite RULES.md), which is
        not for the screen."""
        if self.source_tag == SourceTag.LOCAL:
            return str(SourceTag.LOCAL.label)
        return DEVELOPER_REFERENCE.sub("", self.source).strip() or str(
            self.get_source_tag_display()
        )
