from django.urls import path

from apprenance.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("<int:pk>/revoquer/", views.revoke, name="revoke"),
]
