from django.urls import path

from laureates.views import public

app_name = "laureates"

urlpatterns: list = [
    # Public pages under /laureats/, the laureates' and coordination's under /espace/laureats/.
    path("laureats/", public.LaureateListView.as_view(), name="list"),
    path("laureats/<int:year>/", public.laureate_year, name="year"),
    path("laureats/<int:year>/<slug:slug>/", public.laureate_detail, name="detail"),
]
