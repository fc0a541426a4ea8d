import sys

from django.core.management import BaseCommand, CommandError
from django.db import transaction

from core.seeding import Outcome, Seed

# Each outcome as it is counted and listed, in the order listed.
LABELS = {
    Outcome.LOADED: "new, loaded",
    Outcome.UPDATED: "updated from the fixtures (no editor had changed them)",
    Outcome.UPDATABLE: "changed in the fixtures, not by editors: "
    "`seed --update` applies these",
    Outcome.EDITED: "changed by editors since loading, left as they are",
    Outcome.DELETED: "deleted by editors, not re-created",
    Outcome.ADOPTED: "already in the database, kept as they are",
    Outcome.RETIRED: "loaded once, no longer in the fixtures",
    Outcome.FAILED: "could not be loaded",
}
# In --check, nothing is written: the same outcomes, in the conditional.
CHECK_LABELS = {
    **LABELS,
    Outcome.LOADED: "new: `seed` would load these",
    Outcome.UPDATED: "changed in the fixtures, not by editors: "
    "`seed --update` would apply these",
    Outcome.ADOPTED: "already in the database: `seed` would keep them as they are",
}


class Command(BaseCommand):
    help = (
        "Load what is new in fixtures/. The fixtures are the first content: "
        "once the seed has loaded a record it belongs to the editors, and no "
        "later seed changes, re-creates or deletes it. --check lists where the "
        "fixtures and the database differ; --update also applies fixture "
        "changes to records no editor has changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; list where the fixtures and the database differ, "
            "and which records editors changed. Exit status 1 if `seed` or "
            "`seed --update` would write anything or a record cannot be loaded.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also apply fixture changes to records no editor has changed "
            "since they were loaded.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Fail if a fixture record cannot be loaded (the tests do). "
            "Without it the problem is reported and the rest load, so that the "
            "site starts with the content it has.",
        )

    def handle(self, *args, check, update, strict, verbosity, **options):
        with transaction.atomic():
            results = Seed(update=update or check).run()
            if check:
                transaction.set_rollback(True)
        by_outcome = {}
        for result in results:
            by_outcome.setdefault(result.outcome, []).append(result)
        failed = by_outcome.get(Outcome.FAILED, [])
        for result in failed:
            self.stderr.write(f"seed: {result.name} {result.detail}")
        if check:
            self.report(by_outcome, CHECK_LABELS, listed=True)
            if failed or Outcome.LOADED in by_outcome or Outcome.UPDATED in by_outcome:
                sys.exit(1)
        elif verbosity:
            # --update names each record it left alone.
            self.report(by_outcome, LABELS, listed=update or verbosity > 1)
        if failed and strict:
            raise CommandError(f"{len(failed)} fixture record(s) could not be loaded.")

    def report(self, by_outcome, labels, *, listed):
        counts = [
            f"{len(by_outcome[outcome])} {label}"
            for outcome, label in labels.items()
            if outcome in by_outcome and outcome != Outcome.FAILED
        ]
        if not {Outcome.LOADED, Outcome.UPDATED} & by_outcome.keys():
            counts.insert(0, "nothing new in fixtures/")
        unchanged = len(by_outcome.get(Outcome.UNCHANGED, []))
        self.stdout.write(f"seed: {'; '.join(counts)} ({unchanged} unchanged).")
        for outcome, label in labels.items():
            # Fixture changes waiting for --update are always worth a line.
            if (
                outcome in by_outcome
                and outcome != Outcome.FAILED
                and (listed or outcome == Outcome.UPDATABLE)
            ):
                self.stdout.write(f"{label[:1].upper()}{label[1:]}:")
                for result in by_outcome[outcome]:
                    detail = f": {result.detail}" if result.detail else ""
                    self.stdout.write(f"  {result.name}{detail}")
        if not listed and set(by_outcome) - {Outcome.UNCHANGED, Outcome.LOADED}:
            self.stdout.write("`manage.py seed --check` lists them.")
