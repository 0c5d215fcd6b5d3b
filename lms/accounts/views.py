from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

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
