from django.urls import path

from apprenance.community import campaigns_views, views

app_name = "community"

urlpatterns = [
    path("cercles/", views.circle_list, name="circles"),
    path("cercles/former/", views.form_circles, name="form"),
    path("cercles/former/proposition/", views.proposal, name="proposal"),
    path("cercles/former/confirmer/", views.confirm, name="confirm"),
    path("cercles/<int:pk>/", views.circle_detail, name="circle"),
    path("cercles/<int:pk>/ecrire/", views.circle_post, name="post"),
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
    path("campagnes/", campaigns_views.campaign_list, name="campaigns"),
    path("campagnes/nouvelle/", campaigns_views.campaign_create, name="campaign_create"),
    path("campagnes/<int:pk>/", campaigns_views.campaign_detail, name="campaign"),
    path("campagnes/<int:pk>/modifier/", campaigns_views.campaign_edit, name="campaign_edit"),
    path("campagnes/<int:pk>/supprimer/", campaigns_views.campaign_delete, name="campaign_delete"),
    path("campagnes/<int:pk>/lancer/", campaigns_views.campaign_launch, name="campaign_launch"),
    path("campagnes/<int:pk>/pause/", campaigns_views.campaign_pause, name="campaign_pause"),
    path("campagnes/<int:pk>/reprendre/", campaigns_views.campaign_resume, name="campaign_resume"),
    path("campagnes/<int:pk>/terminer/", campaigns_views.campaign_finish, name="campaign_finish"),
    path("campagnes/<int:pk>/participation/", campaigns_views.campaign_participation, name="campaign_participation"),
    path("campagnes/<int:pk>/themes/ajouter/", campaigns_views.prompt_create, name="prompt_create"),
    path("campagnes/<int:pk>/themes/<int:prompt_pk>/", campaigns_views.prompt_detail, name="prompt"),
    path("campagnes/<int:pk>/themes/<int:prompt_pk>/modifier/", campaigns_views.prompt_edit, name="prompt_edit"),
    path("campagnes/<int:pk>/themes/<int:prompt_pk>/supprimer/", campaigns_views.prompt_delete, name="prompt_delete"),
    path("campagnes/<int:pk>/themes/<int:prompt_pk>/repondre/", campaigns_views.prompt_answer, name="prompt_answer"),
]
