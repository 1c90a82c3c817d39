from django.test import SimpleTestCase

from anjian.lib import uscc

# Published codes of well-known companies (public registration records).
REAL_CODES = ["91110000100017643K", "91440300708461136T"]


class USCCTests(SimpleTestCase):
    def test_published_codes_pass(self) -> None:
        for code in REAL_CODES:
            with self.subTest(code=code):
                self.assertEqual(uscc.validate(code), code)

    def test_spaces_and_lower_case_are_normalized(self) -> None:
        self.assertEqual(uscc.validate(" 91110000 100017643k "), "91110000100017643K")

    def test_wrong_check_character_names_the_expected_one(self) -> None:
        with self.assertRaisesMessage(uscc.USCCError, "应为“K”"):
            uscc.validate("91110000100017643X")

    def test_wrong_length_says_how_long(self) -> None:
        with self.assertRaisesMessage(uscc.USCCError, "实际为17位"):
            uscc.validate("91110000100017643")

    def test_forbidden_letter_names_its_position(self) -> None:
        with self.assertRaisesMessage(uscc.USCCError, "第5位字符“I”"):
            uscc.validate("9111I000100017643K")

    def test_complete_makes_valid_codes(self) -> None:
        code = uscc.complete("91320500MA1EXAMPL")
        self.assertEqual(uscc.validate(code), code)
