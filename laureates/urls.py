from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.http import require_GET

from core import public_cache
from laureates.feeds import LaureateFeed
from laureates.views import cards, certificate, followup, opendata, public, space

app_name = "laureates"

FOLLOWUP = "espace/laureats/<id:pk>/suivi/"
REPORT = FOLLOWUP + "bilans/<id:report_pk>/"

urlpatterns: list = [
    # Public pages under /laureats/, the laureates' and coordination's under /espace/laureats/.
    path("laureats/photos/<id:pk>/", cards.photo, name="photo"),
    path("espace/laureats/vitrines/", cards.showcase_list, name="showcase_list"),
    path("espace/laureats/vitrines/<int:year>/", cards.showcase, name="showcase"),
    path(
        "espace/laureats/vitrines/<int:year>/fiches/",
        cards.cards_create,
        name="showcase_cards_create",
    ),
    path(
        "espace/laureats/vitrines/<int:year>/<slug:name>/",
        cards.showcase_transition,
        name="showcase_transition",
    ),
    path("espace/laureats/<id:pk>/fiche/", cards.card_edit, name="card_edit"),
    path("espace/laureats/<id:pk>/fiche/photo/", cards.photo_preview, name="photo_preview"),
    path(
        "espace/laureats/<id:pk>/fiche/<slug:name>/",
        cards.card_transition,
        name="card_transition",
    ),
    path("laureats/", public.LaureateListView.as_view(), name="list"),
    path("laureats/<int:year>/", public.laureate_year, name="year"),
    path("laureats/<int:year>/<slug:slug>/", public.laureate_detail, name="detail"),
    # Open data: the files, their documentation and the feed.
    path("laureats/export.csv", opendata.export_csv, name="export_csv"),
    path("laureats/export.json", opendata.export_json, name="export_json"),
    path("laureats/donnees/", opendata.open_data, name="open_data"),
    path(
        "laureats/flux.atom",
        login_not_required(require_GET(public_cache.public_page()(LaureateFeed()))),
        name="feed",
    ),
    # The laureate's space, the certificate and the badge kit (views/space.py, certificate.py).
    path("espace/laureats/", space.mine, name="mine"),
    path("espace/laureats/<id:pk>/", space.space, name="space"),
    path("espace/laureats/<id:pk>/attestation.pdf", certificate.certificate, name="certificate"),
    path("espace/laureats/<id:pk>/badge.svg", space.badge_svg, name="badge_svg"),
    path("espace/laureats/<id:pk>/badge-<slug:size>.png", space.badge_png, name="badge_png"),
    path("laureats/verifier/", certificate.verify_form, name="verify_form"),
    path("laureats/verifier/<str:code>/", certificate.verify, name="verify"),
    # --- Suivi: the follow-up of funded projects ---
    path("espace/laureats/suivi/", followup.overview, name="followup_overview"),
    path(FOLLOWUP, followup.followup, name="followup"),
    path(
        FOLLOWUP + "etapes/<id:milestone_pk>/avancement/",
        followup.milestone_update,
        name="followup_milestone",
    ),
    path(FOLLOWUP + "realise/", followup.complete, name="followup_complete"),
    path(REPORT, followup.report_detail, name="followup_report"),
    path(REPORT + "pieces/<id:file_pk>/", followup.report_file, name="followup_report_file"),
    path(
        REPORT + "pieces/<id:file_pk>/supprimer/",
        followup.report_file_delete,
        name="followup_report_file_delete",
    ),
    path(REPORT + "<slug:name>/", followup.report_transition, name="followup_report_transition"),
    path(FOLLOWUP + "<slug:kind>/ajouter/", followup.agreement_item_add, name="followup_item_add"),
    path(
        FOLLOWUP + "<slug:kind>/<id:item_pk>/modifier/",
        followup.agreement_item_edit,
        name="followup_item_edit",
    ),
    path(
        FOLLOWUP + "<slug:kind>/<id:item_pk>/supprimer/",
        followup.agreement_item_delete,
        name="followup_item_delete",
    ),
]
