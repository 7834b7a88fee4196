"""Pick the benchmark's targets in the imported network and sign members in, printed as JSON.

    DJANGO_SETTINGS_MODULE=bench.settings python -m bench.fixtures --writers 32

Sessions are written straight into the session store: the sign-in form is throttled and hashing
passwords would only measure the password hasher.
"""

import argparse
import json
from importlib import import_module

import django

ORGANISATION_SIZE = 250  # the organisation page is measured on an organisation of about this size
BACKEND = "django.contrib.auth.backends.ModelBackend"


def signed_in_session(member) -> str:
    """What ``django.contrib.auth.login`` stores, without going through the sign-in form."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = member._meta.pk.value_to_string(member)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.save()
    return store.session_key


def typical_organisation(size: int):
    """The organisation whose number of active members is closest to ``size``."""
    from django.db.models import Count, Q

    from apprenance.people.models import Organisation

    organisations = Organisation.objects.annotate(people=Count("members", filter=Q(members__is_active=True)))
    return min(organisations, key=lambda organisation: (abs(organisation.people - size), organisation.pk))


def database_info() -> dict:
    from django.db import connection

    if connection.vendor == "sqlite":
        version = connection.Database.sqlite_version  # the library Python links, not the sqlite3 CLI's
    else:
        connection.ensure_connection()
        version = str(getattr(connection, "pg_version", ""))
    return {"vendor": connection.vendor, "version": version}


def pick_targets(writers: int) -> dict:
    from django.conf import settings
    from django.db.models import Count

    from apprenance.people.models import Member, ProfileVisibility, Role

    organisation = typical_organisation(ORGANISATION_SIZE)
    plain = Member.objects.active().filter(role=Role.MEMBER, organisation__isnull=False).order_by("pk")
    # An ordinary member of another organisation, so the pages apply the visibility rules in full.
    viewer = plain.exclude(organisation=organisation).first()
    profile = (
        plain.filter(profile_visibility=ProfileVisibility.NETWORK)
        .exclude(organisation_id__in=[organisation.pk, viewer.organisation_id])
        .order_by("-pk")
        .first()
    )
    common_name = Member.objects.values("last_name").annotate(count=Count("pk")).order_by("-count", "last_name").first()
    # Writers are spread over the whole table (and so over many organisations), one member each.
    candidates = list(plain.exclude(pk=viewer.pk).values_list("pk", flat=True))
    step = max(1, len(candidates) // max(1, writers))
    writer_ids = candidates[::step][:writers]
    writer_members = Member.objects.in_bulk(writer_ids)
    return {
        "database": database_info(),
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "members": Member.objects.count(),
        "viewer": {"pk": viewer.pk, "session": signed_in_session(viewer)},
        "organisation": {"slug": organisation.slug, "members": organisation.people},
        "profile": {"pk": profile.pk},
        "common_last_name": {"name": common_name["last_name"], "members": common_name["count"]},
        "writers": [
            {"pk": member.pk, "first_name": member.first_name, "last_name": member.last_name}
            | {"session": signed_in_session(member)}
            for member in (writer_members[pk] for pk in writer_ids)
        ],
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--writers", type=int, default=32)
    args = parser.parse_args(argv)
    django.setup()
    print(json.dumps(pick_targets(args.writers)))


if __name__ == "__main__":
    main()
