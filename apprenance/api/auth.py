from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from apprenance.api.models import ApiToken
from apprenance.people.models import hash_token


class SessionAuth(APIKeyCookie):
    """The browser's session; ninja checks the CSRF token on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer apr_…`` for integrations."""

    def authenticate(self, request, token):
        api_token = ApiToken.objects.usable().select_related("member").filter(key_hash=hash_token(token)).first()
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.member
        return api_token.member
