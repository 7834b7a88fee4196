from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from apprenance.api.api import api
from apprenance.people import views as people_views

urlpatterns = [
    path("", include("apprenance.core.urls")),
    path("", include("apprenance.people.urls")),
    path("", include("apprenance.skills.urls")),
    path("", include("apprenance.practices.urls")),
    path("", include("apprenance.community.urls")),
    path("", include("apprenance.questions.urls")),
    path("api/v1/", api.urls),
    path("profil/jetons/", include("apprenance.api.urls")),
    path("notifications/", include("apprenance.notifications.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("django-admin/", admin.site.urls),
    path("media/<path:path>", people_views.media_file, name="media"),
]
