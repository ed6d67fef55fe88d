from typing import Any, cast

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from accounts.backends import UnconfirmedAccount
from accounts.enums import AssociationKind
from accounts.models import Association, CityContract, Commune, Qpv, User
from accounts.validators import normalize_identifier, validate_postcode
from core.forms import BootstrapFormMixin, FastSelect, OnceFormMixin

PRIVACY_CONSENT_LABEL = (
    "J'ai lu la page « Données personnelles » et j'accepte que mes données servent au label."
)


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Vérifiez-les, ou choisissez "
            "« Mot de passe oublié »."
        ),
        "inactive": "Ce compte est désactivé. Écrivez à la coordination du label.",
        "unconfirmed": (
            "Votre adresse e-mail n'est pas encore confirmée : ouvrez le lien reçu par "
            "mail, ou demandez un nouveau lien ci-dessous."
        ),
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            # One password hash whatever the address: unknown, wrong password or
            # unconfirmed answer alike (accounts.backends.EmailBackend).
            try:
                self.user_cache = authenticate(self.request, username=email, password=password)
            except UnconfirmedAccount:
                raise forms.ValidationError(
                    self.error_messages["unconfirmed"], code="unconfirmed"
                ) from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordFieldsMixin(forms.Form):
    password1 = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères. Une phrase facile à retenir convient très bien.",
    )
    password2 = forms.CharField(
        label="Mot de passe, une seconde fois",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User:
        return User(
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError("Les deux mots de passe ne sont pas identiques.")
        if second:
            password_validation.validate_password(second, self.password_user())
        return second


class SignUpForm(BootstrapFormMixin, PasswordFieldsMixin):
    first_name = forms.CharField(
        label="Prénom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Nom",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Nous y enverrons un lien pour confirmer votre inscription.",
    )
    association_name = forms.CharField(
        label="Nom de votre association ou collectif",
        max_length=200,
        help_text="Si votre association a déjà un compte, demandez à un membre de vous inviter.",
    )
    association_kind = forms.ChoiceField(label="Type de structure", choices=AssociationKind.choices)
    commune = forms.ModelChoiceField(
        label="Commune du siège",
        queryset=Commune.objects.order_by("name"),
        empty_label="Choisissez une commune",
    )
    accept_privacy = forms.BooleanField(label=PRIVACY_CONSENT_LABEL)
    field_order = [
        "first_name",
        "last_name",
        "email",
        "password1",
        "password2",
        "association_name",
        "association_kind",
        "commune",
        "accept_privacy",
    ]


class InvitedSignUpForm(BootstrapFormMixin, PasswordFieldsMixin):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    accept_privacy = forms.BooleanField(label=PRIVACY_CONSENT_LABEL)
    field_order = ["first_name", "last_name", "password1", "password2", "accept_privacy"]

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def password_user(self) -> User:
        user = super().password_user()
        user.email = self.email
        return user


class ResendConfirmationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label="Adresse e-mail")


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]


class AssociationForm(BootstrapFormMixin, forms.ModelForm, OnceFormMixin):
    # Wider than the stored value: people type spaces and dots inside numbers.
    rna = forms.CharField(
        label="Numéro RNA",
        max_length=20,
        required=False,
        help_text=Association._meta.get_field("rna").help_text,
    )
    siret = forms.CharField(
        label="Numéro SIRET",
        max_length=24,
        required=False,
        help_text=Association._meta.get_field("siret").help_text,
    )
    qpvs = forms.ModelMultipleChoiceField(
        label="Quartiers prioritaires où elle agit",
        queryset=Qpv.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Association
        fields = [
            "name",
            "kind",
            "rna",
            "siret",
            "address",
            "postcode",
            "commune",
            "qpvs",
            "contact_email",
            "contact_phone",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commune = cast(forms.ModelChoiceField, self.fields["commune"])
        commune.empty_label = "Choisissez une commune"
        commune.queryset = Commune.objects.order_by("name")

    def clean_rna(self):
        return normalize_identifier(self.cleaned_data["rna"])

    def clean_siret(self):
        return normalize_identifier(self.cleaned_data["siret"])

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode:
            validate_postcode(postcode)
        return postcode

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())
        commune, postcode = cleaned.get("commune"), cleaned.get("postcode")
        if commune and postcode and postcode not in commune.postcodes:
            self.add_error(
                "postcode",
                "Ce code postal ne correspond pas à {commune} ({codes}).".format(
                    commune=commune.name, codes=", ".join(commune.postcodes)
                ),
            )
        return cleaned


class InvitationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail de la personne à inviter",
        help_text="Elle recevra un lien pour rejoindre l'association, valable 14 jours.",
    )


class CityContractContactForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CityContract
        fields = ["officer_name", "officer_email", "officer_phone"]


class PortalPasswordResetForm(BootstrapFormMixin, PasswordResetForm):
    """The address only: accounts.services.password_reset_request sends the mail."""


class PortalSetPasswordForm(BootstrapFormMixin, SetPasswordForm):
    pass


class PortalPasswordChangeForm(BootstrapFormMixin, PasswordChangeForm):
    pass


class CommuneLookupForm(forms.Form):
    """The home page's "who is my chef de projet?" picker (a GET form)."""

    commune = forms.ModelChoiceField(
        label="Votre commune",
        queryset=Commune.objects.select_related("city_contract").order_by("name"),
        empty_label="Choisissez votre commune",
        widget=FastSelect(attrs={"class": "form-select"}),
    )
