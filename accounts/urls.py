from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from accounts import views

app_name = "accounts"

public = login_not_required

account_urlpatterns = [
    path("connexion/", public(views.LoginView.as_view()), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("inscription/", public(views.SignUpView.as_view()), name="signup"),
    path("inscription/envoyee/", public(views.SignUpDoneView.as_view()), name="signup_done"),
    path(
        "confirmer/<token:uidb64>/<reset_token:token>/", views.confirm_email, name="confirm_email"
    ),
    path(
        "confirmer/nouveau-lien/",
        public(views.ResendConfirmationView.as_view()),
        name="resend_confirmation",
    ),
    path(
        "mot-de-passe/oublie/",
        public(views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        public(views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<token:uidb64>/<reset_token:token>/",
        public(views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        public(views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("invitation/<token:token>/", views.invitation_accept, name="invitation_accept"),
]

space_urlpatterns = [
    path(
        "associations/nouvelle/",
        views.AssociationCreateView.as_view(),
        name="association_create",
    ),
    path(
        "associations/<id:pk>/",
        views.AssociationDetailView.as_view(),
        name="association_detail",
    ),
    path(
        "associations/<id:pk>/modifier/",
        views.AssociationUpdateView.as_view(),
        name="association_update",
    ),
    path(
        "associations/<id:pk>/inviter/",
        views.association_invite,
        name="association_invite",
    ),
    path(
        "coordination/contrats-de-ville/",
        views.CityContractContactListView.as_view(),
        name="citycontract_contacts",
    ),
    path(
        "coordination/contrats-de-ville/<slug:slug>/contact/",
        views.CityContractContactUpdateView.as_view(),
        name="citycontract_contact_update",
    ),
]

urlpatterns = [
    path("compte/", include(account_urlpatterns)),
    path("espace/", include(space_urlpatterns)),
]
