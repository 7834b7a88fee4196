from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in member unless its view says otherwise.

    The API answers for itself (401 in JSON rather than a redirect to the sign-in page).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class LanguageMiddleware(LocaleMiddleware):
    """French unless the member picked another language with the switch.

    The browser's Accept-Language is not followed: the network works in French, and a
    member reading in English chooses it once (the choice is kept in a cookie).
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
