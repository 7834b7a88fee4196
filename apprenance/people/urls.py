from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from apprenance.people import views
from apprenance.people.forms import SignInForm

app_name = "people"


def public(view):
    return login_not_required(view)


urlpatterns = [
    path(
        "connexion/",
        public(auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True)),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oublie/",
        public(
            auth_views.PasswordResetView.as_view(
                email_template_name="registration/password_reset_email.txt",
                html_email_template_name="registration/password_reset_email.html",
                subject_template_name="registration/password_reset_subject.txt",
                success_url=reverse_lazy("people:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("people:password_reset_complete"))),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/changer/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("people:password_change_done")),
        name="password_change",
    ),
    path("mot-de-passe/changer/fait/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("membres/", views.directory, name="directory"),
    path("membres/<int:pk>/", views.member_detail, name="member"),
    path("profil/", views.profile_edit, name="profile_edit"),
    path("profil/mes-donnees/", views.my_data, name="my_data"),
    path("profil/mes-donnees/apprenance-mes-donnees.json", views.my_data_download, name="my_data_download"),
    path("profil/mes-donnees/effacer/", views.erase_account, name="erase_account"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/equipes/<int:pk>/", views.team_detail, name="team"),
    path("organisations/<slug:slug>/gestion/", views.manage, name="manage"),
    path("organisations/<slug:slug>/gestion/fiche/", views.manage_organisation, name="manage_organisation"),
    path("organisations/<slug:slug>/gestion/membres/<int:pk>/", views.manage_member, name="manage_member"),
    path(
        "organisations/<slug:slug>/gestion/membres/<int:pk>/effacer/",
        views.manage_member_erase,
        name="manage_member_erase",
    ),
    path("organisations/<slug:slug>/gestion/equipes/nouvelle/", views.manage_team, name="team_create"),
    path("organisations/<slug:slug>/gestion/equipes/<int:pk>/", views.manage_team, name="team_edit"),
    path("organisations/<slug:slug>/gestion/equipes/<int:pk>/supprimer/", views.delete_team, name="team_delete"),
    path("organisations/<slug:slug>/gestion/invitations/", views.invite, name="invite"),
    path(
        "organisations/<slug:slug>/gestion/invitations/<int:pk>/annuler/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
]
