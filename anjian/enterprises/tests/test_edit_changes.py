"""An edit records what changed, and saving an unchanged record is not an edit."""

from anjian.audit.models import Entry
from anjian.enterprises import services
from anjian.enterprises.models import Enterprise
from anjian.test import World


class EditChangesTests(World):
    def entries(self) -> int:
        return Entry.objects.filter(action="enterprise.update", object_id=str(self.ea.pk)).count()

    def test_saving_unchanged_values_keeps_the_version_and_writes_no_entry(self) -> None:
        services.update_enterprise(
            self.ea, {"name": self.ea.name, "tags": []}, by=self.li, version=self.ea.version
        )
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).version, self.ea.version)
        self.assertEqual(self.entries(), 0)

    def test_a_new_tag_alone_is_an_edit_with_the_tag_in_the_entry(self) -> None:
        services.update_enterprise(
            self.ea, {"tags": ["dust_explosion"]}, by=self.li, version=self.ea.version
        )
        self.assertEqual(Enterprise.objects.get(pk=self.ea.pk).version, self.ea.version + 1)
        entry = Entry.objects.get(action="enterprise.update", object_id=str(self.ea.pk))
        self.assertEqual(entry.changes, {"tags": [[], ["dust_explosion"]]})
        self.assertEqual(list(self.ea.tags.values_list("tag", flat=True)), ["dust_explosion"])

    def test_safety_managers_are_replaced_and_recorded(self) -> None:
        services.update_enterprise(
            self.ea,
            {"safety_managers": [{"name": "王安全", "phone": "13800000000"}]},
            by=self.li,
            version=None,
        )
        entry = Entry.objects.get(action="enterprise.update", object_id=str(self.ea.pk))
        self.assertEqual(entry.changes["safety_managers"], [[], ["王安全 13800000000"]])
        self.assertEqual([m.name for m in self.ea.safety_managers.all()], ["王安全"])
