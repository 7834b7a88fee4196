from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


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


class RefuseNullCharactersMiddleware:
    """A request carrying a NUL character (0x00) is refused with a clear message, up front.

    PostgreSQL's text cannot hold one: forms refuse it field by field, but query parameters the
    API reads directly would reach the database and fail there with a 500. Uploaded files
    (multipart) may hold NUL bytes legitimately and are left to the forms.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            reason = _("La requête contient un caractère nul (0x00), que nous ne pouvons pas enregistrer.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": reason}, status=400)
            return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}, request=request))
        return self.get_response(request)


def _carries_nul(request) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    kind = request.content_type or ""
    if kind == "application/x-www-form-urlencoded":
        return b"%00" in request.body
    if kind == "application/json":
        return b"\\u0000" in request.body.lower()
    return False
