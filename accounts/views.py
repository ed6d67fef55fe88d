from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView, UpdateView

from accounts import selectors, services
from accounts.forms import (
    AssociationForm,
    CityContractContactForm,
    InvitationForm,
    InvitedSignUpForm,
    LoginForm,
    PortalPasswordChangeForm,
    PortalPasswordResetForm,
    PortalSetPasswordForm,
    ProfileForm,
    ResendConfirmationForm,
    SignUpForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.tokens import email_confirmation_token
from core.forms import attach_errors
from core.permissions import (
    ObjectPermissionRequiredMixin,
    PermissionRequiredMixin,
    allowed,
    object_permission,
)
from core.ratelimit import client_ip


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "Vous êtes déconnecté.")
        return response


class SignUpView(FormView):
    form_class = SignUpForm
    template_name = "accounts/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("dashboard")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.member_sign_up(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
                association_name=data["association_name"],
                association_kind=data["association_kind"],
                commune=data["commune"],
                client_ip=client_ip(self.request),
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)
        self.request.session["signup_email"] = data["email"]
        return redirect("accounts:signup_done")


class SignUpDoneView(TemplateView):
    template_name = "accounts/signup_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(email=self.request.session.get("signup_email"), **kwargs)


@login_not_required
def confirm_email(request, uidb64, token):
    user = selectors.user_from_uidb64(uidb64)
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "accounts/confirm_email_invalid.html", status=400)
    services.email_confirm(user=user)
    messages.success(request, "Votre adresse est confirmée. Vous pouvez maintenant vous connecter.")
    return redirect("accounts:login")


class ResendConfirmationView(FormView):
    form_class = ResendConfirmationForm
    template_name = "accounts/resend_confirmation.html"

    def form_valid(self, form):
        try:
            services.email_confirmation_resend(
                email=form.cleaned_data["email"],
                client_ip=client_ip(self.request),
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            (
                "Si un compte attend une confirmation à cette adresse, un nouveau lien "
                "vient d'y être envoyé (un seul toutes les 10 minutes : si vous venez "
                "d'en demander un, ouvrez le premier)."
            ),
        )
        return redirect("accounts:login")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            services.password_reset_request(
                email=form.cleaned_data["email"],
                client_ip=client_ip(self.request),
            )
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm
    template_name = "accounts/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return response

    def get_success_url(self):
        return reverse("accounts:profile")


class ProfileView(UpdateView):
    request: AuthenticatedHttpRequest
    form_class = ProfileForm
    template_name = "accounts/profile_form.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        data = form.cleaned_data
        services.profile_update(
            user=self.request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
        )
        messages.success(self.request, "Votre profil est enregistré.")
        return redirect("accounts:profile")


class AssociationCreateView(FormView):
    request: AuthenticatedHttpRequest
    form_class = AssociationForm
    template_name = "accounts/association_form.html"

    def form_valid(self, form):
        draft = form.save(commit=False)
        draft.submission_key = form.cleaned_data["submission_key"]
        association = services.association_create(
            actor=self.request.user, association=draft, qpvs=form.cleaned_data["qpvs"]
        )
        messages.success(self.request, "L'association est enregistrée.")
        return redirect(association)


class AssociationDetailView(ObjectPermissionRequiredMixin, DetailView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.view_association"
    template_name = "accounts/association_detail.html"
    context_object_name = "association"

    def get_queryset(self):
        return selectors.associations_visible_to(self.request.user).prefetch_related("qpvs")

    def get_context_data(self, **kwargs):
        association = self.object
        user = self.request.user
        can_invite = allowed(user, "accounts.invite_to_association", association)
        return super().get_context_data(
            members=selectors.association_members(association),
            invitations=selectors.pending_invitations(association) if can_invite else [],
            can_edit=allowed(user, "accounts.change_association", association),
            can_invite=can_invite,
            invitation_form=InvitationForm() if can_invite else None,
            **kwargs,
        )


class AssociationUpdateView(ObjectPermissionRequiredMixin, UpdateView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.change_association"
    form_class = AssociationForm
    template_name = "accounts/association_form.html"
    context_object_name = "association"

    def get_queryset(self):
        return selectors.associations_editable_by(self.request.user)

    def form_valid(self, form):
        association = services.association_update(
            actor=self.request.user,
            association=form.save(commit=False),
            qpvs=form.cleaned_data["qpvs"],
        )
        messages.success(self.request, "Le profil de l'association est enregistré.")
        return redirect(association)


@require_POST
@object_permission(
    "accounts.invite_to_association",
    get=lambda request, pk: selectors.associations_editable_by(request.user).filter(pk=pk).first(),
)
def association_invite(request, association):
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_send(
                association=association,
                actor=request.user,
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                "Invitation envoyée à {email}.".format(email=form.cleaned_data["email"]),
            )
            return redirect(association)
    return render(
        request,
        "accounts/association_detail.html",
        {
            "association": association,
            "members": selectors.association_members(association),
            "invitations": selectors.pending_invitations(association),
            "can_edit": True,
            "can_invite": True,
            "invitation_form": form,
        },
        status=400,
    )


@login_not_required
def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None or invitation.is_expired():
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(
                request,
                "accounts/invitation_other_account.html",
                {"invitation": invitation},
                status=403,
            )
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=user)
            messages.success(
                request,
                f"Vous avez rejoint {invitation.association.name}.",
            )
            return redirect(invitation.association)
        return render(request, "accounts/invitation_join.html", {"invitation": invitation})
    if selectors.email_has_account(invitation.email):
        messages.info(
            request,
            f"Connectez-vous avec {invitation.email} pour accepter l'invitation.",
        )
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    form = InvitedSignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = services.invited_sign_up(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="accounts.backends.EmailBackend")
        messages.success(
            request,
            f"Bienvenue ! Vous êtes membre de {invitation.association.name}.",
        )
        return redirect(invitation.association)
    return render(
        request,
        "accounts/invitation_signup.html",
        {"invitation": invitation, "form": form},
        status=400 if form.is_bound else 200,
    )


class CityContractContactListView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.change_citycontract_contact"
    template_name = "accounts/citycontract_contact_list.html"

    def get_context_data(self, **kwargs):
        contracts = selectors.city_contracts_editable_by(self.request.user)
        return super().get_context_data(contracts=contracts, **kwargs)


class CityContractContactUpdateView(ObjectPermissionRequiredMixin, UpdateView):
    request: AuthenticatedHttpRequest
    permission_required = "accounts.change_citycontract_contact"
    form_class = CityContractContactForm
    template_name = "accounts/citycontract_contact_form.html"
    context_object_name = "contract"
    slug_url_kwarg = "slug"

    def get_queryset(self):
        return selectors.city_contracts_editable_by(self.request.user)

    def form_valid(self, form):
        data = form.cleaned_data
        services.city_contract_contact_update(
            contract=self.object,
            actor=self.request.user,
            name=data["officer_name"],
            email=data["officer_email"],
            phone=data["officer_phone"],
        )
        messages.success(
            self.request,
            f"Le contact du contrat {self.object.short_name} est enregistré.",
        )
        return redirect("accounts:citycontract_contacts")
