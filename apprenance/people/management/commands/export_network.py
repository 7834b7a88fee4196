import json

from django.core.management.base import BaseCommand

from apprenance.people.network import export_network


class Command(BaseCommand):
    help = "Write the whole network as an apprenance-network JSON file (standard output by default)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write; standard output when absent")

    def handle(self, *args, output=None, **options):
        text = json.dumps(export_network(), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
