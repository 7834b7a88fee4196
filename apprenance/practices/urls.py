from django.urls import path

from apprenance.practices import views

app_name = "practices"

urlpatterns = [
    path("pratiques/", views.practice_list, name="list"),
    path("pratiques/nouvelle/", views.practice_create, name="create"),
    path("pratiques/<int:pk>/", views.practice_detail, name="detail"),
    path("pratiques/<int:pk>/modifier/", views.practice_edit, name="edit"),
    path("pratiques/<int:pk>/historique/", views.practice_history, name="history"),
    path("pratiques/<int:pk>/archiver/", views.practice_archive, name="archive"),
    path("pratiques/<int:pk>/supprimer/", views.practice_delete, name="delete"),
    path("pratiques/<int:pk>/pieces-jointes/", views.practice_attachments, name="attachments"),
    path(
        "pratiques/<int:pk>/pieces-jointes/<int:attachment_pk>/retirer/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("pratiques/<int:pk>/commenter/", views.practice_comment, name="comment"),
    path("pratiques/<int:pk>/reagir/<str:kind>/", views.practice_react, name="react"),
    path("pratiques/<int:pk>/suivre/", views.practice_follow, name="follow"),
    path("pratiques/<int:pk>/essayer/", views.practice_adopt, name="adopt"),
    path("pratiques/<int:pk>/decision/", views.practice_stage, name="stage"),
    path("pratiques/<int:pk>/mallette/", views.practice_retain, name="retain"),
    path("mallette/", views.toolkit_list, name="toolkits"),
    path("mallette/<slug:slug>/", views.toolkit_detail, name="toolkit"),
    path("mallette/<slug:slug>/export.<str:format>", views.toolkit_export, name="toolkit_export"),
]
