"""Your account: what we hold about you, a download of it, and erasing it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def account(request):
    return render(request, "core/account.html")
