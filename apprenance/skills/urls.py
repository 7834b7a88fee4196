from django.urls import path

from apprenance.skills import views

app_name = "skills"

urlpatterns = [
    path("profil/competences/", views.my_skills, name="mine"),
    path("profil/competences/<int:pk>/modifier/", views.declared_skill_edit, name="edit"),
    path("profil/competences/<int:pk>/retirer/", views.declared_skill_remove, name="remove"),
]
