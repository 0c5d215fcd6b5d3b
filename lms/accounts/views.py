from allauth.account.utils import get_next_redirect_url
from allauth.account.views import LoginView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from .forms import ProfileForm


@login_required
def account(request):
    """My account: who the programme thinks you are, and where to change it."""
    return render(request, "accounts/account.html", {"person": request.user})


@login_required
def edit_details(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details have been updated.")
        return redirect("accounts:account")
    return render(request, "accounts/edit_details.html", {"form": form})


class AdminLoginView(LoginView):
    """Wagtail's /admin/login/, answered by allauth (so its rate limits apply), landing
    organisers in the admin unless another page was asked for."""

    def get_success_url(self):
        return get_next_redirect_url(self.request) or reverse("wagtailadmin_home")


def shared_passwords_are_off(request, *args, **kwargs):
    """Where Wagtail's forms for a private page's or document collection's shared password were
    sent. Shared passwords are turned off (WAGTAIL_PRIVATE_PAGE_OPTIONS and
    WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS): a restriction of that kind left from before lets
    nobody in, rather than letting anyone guess its password without limit."""
    raise Http404("Shared passwords are turned off")
