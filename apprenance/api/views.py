from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apprenance.api import services
from apprenance.api.forms import TokenForm
from apprenance.api.models import ApiToken


@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.issue_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    context = {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key}
    return render(request, "api/tokens.html", context)


@require_http_methods(["GET", "POST"])
def revoke(request, pk):
    # Only the member's own tokens that still work: anything else answers 404.
    token = get_object_or_404(ApiToken, member=request.user, pk=pk, revoked_at__isnull=True)
    if request.method == "POST":
        services.revoke_token(request.user, token)
        messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
        return redirect("api_tokens:tokens")
    return render(request, "api/token_confirm_revoke.html", {"token": token})
