"""The State Council's holiday notices for 2020–2026 as data, and the shape a year is entered in.

Transcribed from ../shared/domain/holidays.yaml (compiled 2026-11), where every range and
working day was checked to agree across three independent transcriptions of the gov.cn
notices, and each year's counts against a fresh reading of the notices on gov.cn
(2026-09-25). Each year keeps its notice, 发文字号, issue date and gov.cn address.

2027 is not here: its notice was not published in any source available when this was
written. The zone admin enters it from the workdays page once the State Council publishes it;
never guess it (one repository's "2027" table is 2026's with the year changed).

`load(apps)` and `unload(apps)` take the migration's historical app registry, so a later
change to the models does not break the migration that calls them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from anjian.workdays.calendar import Holiday
from anjian.workdays.models import DayKind

D = datetime.date
VERIFIED = "verified"  # holidays.yaml: agrees across the three transcriptions


@dataclass(frozen=True)
class Amendment:
    """A later notice that changed a year's arrangement."""

    doc_no: str
    issued: datetime.date
    source: str
    note: str


@dataclass(frozen=True)
class Notice:
    """One year's notice (国务院办公厅关于YYYY年部分节假日安排的通知): its holidays (放假,
    the weekend days inside each range included) and the weekend days worked (调休上班)."""

    year: int
    title: str
    doc_no: str
    issued: datetime.date
    source: str
    holidays: tuple[Holiday, ...]
    worked: tuple[datetime.date, ...]
    amendment: Amendment | None = None
    # Working days the notice listed that an amendment took back (kept for the record).
    cancelled: tuple[datetime.date, ...] = ()
    total_days_off: int | None = None  # as holidays.yaml counts them, where it gives them
    status: str = VERIFIED
    notes: tuple[str, ...] = ()

    def days_off(self) -> list[tuple[datetime.date, str]]:
        """(date, holiday name) for every day of every holiday."""
        return [
            (h.first + datetime.timedelta(days=k), h.name)
            for h in self.holidays
            for k in range(h.days)
        ]


def _h(name: str, first: datetime.date, last: datetime.date) -> Holiday:
    return Holiday(name, first, last)


PUBLISHED: tuple[Notice, ...] = (
    Notice(
        year=2020,
        title="国务院办公厅关于2020年部分节假日安排的通知",
        doc_no="国办发明电〔2019〕16号",
        issued=D(2019, 11, 21),
        source="http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm",
        holidays=(
            _h("元旦", D(2020, 1, 1), D(2020, 1, 1)),
            # As amended: the notice gave 1月24日至30日 (7 days).
            _h("春节", D(2020, 1, 24), D(2020, 2, 2)),
            _h("清明节", D(2020, 4, 4), D(2020, 4, 6)),
            _h("劳动节", D(2020, 5, 1), D(2020, 5, 5)),
            _h("端午节", D(2020, 6, 25), D(2020, 6, 27)),
            _h("国庆节、中秋节", D(2020, 10, 1), D(2020, 10, 8)),
        ),
        worked=(
            D(2020, 1, 19),
            D(2020, 4, 26),
            D(2020, 5, 9),
            D(2020, 6, 28),
            D(2020, 9, 27),
            D(2020, 10, 10),
        ),
        amendment=Amendment(
            doc_no="国办发明电〔2020〕1号",
            issued=D(2020, 1, 27),
            source="http://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm",
            note="春节假期延长至2020年2月2日（周日），2月3日起正常上班；"
            "原定2月1日（周六）调休上班随之取消。",
        ),
        cancelled=(D(2020, 2, 1),),
        total_days_off=30,
        notes=(
            "Several provinces postponed work resumption in February 2020 by local notices; "
            "they are not national and are not carried here.",
        ),
    ),
    Notice(
        year=2021,
        title="国务院办公厅关于2021年部分节假日安排的通知",
        doc_no="国办发明电〔2020〕27号",
        issued=D(2020, 11, 25),
        source="http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm",
        holidays=(
            _h("元旦", D(2021, 1, 1), D(2021, 1, 3)),
            _h("春节", D(2021, 2, 11), D(2021, 2, 17)),
            _h("清明节", D(2021, 4, 3), D(2021, 4, 5)),
            _h("劳动节", D(2021, 5, 1), D(2021, 5, 5)),
            _h("端午节", D(2021, 6, 12), D(2021, 6, 14)),
            _h("中秋节", D(2021, 9, 19), D(2021, 9, 21)),
            _h("国庆节", D(2021, 10, 1), D(2021, 10, 7)),
        ),
        worked=(
            D(2021, 2, 7),
            D(2021, 2, 20),
            D(2021, 4, 25),
            D(2021, 5, 8),
            D(2021, 9, 18),
            D(2021, 9, 26),
            D(2021, 10, 9),
        ),
        total_days_off=31,
    ),
    Notice(
        year=2022,
        title="国务院办公厅关于2022年部分节假日安排的通知",
        doc_no="国办发明电〔2021〕11号",
        issued=D(2021, 10, 25),
        source="http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm",
        holidays=(
            _h("元旦", D(2022, 1, 1), D(2022, 1, 3)),
            _h("春节", D(2022, 1, 31), D(2022, 2, 6)),
            _h("清明节", D(2022, 4, 3), D(2022, 4, 5)),
            _h("劳动节", D(2022, 4, 30), D(2022, 5, 4)),
            _h("端午节", D(2022, 6, 3), D(2022, 6, 5)),
            _h("中秋节", D(2022, 9, 10), D(2022, 9, 12)),
            _h("国庆节", D(2022, 10, 1), D(2022, 10, 7)),
        ),
        worked=(
            D(2022, 1, 29),
            D(2022, 1, 30),
            D(2022, 4, 2),
            D(2022, 4, 24),
            D(2022, 5, 7),
            D(2022, 10, 8),
            D(2022, 10, 9),
        ),
        total_days_off=31,
    ),
    Notice(
        year=2023,
        title="国务院办公厅关于2023年部分节假日安排的通知",
        doc_no="国办发明电〔2022〕16号",
        issued=D(2022, 12, 8),
        source="http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm",
        holidays=(
            # Begins in the old year: 2022-12-31 belongs to the 2023 notice.
            _h("元旦", D(2022, 12, 31), D(2023, 1, 2)),
            _h("春节", D(2023, 1, 21), D(2023, 1, 27)),
            _h("清明节", D(2023, 4, 5), D(2023, 4, 5)),
            _h("劳动节", D(2023, 4, 29), D(2023, 5, 3)),
            _h("端午节", D(2023, 6, 22), D(2023, 6, 24)),
            _h("中秋节、国庆节", D(2023, 9, 29), D(2023, 10, 6)),
        ),
        worked=(
            D(2023, 1, 28),
            D(2023, 1, 29),
            D(2023, 4, 23),
            D(2023, 5, 6),
            D(2023, 6, 25),
            D(2023, 10, 7),
            D(2023, 10, 8),
        ),
        total_days_off=27,
    ),
    Notice(
        year=2024,
        title="国务院办公厅关于2024年部分节假日安排的通知",
        doc_no="国办发明电〔2023〕7号",
        issued=D(2023, 10, 25),
        source="https://www.gov.cn/zhengce/content/202310/content_6911527.htm",
        holidays=(
            _h("元旦", D(2024, 1, 1), D(2024, 1, 1)),
            _h("春节", D(2024, 2, 10), D(2024, 2, 17)),
            _h("清明节", D(2024, 4, 4), D(2024, 4, 6)),
            _h("劳动节", D(2024, 5, 1), D(2024, 5, 5)),
            _h("端午节", D(2024, 6, 10), D(2024, 6, 10)),
            _h("中秋节", D(2024, 9, 15), D(2024, 9, 17)),
            _h("国庆节", D(2024, 10, 1), D(2024, 10, 7)),
        ),
        worked=(
            D(2024, 2, 4),
            D(2024, 2, 18),
            D(2024, 4, 7),
            D(2024, 4, 28),
            D(2024, 5, 11),
            D(2024, 9, 14),
            D(2024, 9, 29),
            D(2024, 10, 12),
        ),
        total_days_off=28,
        notes=(
            "除夕 2024-02-09 (Fri) was not a holiday: the notice encouraged employers to give "
            "it as paid annual leave.",
        ),
    ),
    Notice(
        year=2025,
        title="国务院办公厅关于2025年部分节假日安排的通知",
        doc_no="国办发明电〔2024〕12号",
        issued=D(2024, 11, 12),
        source="https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
        holidays=(
            _h("元旦", D(2025, 1, 1), D(2025, 1, 1)),
            _h("春节", D(2025, 1, 28), D(2025, 2, 4)),
            _h("清明节", D(2025, 4, 4), D(2025, 4, 6)),
            _h("劳动节", D(2025, 5, 1), D(2025, 5, 5)),
            _h("端午节", D(2025, 5, 31), D(2025, 6, 2)),
            _h("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8)),
        ),
        worked=(
            D(2025, 1, 26),
            D(2025, 2, 8),
            D(2025, 4, 27),
            D(2025, 9, 28),
            D(2025, 10, 11),
        ),
        total_days_off=28,
        notes=(
            "First year under 国务院令第795号 (the 2024 revision of 《全国年节及纪念日放假办法》): "
            "除夕 and 5月2日 became statutory holidays, 13 days in all.",
            "Sources disagree on the document number (〔2024〕8号, 17号); 12号 is the majority "
            "reading, with 国务院公报2024年第33号.",
        ),
    ),
    Notice(
        year=2026,
        title="国务院办公厅关于2026年部分节假日安排的通知",
        doc_no="国办发明电〔2025〕7号",
        issued=D(2025, 11, 4),
        source="https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
        holidays=(
            _h("元旦", D(2026, 1, 1), D(2026, 1, 3)),
            _h("春节", D(2026, 2, 15), D(2026, 2, 23)),
            _h("清明节", D(2026, 4, 4), D(2026, 4, 6)),
            _h("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
            _h("端午节", D(2026, 6, 19), D(2026, 6, 21)),
            _h("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
            _h("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
        ),
        worked=(
            D(2026, 1, 4),
            D(2026, 2, 14),
            D(2026, 2, 28),
            D(2026, 5, 9),
            D(2026, 9, 20),
            D(2026, 10, 10),
        ),
        total_days_off=33,
    ),
)


def notice_fields(notice: Notice) -> dict[str, Any]:
    """The HolidayNotice row of a notice, as field values."""
    a = notice.amendment
    return {
        "year": notice.year,
        "title": notice.title,
        "doc_no": notice.doc_no,
        "issued_on": notice.issued,
        "source_url": notice.source,
        "amended_by": a.doc_no if a else "",
        "amended_on": a.issued if a else None,
        "amendment_url": a.source if a else "",
    }


def day_rows(notice: Notice) -> list[dict[str, Any]]:
    """The SpecialDay rows of a notice, as field values."""
    off = [{"day": day, "kind": DayKind.OFF, "name": name} for day, name in notice.days_off()]
    worked = [{"day": day, "kind": DayKind.WORKED, "name": ""} for day in notice.worked]
    return off + worked


def load(apps: Any) -> None:
    HolidayNotice = apps.get_model("workdays", "HolidayNotice")
    SpecialDay = apps.get_model("workdays", "SpecialDay")
    for notice in PUBLISHED:
        row = HolidayNotice.objects.create(**notice_fields(notice))
        SpecialDay.objects.bulk_create(SpecialDay(notice=row, **r) for r in day_rows(notice))


def unload(apps: Any) -> None:
    HolidayNotice = apps.get_model("workdays", "HolidayNotice")
    years = [n.year for n in PUBLISHED]
    HolidayNotice.objects.filter(year__in=years, entered_by__isnull=True).delete()
