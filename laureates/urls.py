from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_GET

from laureates.feeds import LaureateFeed
from laureates.views import opendata

app_name = "laureates"

urlpatterns: list = [
    # Public pages under /laureats/, the laureates' and coordination's under /espace/laureats/.
    # Open data: the files, their documentation and the feed.
    path("laureats/export.csv", opendata.export_csv, name="export_csv"),
    path("laureats/export.json", opendata.export_json, name="export_json"),
    path("laureats/donnees/", opendata.open_data, name="open_data"),
    path("laureats/flux.atom", login_not_required(require_GET(LaureateFeed())), name="feed"),
]
