from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The product's areas, in the order of the main navigation. Each app adds its
# own line here when it ships, so the menu never points to a missing page.
AREAS = [
    ("core:home", _("Accueil"), "home"),
    ("people:directory", _("Annuaire"), "directory"),
    ("people:organisations", _("Organisations"), "organisations"),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path_info
    items = []
    for url_name, label, key in AREAS:
        url = reverse(url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "key": key, "current": current})
    return {"nav_items": items}
