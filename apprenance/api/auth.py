from django.conf import settings
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from apprenance.api.models import ApiToken
from apprenance.people.models import hash_token


class SessionAuth(APIKeyCookie):
    """The browser's session; ninja checks the CSRF token on unsafe methods.

    Only a request that carries the session cookie is checked: one without it (an integration
    using its token, say) is not a browser's, and failing it on CSRF would stop the search for
    another way in (ninja tries the next authentication only when one answers None)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

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
