"""The notifications of a person, their choices, and the coordination's outbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.confirm import Confirmation, confirmation_page, confirmed
from core.forms import flash_errors
from core.mail import MAX_ATTEMPTS
from core.permissions import object_permission, permission
from core.text import plural
from notifications import mailings, selectors, services
from notifications.forms import ComposeForm, PreferencesForm
from notifications.workflows import MAILING

PER_PAGE = 20


def _notification(request, pk):
    return selectors.notification_of(request.user, pk)


def _mailing(request, pk):
    return selectors.mailing_of(request.user, pk)


def _message(request, pk, message_pk):
    return selectors.mailing_message_of(request.user, pk, message_pk)


def _unsent_mail(request, pk):
    return selectors.unsent_mail_of(request.user, pk)


@permission("notifications.view_notifications")
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "notifications": page.object_list,
    }
    return render(request, "notifications/notification_list.html", context)


@require_POST
@object_permission("notifications.open_notification", get=_notification)
def notification_open(request, notification):
    services.notification_open(notification=notification, user=request.user)
    link = notification.link
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None) or not link.startswith("/"):
        link = reverse("notifications:list")
    return HttpResponseRedirect(link)


@require_POST
@permission("notifications.view_notifications")
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user)
    messages.success(
        request,
        plural(
            count, "%(count)s notification marquée lue.", "%(count)s notifications marquées lues."
        )
        % {"count": count}
        if count
        else "Aucune notification à marquer lue.",
    )
    return redirect("notifications:list")


@permission("notifications.view_notifications")
def preferences(request):
    rows = selectors.preference_rows(request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if form.is_valid():
            services.preferences_save(user=request.user, deliveries=form.cleaned_data)
            messages.success(request, "Vos choix de notifications sont enregistrés.")
            return redirect("notifications:preferences")
        flash_errors(request, ValidationError("Vérifiez les choix signalés ci-dessous."))
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@permission("notifications.manage_mailings")
def outbox(request):
    if request.method == "POST":
        form = ComposeForm(request.POST)
        mailing = None
        if form.is_valid():
            mailing = mailings.compose(
                form.cleaned_data["composition"],
                actor=request.user,
                submission_key=form.cleaned_data["submission_key"],
            )
        if mailing is None:
            messages.error(request, "Cet envoi n'existe pas.")
            return redirect("notifications:outbox")
        messages.success(request, "Brouillon préparé : relisez les messages avant de l'envoyer.")
        return redirect(mailing)
    page = Paginator(selectors.mailings_visible_to(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "mailings": page.object_list,
        "unsent": selectors.unsent_counts(request.user),
        "compositions": [
            (composition, ComposeForm(initial={"composition": composition.key}))
            for composition in mailings.compositions()
        ],
    }
    return render(request, "notifications/outbox.html", context)


@object_permission("notifications.manage_mailings", get=_mailing)
def mailing_detail(request, mailing):
    page = Paginator(selectors.mailing_messages(mailing), PER_PAGE * 5).get_page(
        request.GET.get("page")
    )
    context = {
        "mailing": mailing,
        "page_obj": page,
        "outbox_messages": page.object_list,
        "may_send": MAILING.allows(mailing, request.user, "send"),
        "may_cancel": MAILING.allows(mailing, request.user, "cancel"),
    }
    return render(request, "notifications/mailing_detail.html", context)


@object_permission("notifications.manage_mailings", get=_message)
def mailing_message(request, message):
    return render(
        request,
        "notifications/mailing_message.html",
        {"message": message, "mailing": message.mailing},
    )


def _confirm_move(request, mailing, name, *, consequences, take):
    move = MAILING[name]
    back = redirect(mailing)
    refusal = MAILING.refusal(mailing, request.user, name)
    if refusal:
        messages.error(request, refusal)
        return back
    if not confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=f"{move.label} « {mailing.title} » ?",
                consequences=consequences,
                action_url=request.path,
                button=move.label,
                cancel_url=mailing.get_absolute_url(),
                danger=move.button == "danger",
            ),
        )
    try:
        take()
    except ValidationError as error:
        flash_errors(request, error)
        return back
    messages.success(request, move.success)
    return back


@object_permission("notifications.manage_mailings", get=_mailing)
def mailing_send(request, mailing):
    count = mailing.recipient_count
    return _confirm_move(
        request,
        mailing,
        "send",
        consequences=[
            plural(count, "%(count)s destinataire.", "%(count)s destinataires.") % {"count": count},
            MAILING["send"].confirm,
        ],
        take=lambda: services.mailing_send(mailing=mailing, actor=request.user),
    )


@object_permission("notifications.manage_mailings", get=_mailing)
def mailing_cancel(request, mailing):
    return _confirm_move(
        request,
        mailing,
        "cancel",
        consequences=[MAILING["cancel"].confirm],
        take=lambda: services.mailing_cancel(mailing=mailing, actor=request.user),
    )


@permission("notifications.manage_mailings")
def mail_queue(request):
    page = Paginator(selectors.unsent_mails_visible_to(request.user), PER_PAGE * 2).get_page(
        request.GET.get("page")
    )
    context = {"page_obj": page, "mails": page.object_list, "max_attempts": MAX_ATTEMPTS}
    return render(request, "notifications/mail_queue.html", context)


@require_POST
@object_permission("notifications.manage_mailings", get=_unsent_mail)
def mail_retry(request, mail):
    if services.mail_retry(mail=mail, actor=request.user):
        messages.success(
            request,
            f"Le mail à {', '.join(mail.to)} est renvoyé : s'il part, il quitte cette liste.",
        )
    else:
        messages.info(request, "Ce mail est déjà en attente d'un nouvel essai.")
    return redirect("notifications:mail_queue")
