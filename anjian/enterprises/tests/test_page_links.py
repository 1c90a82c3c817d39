"""The enterprise page offers no link its reader cannot follow: an expert engaged by an
enterprise reads its page, but not its grid's page, nor its landlord's file."""

from __future__ import annotations

import re

from anjian.accounts.models import User
from anjian.dashboard.tests.test_figures import FigureWorld
from anjian.enterprises.models import Enterprise
from anjian.test import make_enterprise

HREF = re.compile(r'href="(/[^"#]*)"')
PERSONAS = ("chen", "zhou", "li", "zhang", "zhao", "sun", "wu")


class EnterprisePageLinkTests(FigureWorld):
    def setUp(self) -> None:
        super().setUp()
        # A tenant of ea with a landlord the expert is not engaged by.
        self.tenant = make_enterprise(self.grid_a, "杨桥租户厂", landlord=self.eb)
        self.engaged = [self.ea, self.tenant]

    def test_every_link_on_the_page_opens_for_its_reader(self) -> None:
        from anjian.hazards.tests.factories import engage

        engage(self.sun, self.tenant)
        opened = 0
        for username in PERSONAS:
            user = User.objects.get(username=username)
            self.client.force_login(user)
            for enterprise in Enterprise.objects.visible_to(user).filter(
                pk__in=[e.pk for e in self.engaged]
            ):
                page = f"/enterprises/{enterprise.pk}/"
                r = self.client.get(page)
                self.assertEqual(r.status_code, 200, (username, page))
                opened += 1
                for link in sorted(set(HREF.findall(r.content.decode()))):
                    link = link.replace("&amp;", "&")
                    with self.subTest(user=username, page=page, link=link):
                        followed = self.client.get(link)
                        self.assertIn(followed.status_code, (200, 302), link)
                        if followed.status_code == 302:
                            self.assertNotIn("/accounts/login", followed["Location"], link)
        self.assertGreaterEqual(opened, 6)

    def test_the_expert_sees_the_grid_and_landlord_as_text(self) -> None:
        from anjian.hazards.tests.factories import engage

        engage(self.sun, self.tenant)
        self.client.force_login(self.sun)
        body = self.client.get(f"/enterprises/{self.tenant.pk}/").content.decode()
        self.assertIn(self.tenant.grid.name, body)
        self.assertNotIn(f"/regions/grids/{self.tenant.grid_id}/", body)
        self.assertIn(self.eb.name, body)
        self.assertNotIn(f'href="/enterprises/{self.eb.pk}/"', body)
        # The zone admin has both links.
        self.client.force_login(self.chen)
        body = self.client.get(f"/enterprises/{self.tenant.pk}/").content.decode()
        self.assertIn(f"/regions/grids/{self.tenant.grid_id}/", body)
        self.assertIn(f'href="/enterprises/{self.eb.pk}/"', body)
