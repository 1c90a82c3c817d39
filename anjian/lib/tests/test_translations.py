"""Both message catalogs are complete, and the Chinese one is the one the UI speaks.

Regenerate the catalogs after adding strings with `make catalogs`, then fill the new entries.
(Without source locations, so that two branches adding strings don't conflict line by line.)
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import TextChoices
from django.test import SimpleTestCase
from django.utils import translation

from anjian.enterprises.importing import CHOICE_FIELDS, TAG_SEPARATORS
from anjian.enterprises.models import Tag
from anjian.fieldwork.models import Outcome, VisitKind
from anjian.hazards.models import (
    Finder,
    HazardType,
    Level,
    ManagementClass,
    RectifyType,
    Source,
    Status,
)
from anjian.lib.choices import choice_lookup

LOCALE = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def parse_po(path: Path) -> tuple[Entry, list[Entry]]:
    """(header, entries) of a .po file; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    last = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                current = None
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            last, text = match.group(1), ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            text = ast.literal_eval(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        if last.startswith("msgstr"):
            index = int(last[7:-1]) if "[" in last else 0
            current.msgstr[index] = current.msgstr.get(index, "") + text
        else:
            attr = last
            setattr(current, attr, (getattr(current, attr) or "") + text)
    header = entries[0]
    assert header.msgid == "", f"{path}: the first entry should be the header"
    return header, entries[1:]


def catalog(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


class CatalogFileTests(SimpleTestCase):
    languages = ("zh_Hans", "en")

    def test_every_entry_is_translated_and_not_fuzzy(self) -> None:
        for language in self.languages:
            header, entries = parse_po(catalog(language))
            self.assertNotIn("fuzzy", header.flags, f"{language}: the header is marked fuzzy")
            for e in entries:
                with self.subTest(language=language, msgid=e.msgid):
                    self.assertNotIn("fuzzy", e.flags, f"line {e.line}")
                    self.assertTrue(e.msgstr, f"line {e.line}: no msgstr")
                    self.assertTrue(all(e.msgstr.values()), f"line {e.line}: empty msgstr")

    def test_placeholders_are_kept(self) -> None:
        for language in self.languages:
            _header, entries = parse_po(catalog(language))
            for e in entries:
                for index, text in e.msgstr.items():
                    # With two forms (en), form 0 is the singular and follows the singular
                    # msgid ("extended once" needs no %(n)s); one form (zh) serves every count.
                    singular = index == 0 and len(e.msgstr) > 1
                    source = e.msgid if singular else (e.msgid_plural or e.msgid)
                    wanted = sorted(PLACEHOLDER.findall(source))
                    with self.subTest(language=language, msgid=e.msgid, form=index):
                        self.assertEqual(sorted(PLACEHOLDER.findall(text)), wanted)

    def test_both_catalogs_hold_the_same_messages(self) -> None:
        zh = {e.key for e in parse_po(catalog("zh_Hans"))[1]}
        en = {e.key for e in parse_po(catalog("en"))[1]}
        self.assertEqual(zh - en, set(), "only in zh_Hans")
        self.assertEqual(en - zh, set(), "only in en")

    def test_no_message_is_marked_inside_an_f_string(self) -> None:
        """makemessages does not read a gettext call inside an f-string: the message would
        drop out of the catalogs at the next `make catalogs` and show untranslated."""
        marks = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext"}
        found = []
        for path in sorted(Path(settings.BASE_DIR, "anjian").rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.JoinedStr):
                    continue
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in marks
                    ):
                        found.append(f"{path.relative_to(settings.BASE_DIR)}:{inner.lineno}")
        self.assertEqual(found, [], "name the message before the f-string that prints it")

    def test_headers(self) -> None:
        for language, plural in (("zh_Hans", "nplurals=1; plural=0;"), ("en", "nplurals=2;")):
            header, entries = parse_po(catalog(language))
            text = header.msgstr[0]
            self.assertIn(f"Language: {language}\n", text)
            self.assertIn("charset=UTF-8", text)
            self.assertIn(f"Plural-Forms: {plural}", text)
            for e in entries:
                if e.msgid_plural is not None:
                    self.assertEqual(len(e.msgstr), 1 if language == "zh_Hans" else 2, e.msgid)


class ActiveCatalogTests(SimpleTestCase):
    """What the compiled catalogs (`make messages`) make of some key strings."""

    KEY_STRINGS = {
        "Enterprises": "企业名录",
        "Sign in": "登录",
        "Grid worker": "网格员",
        "Grid chief": "网格长",
        "Enforcement officer": "执法人员",
        "Combustible dust": "粉尘涉爆",
        "unified social credit code": "统一社会信用代码",
        "Audit trail": "审计日志",
        "Above designated size": "规上",
        "Operating": "在营",
    }

    def setUp(self) -> None:
        for language in ("zh_Hans", "en"):
            mo = catalog(language).with_suffix(".mo")
            self.assertTrue(mo.exists(), f"{mo} is missing: run `make messages`")

    def test_chinese_by_default_and_english_on_request(self) -> None:
        for msgid, chinese in self.KEY_STRINGS.items():
            with self.subTest(msgid=msgid):
                with translation.override("zh-hans"):
                    self.assertEqual(translation.gettext(msgid), chinese)
                with translation.override("en"):
                    self.assertEqual(translation.gettext(msgid), msgid)

    def test_plural(self) -> None:
        singular, plural = "%(n)s enterprise", "%(n)s enterprises"
        with translation.override("zh-hans"):
            self.assertEqual(translation.ngettext(singular, plural, 5) % {"n": 5}, "共 5 家企业")
        with translation.override("en"):
            self.assertEqual(translation.ngettext(singular, plural, 1) % {"n": 1}, "1 enterprise")
            self.assertEqual(translation.ngettext(singular, plural, 2) % {"n": 2}, "2 enterprises")

    def test_spreadsheet_labels_read_back(self) -> None:
        """The Chinese labels the export writes are read back by the importer as the same codes."""
        fields: list[tuple[type[TextChoices], dict[str, list[str]]]] = [
            *CHOICE_FIELDS.values(),
            (Tag, {}),
        ]
        with translation.override("zh-hans"):
            for cls, extra in fields:
                lookup = choice_lookup(cls, extra)
                for value, label in cls.choices:
                    with self.subTest(choices=cls.__name__, value=value):
                        self.assertRegex(str(label), r"[\u4e00-\u9fff]")
                        self.assertEqual(lookup[str(label).lower()], value)
            for tag in Tag:
                # The importer splits the tag cell on these, so a label may not contain them.
                for sep in [*TAG_SEPARATORS, " "]:
                    self.assertNotIn(sep, str(tag.label))

    def test_hazard_and_visit_choices_speak_chinese(self) -> None:
        """Every code the ledger, the exports and the field page show has a Chinese label."""
        choice_sets: list[type[TextChoices]] = [
            Status,
            Level,
            Source,
            RectifyType,
            HazardType,
            ManagementClass,
            Finder,
            VisitKind,
            Outcome,
        ]
        for cls in choice_sets:
            with translation.override("zh-hans"):
                labels = [str(label) for label in cls.labels]
            self.assertEqual(len(set(labels)), len(labels), f"{cls.__name__}: {labels}")
            for value, label in cls.choices:
                with self.subTest(choices=cls.__name__, value=value):
                    with translation.override("en"):
                        english = str(label)
                    with translation.override("zh-hans"):
                        chinese = str(label)
                    self.assertNotEqual(chinese, english)
                    self.assertRegex(chinese, r"[\u4e00-\u9fff]")
