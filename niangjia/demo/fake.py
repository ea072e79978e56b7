"""Seeded fake values: Chinese names, GB 11643 ID numbers, mobile phones, addresses."""

import random
from datetime import date, timedelta

from niangjia.core.validators import id_check_char

from . import names

# Mobile prefixes that libphonenumber accepts as valid Chinese mobiles.
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                   "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"]
# Residence permits for Hong Kong, Macao and Taiwan residents start with 81/82/83 (GB 11643 allows them).
ORIGIN_REGION = {"hk": "810000", "mo": "820000", "tw": "830000"}


class Fake:
    """All randomness of the demo comes from one seeded generator, so a load is repeatable."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self._phones: set[str] = set()
        self._ids: set[str] = set()

    # -- choices -------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    def between(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def day_within(self, days_back: int) -> date:
        return self.today - timedelta(days=self.rng.randint(0, days_back))

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # -- people --------------------------------------------------------------------------
    def name(self, gender: str = "F") -> str:
        chars = names.FEMALE_CHARS if gender == "F" else names.MALE_CHARS
        given = self.pick(chars) if self.chance(0.3) else self.pick(chars) + self.pick(names.FEMALE_CHARS + chars)
        return self.pick(names.SURNAMES) + given

    def birth_date(self, min_age: int, max_age: int) -> date:
        age_days = self.rng.randint(min_age * 365 + 30, max_age * 365 + 300)
        return self.today - timedelta(days=age_days)

    def id_number(self, region: str, born: date, gender: str) -> str:
        """A GB 11643 number: region, birth date, sequence (odd for men, even for women), check char."""
        while True:
            seq = self.rng.randint(0, 99) * 10 + self.rng.choice((1, 3, 5, 7, 9) if gender == "M" else (0, 2, 4, 6, 8))
            first17 = f"{region}{born:%Y%m%d}{seq:03d}"
            value = first17 + id_check_char(first17)
            if value not in self._ids:
                self._ids.add(value)
                return value

    def mobile(self) -> str:
        while True:
            value = self.pick(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"
            if value not in self._phones:
                self._phones.add(value)
                return value

    def landline(self, area_code: str) -> str:
        return f"{area_code}-{self.rng.randint(2, 8)}{self.rng.randint(0, 9_999_999):07d}"

    def address(self, place) -> str:
        """A home address under a village or community (or the unit's seat above that level)."""
        head = f"{names.PROVINCE[0]}{place.city}{place.county}{place.town}{place.village}"
        if place.community or not place.village:
            road = self.pick(names.ROADS)
            return (f"{head}{road}{self.between(1, 399)}号{self.between(1, 30)}幢"
                    f"{self.between(1, 4)}单元{self.between(1, 18)}0{self.between(1, 4)}室")
        return f"{head}{self.between(1, 12)}组{self.between(1, 180)}号"
