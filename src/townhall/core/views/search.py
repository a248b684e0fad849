"""Site search across every module's published content."""

from django.shortcuts import render


def search(request):
    return render(request, "core/search.html", {"query": request.GET.get("q", "")})
