from django.urls import path

from apprenance.questions import views

app_name = "questions"

urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("questions/", views.question_list, name="list"),
    path("questions/poser/", views.question_ask, name="ask"),
    path("questions/suggestions/", views.question_suggestions, name="suggestions"),
    path("questions/disponibilite/", views.availability, name="availability"),
    path("questions/<int:pk>/", views.question_detail, name="detail"),
    path("questions/<int:pk>/modifier/", views.question_edit, name="edit"),
    path("questions/<int:pk>/supprimer/", views.question_delete, name="delete"),
    path("questions/<int:pk>/repondre/", views.question_answer, name="answer"),
    path("questions/<int:pk>/suivre/", views.question_follow, name="follow"),
    path("questions/<int:pk>/pas-pour-moi/", views.question_decline, name="decline"),
    path("questions/<int:pk>/solliciter/", views.question_route, name="route"),
    path("questions/<int:pk>/reponses/<int:answer_pk>/modifier/", views.answer_edit, name="answer_edit"),
    path("questions/<int:pk>/reponses/<int:answer_pk>/supprimer/", views.answer_delete, name="answer_delete"),
    path("questions/<int:pk>/reponses/<int:answer_pk>/utile/", views.answer_vote, name="vote"),
    path("questions/<int:pk>/reponses/<int:answer_pk>/retenir/", views.answer_accept, name="accept"),
    path("questions/<int:pk>/reponses/<int:answer_pk>/commenter/", views.answer_comment, name="comment"),
    path("questions/<int:pk>/reponses/<int:answer_pk>/pratique/", views.answer_to_practice, name="to_practice"),
]
