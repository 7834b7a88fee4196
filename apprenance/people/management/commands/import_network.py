import json
import sys

from django.core.management.base import BaseCommand, CommandError

from apprenance.people.network import NetworkFileError, import_network


class Command(BaseCommand):
    help = "Import an apprenance-network JSON file. Nothing is written if any record is wrong."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the JSON file, or - for standard input")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    data = json.load(handle)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from None
        try:
            report = import_network(data)
        except NetworkFileError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(error.problems)} problem(s) found; nothing was imported") from None
        for kind in ("organisations", "teams", "members"):
            self.stdout.write(f"{kind}: {report.created[kind]} created, {report.updated[kind]} updated")
        if not report.changed:
            self.stdout.write("nothing changed")
