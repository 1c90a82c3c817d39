"""The list page's drop-downs offer villages and grids near the chosen office."""

from unittest import mock

from django.urls import reverse

from anjian.test import World


class FilterDisplayTests(World):
    def setUp(self) -> None:
        self.client.force_login(self.chen)

    def grid_options(self, **params: int) -> list[str]:
        r = self.client.get(reverse("enterprises:list"), params)
        form = r.context["filter"]
        return [str(label) for value, label in form.fields["grid"].widget.choices if value]

    def test_a_small_zone_offers_every_grid(self) -> None:
        self.assertEqual(set(self.grid_options()), {"杨桥第一网格", "杨桥第二网格", "石塘第一网格"})

    def test_a_large_zone_waits_for_an_office_then_offers_its_grids(self) -> None:
        with mock.patch("anjian.enterprises.filters.NEARBY_LIMIT", 2):
            self.assertEqual(self.grid_options(), [])
            self.assertEqual(
                set(self.grid_options(office=self.o1.pk)), {"杨桥第一网格", "杨桥第二网格"}
            )
            self.assertEqual(self.grid_options(office=self.o2.pk), ["石塘第一网格"])

    def test_a_chosen_grid_stays_offered_and_filters_even_when_the_list_is_cut(self) -> None:
        with mock.patch("anjian.enterprises.filters.NEARBY_LIMIT", 1):
            r = self.client.get(reverse("enterprises:list"), {"grid": self.grid_b.pk})
        self.assertEqual([e.pk for e in r.context["page"].items], [self.eb.pk])
        self.assertIn(
            self.grid_b.pk, [v for v, _l in r.context["filter"].fields["grid"].widget.choices]
        )

    def test_filter_fields_carry_bootstrap_classes(self) -> None:
        r = self.client.get(reverse("enterprises:list"))
        self.assertContains(r, 'class="form-select form-select-sm')
        self.assertContains(r, 'class="form-control form-select-sm form-control-sm"')

    def test_htmx_request_swaps_form_and_results_together(self) -> None:
        r = self.client.get(
            reverse("enterprises:list"), {"office": self.o2.pk}, headers={"HX-Request": "true"}
        )
        self.assertTemplateUsed(r, "enterprises/_registry.html")
        self.assertContains(r, 'id="filter-form"')
        self.assertContains(r, "石塘纺织有限公司")
        self.assertNotContains(r, "杨桥精密机械有限公司")
