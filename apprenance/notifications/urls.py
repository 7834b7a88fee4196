from django.urls import path

from apprenance.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("tout-lire/", views.mark_all_read, name="mark_all_read"),
    path("non-lues/", views.unread_badge, name="badge"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
