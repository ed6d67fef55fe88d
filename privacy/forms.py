"""The forms of the « Mes données » pages."""

from django import forms

from core.forms import BootstrapFormMixin


class EraseAccountForm(BootstrapFormMixin, forms.Form):
    """The password and a ticked box: nobody erases an account by a stray click."""

    password = forms.CharField(
        label="Votre mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Celui avec lequel vous vous connectez : il confirme que c'est bien vous.",
        error_messages={"required": "Saisissez votre mot de passe pour supprimer le compte."},
    )
    understood = forms.BooleanField(
        label="J'ai compris : mon compte sera supprimé pour toujours.",
        error_messages={
            "required": "Cochez la case pour confirmer que vous voulez supprimer votre compte."
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "Ce mot de passe n'est pas le bon : votre compte n'est pas supprimé. "
                "Saisissez le mot de passe avec lequel vous vous connectez.",
                code="wrong_password",
            )
        return password
