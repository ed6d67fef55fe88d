from django.urls import path

from laureates.views import cards, public

app_name = "laureates"

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
]
