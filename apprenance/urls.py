from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from django.views.static import serve

from apprenance.api.api import api

urlpatterns = [
    path("", include("apprenance.core.urls")),
    path("", include("apprenance.people.urls")),
    path("api/v1/", api.urls),
    path("profil/jetons/", include("apprenance.api.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
    # Uploaded photos and logos. A deployment behind a reverse proxy serves MEDIA_ROOT itself.
    path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
