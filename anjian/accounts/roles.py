"""The roles people have on the platform (a module of its own: the permission table and the
scope read it without loading the models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does on the platform; scope comes with it (see accounts.scope)."""

    ZONE_ADMIN = "zone_admin", _("Zone admin")
    OFFICER = "officer", _("Enforcement officer")
    GRID_WORKER = "grid_worker", _("Grid worker")
    ENTERPRISE = "enterprise", _("Enterprise user")
    EXPERT = "expert", _("Third-party expert")
    LEADER = "leader", _("Leader")
    DEPARTMENT = "department", _("Committee department")
