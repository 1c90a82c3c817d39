"""The working-day calendar (工作日): the State Council's yearly holiday notices as a table.

Each year the General Office of the State Council publishes 国务院办公厅关于YYYY年部分节假日
安排的通知: which days are off (法定节假日, with the weekend days around them) and which weekend
days are worked instead (调休上班). A year is in the calendar once its notice is entered; a
day in a year that is not is counted on weekends alone, and a deadline that depends on one is
provisional (anjian.workdays.calendar).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DayKind(models.TextChoices):
    OFF = "off", _("Day off")  # 放假
    WORKED = "worked", _("Adjusted working day")  # 调休上班


class HolidayNoticeQuerySet(models.QuerySet["HolidayNotice"]):
    def with_counts(self) -> HolidayNoticeQuerySet:
        """Each year with `days_off` (放假天数, as the notice counts them) and `worked` (调休
        上班 days), in the same query."""
        return self.annotate(
            days_off=Count("days", filter=Q(days__kind=DayKind.OFF)),
            worked=Count("days", filter=Q(days__kind=DayKind.WORKED)),
        )


class HolidayNotice(models.Model):
    """One entered year: the notice behind it (通知, 发文字号, date, gov.cn address) and, where
    a later notice changed it, the amendment (2020: 国办发明电〔2020〕1号 extended 春节).

    The year is the key: a year is entered once. `entered_by`/`entered_at` say which zone
    admin entered it and when; both are empty for the years the data migration loaded from
    anjian.workdays.published.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    title = models.CharField(pgettext_lazy("holiday notice", "notice"), max_length=100)
    doc_no = models.CharField(pgettext_lazy("holiday notice", "document number"), max_length=50)
    issued_on = models.DateField(pgettext_lazy("holiday notice", "issued on"))
    source_url = models.URLField(_("source"))
    amended_by = models.CharField(_("amended by"), max_length=50, blank=True)
    amended_on = models.DateField(_("amended on"), null=True, blank=True)
    amendment_url = models.URLField(_("amendment source"), blank=True)
    entered_by = models.ForeignKey(
        "accounts.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    objects = HolidayNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")
        ordering = ["-year"]
        constraints = [
            # Notices come out in the autumn before their year (an amendment may follow).
            models.CheckConstraint(
                condition=Q(issued_on__year__lte=F("year")),
                name="workdays_notice_issued_by_its_year",
                violation_error_message=_("A year's notice is issued before the year ends."),
            ),
            models.CheckConstraint(
                condition=Q(entered_by__isnull=True, entered_at__isnull=True)
                | Q(entered_by__isnull=False, entered_at__isnull=False),
                name="workdays_notice_entered_by_and_at",
                violation_error_message=_("Who entered a year and when go together."),
            ),
            models.CheckConstraint(
                condition=Q(amended_by="", amended_on__isnull=True, amendment_url="")
                | (~Q(amended_by="") & Q(amended_on__isnull=False) & ~Q(amendment_url="")),
                name="workdays_notice_amendment_whole",
                violation_error_message=_(
                    "An amendment has its document number, date and source together."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}（{self.doc_no}）"


class SpecialDay(models.Model):
    """A day a notice names: a day off (放假, with its holiday's name, e.g. 国庆节) or a
    weekend day worked (调休上班).

    Every day of a holiday is kept, the weekend days inside it too: the notice counts them
    ("放假调休，共8天"), `holidays.yaml`'s totals count them, and a holiday begins on its
    first day even when that is a Saturday (2025's 端午节 began on Sat 31 May). For the
    arithmetic only the weekdays off and the weekend days worked change anything.

    A day belongs to the notice that names it, which is the notice of its year or, for a
    break that begins in the old year, the next year's (2023's 元旦 began on 2022-12-31).
    """

    day = models.DateField(_("date"))
    notice = models.ForeignKey(
        HolidayNotice,
        models.CASCADE,
        related_name="days",
        verbose_name=pgettext_lazy("holiday notice", "notice"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("holiday"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        ordering = ["day"]
        constraints = [
            # Its index serves Calendar.load: the days between two dates.
            models.UniqueConstraint(
                fields=["day"],
                name="workdays_day_once",
                violation_error_message=_("This date is already in the calendar."),
            ),
            models.CheckConstraint(
                condition=Q(day__year=F("notice")) | Q(day__month=12, day__year=F("notice") - 1),
                name="workdays_day_in_notice_year",
                violation_error_message=_(
                    "A day falls in its notice's year (or in the December before it)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DayKind.values),
                name="workdays_day_kind_valid",
                violation_error_message=_("A day is a day off or an adjusted working day."),
            ),
            # Django's week_day: 1 is Sunday, 7 is Saturday.
            models.CheckConstraint(
                condition=Q(kind=DayKind.OFF) | Q(day__week_day__in=[1, 7]),
                name="workdays_worked_day_on_weekend",
                violation_error_message=_(
                    "An adjusted working day (调休上班) is a Saturday or a Sunday."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=DayKind.WORKED) | ~Q(name=""),
                name="workdays_day_off_named",
                violation_error_message=_("A day off names its holiday."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name or self.get_kind_display()}"
