from django.urls import path

from apprenance.community import challenge_views, views

app_name = "community"

urlpatterns = [
    path("cercles/", views.circle_list, name="circles"),
    path("cercles/former/", views.form_circles, name="form"),
    path("cercles/former/proposition/", views.proposal, name="proposal"),
    path("cercles/former/confirmer/", views.confirm, name="confirm"),
    path("cercles/<int:pk>/", views.circle_detail, name="circle"),
    path("cercles/<int:pk>/ecrire/", views.circle_post, name="post"),
    path("cercles/<int:pk>/clore/", views.circle_close, name="circle_close"),
    path("temps-synchrones/", views.session_list, name="sessions"),
    path("temps-synchrones/programmer/", views.session_create, name="session_create"),
    path("temps-synchrones/mon-agenda/", views.my_calendar, name="my_calendar"),
    path("temps-synchrones/<int:pk>/", views.session_detail, name="session"),
    path("temps-synchrones/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("temps-synchrones/<int:pk>/annuler/", views.session_cancel, name="session_cancel"),
    path("temps-synchrones/<int:pk>/inscription/", views.session_register, name="session_register"),
    path("temps-synchrones/<int:pk>/desinscription/", views.session_unregister, name="session_unregister"),
    path("temps-synchrones/<int:pk>/presences/", views.session_attendance, name="session_attendance"),
    path("temps-synchrones/<int:pk>/avis/", views.session_feedback, name="session_feedback"),
    path("temps-synchrones/<int:pk>/agenda.ics", views.session_ics, name="session_ics"),
    path("agenda/<int:member_id>/<str:token>.ics", views.member_feed, name="feed"),
    path("defis-d-equipes/", challenge_views.challenge_list, name="challenges"),
    path("defis-d-equipes/ouvrir/", challenge_views.challenge_create, name="challenge_create"),
    path("defis-d-equipes/<int:pk>/", challenge_views.challenge_detail, name="challenge"),
    path("defis-d-equipes/<int:pk>/modifier/", challenge_views.challenge_edit, name="challenge_edit"),
    path("defis-d-equipes/<int:pk>/supprimer/", challenge_views.challenge_delete, name="challenge_delete"),
]
