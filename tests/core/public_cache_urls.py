"""Views decorated with core.public_cache for its tests: one reads data, one writes a CSRF token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import include, path

from core import public_cache
from laureates.selectors import public_laureates


@login_not_required
@public_cache.public_page(max_age=120)
def laureate_titles(request):
    return HttpResponse(
        ", ".join(public_laureates().order_by("title").values_list("title", flat=True))
    )


@login_not_required
@public_cache.public_page()
def form_page(request):
    return HttpResponse(
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
    )


@login_not_required
def greet_then_show_titles(request):
    messages.info(request, "Bienvenue, visiteur n° 1")
    return redirect("test_titles")


@login_not_required
@public_cache.public_page()
def titles_with_messages(request):
    shown = " | ".join(str(message) for message in messages.get_messages(request))
    return HttpResponse(f"Titres. {shown}")


urlpatterns = [
    path("titres/", laureate_titles, name="titles"),
    path("formulaire/", form_page, name="form"),
    path("accueil/", greet_then_show_titles, name="greet"),
    path("titres-et-messages/", titles_with_messages, name="test_titles"),
    path("", include("label_portal.urls")),
]
