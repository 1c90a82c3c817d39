import datetime
import random
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from anjian.audit.log import channel, record
from anjian.audit.models import Channel, Entry
from anjian.demo import activity, organisation, registry
from anjian.regions.models import Region
from anjian.statistics import loading, tallies

SCALES = {"zone": 1, "city": 20, "province": 100}
DEMO_LOGINS = [
    "demo-admin",
    "demo-officer",
    "demo-grid",
    "demo-enterprise",
    "demo-expert",
    "demo-leader",
    "demo-department",
]


class Command(BaseCommand):
    help = "Load a demo zone: the seed article's scale (zone), 20x (city) or 100x (province)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="zone")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument(
            "--year",
            type=int,
            help="the calendar year of demo field work and hazards (default: last year); "
            "this year up to yesterday is added at the same pace",
        )
        parser.add_argument(
            "--no-activity",
            action="store_true",
            help="the registry only: no visits, hazards or engagements",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (successfully) when the database already has a zone",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if Region.objects.exists():
            if opts["if_empty"]:
                self._say_what_is_kept(opts["scale"])
                return
            raise CommandError(
                "The database already holds a zone. Seed an empty database "
                "(e.g. delete var/anjian.sqlite3 and run `make setup`)."
            )
        this_year = timezone.localdate().year
        year = opts["year"] or this_year - 1
        if not 2000 <= year < this_year:
            raise CommandError(f"--year must be a past year, from 2000 to {this_year - 1}.")
        started = time.monotonic()
        factor = SCALES[opts["scale"]]
        rng = random.Random(opts["seed"])
        # The statistics layer's row triggers off while the rows go in, its tallies and
        # versions counted afresh before the transaction commits (statistics.loading).
        with channel(Channel.COMMAND), transaction.atomic(), loading.triggers_off():
            org = self._seed(rng, factor, datetime.date(year, 1, 1))
            changes: dict[str, Any] = {"scale": opts["scale"], "seed": opts["seed"]}
            if not opts["no_activity"]:
                self.stdout.write(f"field work and hazards, {year} and this year to date…")
                tally = activity.seed_activity(
                    org.zone, seed=opts["seed"], year=year, say=self.stdout.write
                )
                changes |= {"year": year, "visits": sum(tally.visits.values())}
                changes["hazards"] = sum(tally.hazards.values())
            record(None, "demo.seed", org.zone, changes=changes, zone_id=org.zone.pk)
        # The planner's statistics, and on PostgreSQL the tallies without the dead rows
        # the load left.
        tallies.compact()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo zone loaded ({opts['scale']}, seed {opts['seed']}) "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(
            f"Demo logins (password {organisation.DEMO_PASSWORD}): " + ", ".join(DEMO_LOGINS)
        )

    def _say_what_is_kept(self, asked: str) -> None:
        """--if-empty on a database that has a zone: say which demo it holds, and loudly when
        that is not the scale asked for (`make run SCALE=city` on a zone would otherwise serve
        the zone without a word)."""
        seeded = Entry.objects.filter(action="demo.seed").order_by("-at").first()
        held = seeded.changes.get("scale") if seeded else None
        if held in (None, asked):
            what = f"the {held} demo" if held else "a zone"
            self.stdout.write(f"The database already holds {what}; demo data not loaded.")
            return
        self.stdout.write(
            self.style.WARNING(
                f"The database already holds the {held} demo, not the {asked} asked for; it is "
                f"kept as it is and the {held} demo is what will be served. To load the {asked} "
                "demo, point DATABASE_URL (or ANJIAN_VAR_DIR, for SQLite) at an empty database."
            )
        )

    def _seed(self, rng: random.Random, factor: int, start: datetime.date) -> organisation.Org:
        """Regions, people and the registry; grid terms start on `start` (the first day of the
        activity year)."""
        say = self.stdout.write
        say("regions and grids…")
        zone, offices, villages = organisation.build_regions(rng, factor)
        grids = organisation.build_grids(rng, zone, villages, factor)
        departments, agencies = organisation.build_organisations(rng, zone)
        org = organisation.Org(
            zone=zone,
            offices=offices,
            villages=villages,
            grids=grids,
            departments=departments,
            agencies=agencies,
        )
        say(f"  {len(offices)} offices, {len(villages)} villages/communities, {len(grids)} grids")
        say("people…")
        people = organisation.People(rng, make_password(organisation.DEMO_PASSWORD), zone)
        organisation.build_staff(rng, org, people, factor, start)
        say("enterprises…")
        registry.build_enterprises(rng, org, people, factor, say)
        return org
