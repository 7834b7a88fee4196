import functools

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

# The product's areas, in the order of the main navigation; the community's and the network's
# gathered under one heading each, lest the bar wrap. Each app adds its own line here when it
# ships, so the menu never points to a missing page.
AREAS = [
    ("core:home", _("Accueil")),
    ("practices:list", _("Pratiques")),
    ("practices:toolkits", _("Mallette")),
    ("questions:list", _("Questions")),
    (
        _("Communauté"),
        [
            ("community:circles", _("Cercles")),
            ("community:sessions", _("Temps synchrones")),
            ("community:challenges", _("Défis d’équipes")),
            ("community:campaigns", _("Campagnes")),
        ],
    ),
    (_("Réseau"), [("people:directory", _("Annuaire")), ("people:organisations", _("Organisations"))]),
]


@functools.cache
def area_urls(script_prefix: str) -> list[tuple[str, object]]:
    """(url, label) of each area, or (label, areas) of each heading; reversed once per process."""
    return [
        (label, [(reverse(name), child) for name, child in areas])
        if isinstance(areas, list)
        else (reverse(label), areas)
        for label, areas in AREAS
    ]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path_info

    def link(url, label):
        return {"url": url, "label": label, "current": path == url if url == "/" else path.startswith(url)}

    items = []
    for first, second in area_urls(get_script_prefix()):
        if isinstance(second, list):
            children = [link(url, label) for url, label in second]
            items.append({"label": first, "children": children, "current": any(c["current"] for c in children)})
        else:
            items.append(link(first, second))
    return {"nav_items": items}
