"""The erasure of one's own account: say what goes and what stays, ask the password."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from core.confirm import Confirmation, confirmation_page, confirmed
from core.forms import attach_errors
from core.permissions import permission
from privacy.erasure import ErasureRefused, erase_account
from privacy.forms import EraseAccountForm

CONSEQUENCES = [
    "Effacé : vos nom, prénom, adresse e-mail, téléphone et mot de passe. "
    "Vous êtes déconnecté·e sur tous vos appareils et ne pouvez plus vous connecter.",
    "Effacé : votre place dans vos associations (les autres membres gardent la leur), "
    "vos choix de notifications, vos inscriptions à la rencontre annuelle (anonymisées).",
    "Gardé : les dossiers de projet, les notes d'accompagnement, les messages, les "
    "évaluations et les procès-verbaux du jury restent entiers. Votre nom y est remplacé "
    "par « Compte supprimé ».",
    "C'est définitif : le compte ne peut pas être rétabli. Pour garder une copie de vos "
    "données, téléchargez-les d'abord depuis la page « Mes données ».",
]


@permission("privacy.erase_own_account")
def erase(request):
    form = EraseAccountForm(request.POST if confirmed(request) else None, user=request.user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                erase_account(user=request.user, actor=request.user)
            except ErasureRefused as refused:
                attach_errors(form, refused)
            else:
                logout(request)
                messages.success(
                    request,
                    "Votre compte est supprimé. Les données personnelles qu'il portait sont "
                    "effacées. Merci d'avoir participé au label.",
                )
                return redirect("home")
        status = 400
    return confirmation_page(
        request,
        Confirmation(
            title="Supprimer mon compte ?",
            consequences=CONSEQUENCES,
            action_url=request.path,
            button="Supprimer mon compte",
            cancel_url=reverse("privacy:data"),
            danger=True,
        ),
        form=form,
        status=status,
    )
