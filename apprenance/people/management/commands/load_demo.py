import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from apprenance.community.demo import (
    load_demo_campaigns,
    load_demo_challenges,
    load_demo_circles,
    load_demo_sessions,
)
from apprenance.notifications.demo import replay_demo_notifications
from apprenance.people.models import Member, Organisation, Role
from apprenance.people.network import import_network
from apprenance.questions.demo import demo_sections as demo_questions

DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "network.json"
DEMO_PASSWORD = "apprenance-demo"  # noqa: S105 -- printed at start-up on purpose


class Command(BaseCommand):
    help = "Load the demo network into an empty database, then print the demo accounts."

    def handle(self, *args, **options):
        if Organisation.objects.exists():
            self.stdout.write("The database already holds a network: demo data not loaded.")
        else:
            data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
            data.update(demo_questions())
            with transaction.atomic():
                import_network(data)
                emails = [member["email"] for member in data["members"]]
                Member.objects.filter(email__in=emails).update(password=make_password(DEMO_PASSWORD))
                told = replay_demo_notifications()
            self.stdout.write(self.style.SUCCESS(f"Demo network loaded from {DEMO_FILE.name} ({told} notifications)."))
        if circles := load_demo_circles():
            self.stdout.write(self.style.SUCCESS(f"{circles} demo circles loaded."))
        if live_sessions := load_demo_sessions():
            self.stdout.write(self.style.SUCCESS(f"{live_sessions} demo live sessions loaded."))
        if team_challenges := load_demo_challenges():
            self.stdout.write(self.style.SUCCESS(f"{team_challenges} demo team challenges loaded."))
        if demo_campaigns := load_demo_campaigns():
            self.stdout.write(self.style.SUCCESS(f"{demo_campaigns} demo campaigns loaded."))
        self.print_accounts()

    def print_accounts(self):
        """The network admins, then each organisation's admin and first animator, then two members."""
        demo_emails = {m["email"] for m in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["members"]}
        members = list(
            Member.objects.filter(email__in=demo_emails, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name")
        )
        if not members:
            return
        accounts = [m for m in members if m.role == Role.NETWORK_ADMIN]
        for role in (Role.ORG_ADMIN, Role.ANIMATOR):
            first_per_organisation = {}
            for member in members:
                if member.role == role:
                    first_per_organisation.setdefault(member.organisation_id, member)
            accounts.extend(first_per_organisation.values())
        accounts.extend([m for m in members if m.role == Role.MEMBER][:2])
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for member in accounts:
            self.stdout.write(f"  {member.email:<48} {member.get_role_display():<40} {member.organisation.name}")
        self.stdout.write("")
