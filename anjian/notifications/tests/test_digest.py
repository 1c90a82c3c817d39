"""The daily digest: what each enterprise user and officer is told, once a day, through
each configured sender."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from anjian.accounts.models import Role, User
from anjian.accounts.scope import with_scope_columns
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import HazardWorld, days, general, make_photo, step, today
from anjian.hazards.workflow import register_hazard
from anjian.notifications.digest import (
    Digest,
    deliver,
    enterprise_digests,
    officer_digest,
    send_digest,
)
from anjian.notifications.models import DigestRun, Kind, Notification
from anjian.notifications.senders import EmailSender, InAppSender, Message, SmsSender
from anjian.test import make_user

SENT_SMS: list[tuple[str, str]] = []


def record_sms(phone: str, text: str) -> None:
    """An SMS gateway that keeps what it was given (a stand-in for the operator's API)."""
    SENT_SMS.append((phone, text))


class BrokenSender:
    name = "broken"
    external = True

    def send(self, message: Message) -> bool:
        raise ConnectionError("gateway down")


def names(digest: Digest, key: str) -> set[str]:
    return {line.name for line in digest.sections[key].lines}


def long_ago() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=20)


class DigestWorld(HazardWorld):
    def hazard(self, name: str, enterprise: Any = None, old: bool = True, **data: Any) -> Hazard:
        found_on = data.pop("found_on", days(-30) if old else today())
        enterprise = enterprise or self.ea
        by = self.qian if enterprise == self.eb else self.li
        h = register_hazard(enterprise, general(name=name, found_on=found_on, **data), by=by)
        if old:
            Hazard.objects.filter(pk=h.pk).update(created_at=long_ago())
            h.refresh_from_db()
        return h

    def since(self, *users: User) -> dict[int, datetime.datetime]:
        return {u.pk: timezone.now() - datetime.timedelta(days=1) for u in users}


class SectionTests(DigestWorld):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.zhao.email, cls.zhao.phone = "zhao@example.com", "13800000001"
        cls.zhao.save()

    def setUp(self) -> None:
        super().setUp()
        self.new = self.hazard("新发现：消防通道堵塞", old=False)
        self.soon = self.hazard("三日内到期：叉车未年检", deadline=days(3))
        self.later = self.hazard("五日后到期：货架超载", deadline=days(5))
        self.late = self.hazard("已逾期：安全出口锁闭", found_on=days(-40), deadline=days(-10))
        self.rejected = self.hazard("被退回：配电箱杂物", deadline=days(20))
        step(self.rejected, "submit", self.zhao, make_photo(self.zhao))
        step(self.rejected, "reject", self.li, note="照片看不清")
        self.done = self.hazard("已销号：灭火器过期", deadline=days(1))
        step(self.done, "submit", self.zhao, make_photo(self.zhao))
        step(self.done, "accept", self.li)
        self.elsewhere = self.hazard("别家的：纺纱车间积尘", enterprise=self.eb, deadline=days(1))

    def test_an_enterprise_user_hears_of_new_due_soon_overdue_and_rejected(self) -> None:
        [digest] = enterprise_digests([self.zhao], self.since(self.zhao), today())
        self.assertEqual(names(digest, "new"), {self.new.name})
        self.assertEqual(names(digest, "due_soon"), {self.soon.name})
        self.assertEqual(names(digest, "overdue"), {self.late.name})
        self.assertEqual(names(digest, "rejected"), {self.rejected.name})
        self.assertEqual(digest.items, 4)

    def test_a_hazard_imported_today_is_history_not_news(self) -> None:
        # A ledger imported this morning holds years of hazards: none of them is "new", but
        # an imported hazard still open past its deadline is overdue like any other.
        old_news = self.hazard("导入的：仓库消防器材缺失", old=False)
        late = self.hazard(
            "导入且逾期：配电房积水", old=False, found_on=days(-9), deadline=days(-2)
        )
        Hazard.objects.filter(pk__in=[old_news.pk, late.pk]).update(imported=True)
        [digest] = enterprise_digests([self.zhao], self.since(self.zhao), today())
        self.assertEqual(names(digest, "new"), {self.new.name})
        self.assertEqual(names(digest, "overdue"), {self.late.name, late.name})
        li = officer_digest(self.li, timezone.now() - datetime.timedelta(days=1), today())
        self.assertEqual(names(li, "new"), {self.new.name})
        self.assertIn(late.name, names(li, "overdue"))

    @override_settings(NOTIFY_DEADLINE_DAYS=7)
    def test_the_due_soon_window_is_a_setting(self) -> None:
        [digest] = enterprise_digests([self.zhao], self.since(self.zhao), today())
        self.assertEqual(names(digest, "due_soon"), {self.soon.name, self.later.name})
        self.assertIn("7", digest.message().body)

    def test_an_officer_hears_of_the_hazards_in_their_area_only(self) -> None:
        li = officer_digest(self.li, timezone.now() - datetime.timedelta(days=1), today())
        self.assertEqual(names(li, "due_soon"), {self.soon.name})
        self.assertEqual(names(li, "overdue"), {self.late.name})
        qian = officer_digest(self.qian, timezone.now() - datetime.timedelta(days=1), today())
        self.assertEqual(names(qian, "due_soon"), {self.elsewhere.name})
        self.assertEqual(qian.sections["overdue"].count, 0)

    def test_the_message_lists_each_section_in_the_platforms_language(self) -> None:
        [digest] = enterprise_digests([self.zhao], self.since(self.zhao), today())
        message = digest.message()
        self.assertIn(today().isoformat(), message.subject)
        self.assertIn(f"- {self.ea.name}：{self.late.name}", message.body)
        self.assertIn(days(-10).isoformat(), message.body)

    def test_a_digest_run_delivers_in_app_email_and_sms(self) -> None:
        SENT_SMS.clear()
        with (
            override_settings(EMAIL_HOST="smtp.example.test"),
            override_settings(SMS_GATEWAY="anjian.notifications.tests.test_digest.record_sms"),
        ):
            summary = send_digest(senders=[InAppSender(), EmailSender(), SmsSender()])
        note = Notification.objects.get(recipient=self.zhao, kind=Kind.DIGEST)
        self.assertIn(self.late.name, note.text)
        self.assertEqual(
            [m.to for m in mail.outbox if self.late.name in m.body], [["zhao@example.com"]]
        )
        self.assertEqual([p for p, t in SENT_SMS if self.late.name in t], ["13800000001"])
        run = DigestRun.objects.get(recipient=self.zhao, on=today())
        self.assertEqual((run.items, run.sent_by, run.failed), (4, ["in_app", "email", "sms"], []))
        # zhao, li and qian had something to report; Zhou (leader) gets no digest at all.
        self.assertEqual((summary.recipients, summary.sent, summary.already_done), (3, 3, 0))
        self.assertFalse(DigestRun.objects.filter(recipient=self.zhou).exists())

    def test_the_same_day_twice_sends_nothing_twice(self) -> None:
        send_digest(senders=[InAppSender()])
        before = Notification.objects.filter(kind=Kind.DIGEST).count()
        again = send_digest(senders=[InAppSender()])
        self.assertEqual((again.recipients, again.sent), (0, 0))
        self.assertEqual(Notification.objects.filter(kind=Kind.DIGEST).count(), before)
        self.assertEqual(DigestRun.objects.filter(recipient=self.zhao).count(), 1)

    def test_a_day_claimed_by_another_run_is_left_alone(self) -> None:
        [digest] = enterprise_digests([self.zhao], self.since(self.zhao), today())
        DigestRun.objects.create(recipient=self.zhao, on=today())
        self.assertIsNone(deliver(digest, [InAppSender()]))
        self.assertFalse(Notification.objects.filter(kind=Kind.DIGEST).exists())

    def test_a_broken_sender_is_recorded_and_the_others_still_send(self) -> None:
        with self.assertLogs("anjian.notifications", "ERROR"):
            send_digest(senders=[InAppSender(), BrokenSender()])
        run = DigestRun.objects.get(recipient=self.zhao)
        self.assertEqual(run.sent_by, ["in_app"])
        self.assertEqual(run.failed, ["broken: gateway down"])
        self.assertTrue(Notification.objects.filter(recipient=self.zhao, kind=Kind.DIGEST).exists())


class SinceTests(DigestWorld):
    def test_new_means_new_since_the_previous_digest(self) -> None:
        yesterday = today() - datetime.timedelta(days=1)
        send_digest(yesterday, senders=[InAppSender()])
        last_run = timezone.now() - datetime.timedelta(hours=3)
        DigestRun.objects.filter(on=yesterday).update(created_at=last_run)
        before = self.hazard("昨天的：消防通道堵塞", old=False)
        Hazard.objects.filter(pk=before.pk).update(
            created_at=last_run - datetime.timedelta(hours=1)
        )
        after = self.hazard("今天的：叉车未年检", old=False)
        send_digest(senders=[InAppSender()])
        text = Notification.objects.get(recipient=self.zhao, kind=Kind.DIGEST).text
        self.assertIn(after.name, text)
        self.assertNotIn(before.name, text)

    def test_a_quiet_day_is_recorded_but_sends_nothing(self) -> None:
        summary = send_digest(senders=[InAppSender()])
        self.assertEqual(summary.sent, 0)
        self.assertEqual(summary.empty, summary.recipients)
        self.assertTrue(DigestRun.objects.filter(recipient=self.zhao, items=0).exists())
        self.assertFalse(Notification.objects.exists())

    def test_an_officers_digest_reads_no_region_of_its_own(self) -> None:
        # send_digest loads officers with their regions (with_scope_columns): each officer's
        # digest is then its four sections, a count and a page each.
        [li] = with_scope_columns(User.objects.filter(pk=self.li.pk))
        with self.assertNumQueries(8):
            officer_digest(li, timezone.now() - datetime.timedelta(days=1), today())

    def test_enterprise_digests_cost_the_same_queries_for_any_number_of_users(self) -> None:
        self.hazard("已逾期：安全出口锁闭", found_on=days(-40), deadline=days(-10))
        users = [self.zhao] + [
            make_user(f"e{i}", Role.ENTERPRISE, enterprise=e)
            for i, e in enumerate([self.ea, self.ea2, self.eb, self.ea])
        ]
        with self.assertNumQueries(3):
            digests = enterprise_digests(users, self.since(*users), today())
        self.assertEqual([d.sections["overdue"].count for d in digests], [1, 1, 0, 0, 1])


class SenderTests(DigestWorld):
    def message(self, **user: Any) -> Message:
        return Message(recipient=User(username="x", **user), subject="隐患日报", body="正文")

    def test_email_without_a_server_is_logged_not_sent(self) -> None:
        with self.assertLogs("anjian.notifications", "INFO") as logs:
            sent = EmailSender().send(self.message(email="a@example.com"))
        self.assertFalse(sent)
        self.assertEqual(mail.outbox, [])
        self.assertIn("email not configured", logs.output[0])

    def test_sms_without_a_gateway_is_logged(self) -> None:
        with self.assertLogs("anjian.notifications", "INFO") as logs:
            self.assertTrue(SmsSender().send(self.message(phone="13800000002")))
        self.assertIn("13800000002", logs.output[0])
        self.assertIn("隐患日报", logs.output[0])

    def test_people_without_an_address_are_skipped(self) -> None:
        with override_settings(EMAIL_HOST="smtp.example.test"):
            self.assertFalse(EmailSender().send(self.message()))
        self.assertFalse(SmsSender(record_sms).send(self.message()))

    @override_settings(NOTIFY_SENDERS=["anjian.notifications.senders.InAppSender"])
    def test_the_command_sends_with_the_configured_senders(self) -> None:
        self.hazard("已逾期：安全出口锁闭", found_on=days(-40), deadline=days(-10))
        out = io.StringIO()
        call_command("send_digest", stdout=out)
        self.assertIn("2 sent", out.getvalue())  # Zhao and Li; Qian's area is quiet
        self.assertEqual(Notification.objects.filter(kind=Kind.DIGEST).count(), 2)
        with self.assertRaisesMessage(CommandError, "YYYY-MM-DD"):
            call_command("send_digest", "--date", "2026/05/01")
