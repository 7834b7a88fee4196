import functools

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

# The product's areas, in the order of the main navigation. Each app adds its
# own line here when it ships, so the menu never points to a missing page.
AREAS = [
    ("core:home", _("Accueil"), "home"),
    ("practices:list", _("Pratiques"), "practices"),
    ("practices:toolkits", _("Mallette"), "toolkits"),
    ("community:circles", _("Cercles"), "circles"),
    ("community:sessions", _("Temps synchrones"), "sessions"),
    ("community:challenges", _("Défis d’équipes"), "challenges"),
    ("community:campaigns", _("Campagnes"), "campaigns"),
    ("questions:list", _("Questions"), "questions"),
    ("people:directory", _("Annuaire"), "directory"),
    ("people:organisations", _("Organisations"), "organisations"),
]


@functools.cache
def area_urls(script_prefix: str) -> list[tuple[str, str, str]]:
    """(url, label, key) of each area; reversed once per process, not on every page."""
    return [(reverse(url_name), label, key) for url_name, label, key in AREAS]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path_info
    items = [
        {"url": url, "label": label, "key": key, "current": path == url if url == "/" else path.startswith(url)}
        for url, label, key in area_urls(get_script_prefix())
    ]
    return {"nav_items": items}
