"""Every mail the portal sends: French subject, the one signature, a link to its page,
a plain-text part and an HTML part that say the same (core.mail)."""

import html
import re
from pathlib import Path

from django.conf import settings
from django.core import mail as django_mail
from django.urls import reverse

from core.links import absolute_url
from core.mail import render_mail, send_mail_on_commit, text_to_html
from core.models import MailStatus
from laureates.enums import ReportState
from network import mails as network_mails
from notifications.services import digest_context, notify
from submissions.enums import ProjectState, Visibility
from submissions.workflows import PROJECT
from tests.factories import AssociationFactory, UserFactory, member_of
from tests.jury.factories import jury_session
from tests.laureates.followup_factories import ReportFactory, followup_laureate
from tests.network.factories import MeetingFactory, ProgrammeItemFactory, RegistrationFactory
from tests.submissions.factories import (
    CoachingEntryFactory,
    EditionFactory,
    MessageFactory,
    ProjectFactory,
)

ROOT = Path(__file__).resolve().parent.parent
SIGNATURE = "L'équipe du Label Actions Innovantes"
FRENCH = re.compile(
    r"\b(le|la|les|de|du|des|à|au|aux|votre|vous|pour|sur|est|et|un|une)\b|[éèêàçô]"
)


FAILING_MAILERS = {
    "default": {"BACKEND": "tests.notifications.backends.FailingForSomeBackend", "OPTIONS": {}}
}


def every_mail_template() -> set[str]:
    """Every ``<name>`` of a ``<name>_subject.txt`` / ``<name>_body.txt`` pair."""
    return {
        str(path.relative_to(ROOT / "templates")).removesuffix("_subject.txt")
        for path in (ROOT / "templates").rglob("*_subject.txt")
    }


def _contexts() -> dict[str, dict]:
    """A realistic context for each mail, as its call site builds it."""
    from laureates.workflows import REPORT

    jury = jury_session(projects=1, jurors=1)
    audition = jury.auditions[0]
    juror = jury.jurors[0]
    association = AssociationFactory(name="Les Ateliers du Port")
    member = member_of(association, first_name="Awa")
    officer = UserFactory(officer=True, first_name="Karim")
    edition = EditionFactory(open=True)
    project = ProjectFactory(
        association=association, coaching=True, complete=True, title="Cuisines du monde"
    )
    deposited = ProjectFactory(association=association, deposited=True, complete=True)
    project_url = absolute_url(project)
    report = ReportFactory(laureate=followup_laureate(association=association), submitted=True)
    meeting = MeetingFactory()
    ProgrammeItemFactory(meeting=meeting)
    registration = RegistrationFactory(meeting=meeting)
    user_notification = notify(
        kind="message",
        users=[member],
        title="Nouveau message : Cuisines du monde",
        link=project.get_absolute_url(),
        mail_template="submissions/email/message",
        context={
            "project": project,
            "message": MessageFactory(project=project, author=officer),
            "project_url": project_url,
        },
    )
    return {
        "accounts/email/confirm_email": {
            "user": member,
            "confirm_url": absolute_url("/compte/confirmer/MQ/abc-123/"),
        },
        "accounts/email/already_registered": {
            "login_url": absolute_url(reverse("accounts:login")),
            "reset_url": absolute_url(reverse("accounts:password_reset")),
        },
        "accounts/email/password_reset": {
            "email": member.email,
            "reset_url": absolute_url("/compte/mot-de-passe/MQ/abc-123/"),
        },
        "accounts/email/invitation": {
            "association": association,
            "actor": member,
            "accept_url": absolute_url("/compte/invitation/abc/"),
        },
        "jury/email/juror_seated": {
            "session": jury.session,
            "user": juror.user,
            "session_url": absolute_url(jury.session),
            "set_password_url": absolute_url("/compte/mot-de-passe/MQ/abc-123/"),
        },
        "jury/email/convocation": {
            "audition": audition,
            "session": jury.session,
            "reply_url": absolute_url(reverse("jury:audition_reply", args=[audition.pk])),
            "project_url": absolute_url(audition.project),
            "update": False,
        },
        "jury/email/convocation_cancelled": {
            "audition": audition,
            "session": jury.session,
            "reply_url": absolute_url(reverse("jury:audition_reply", args=[audition.pk])),
            "project_url": absolute_url(audition.project),
            "update": True,
        },
        "jury/email/convocation_juror": {
            "session": jury.session,
            "member": juror,
            "auditions": jury.auditions,
            "session_url": absolute_url(jury.session),
        },
        "jury/email/results": {
            "edition": jury.edition,
            "project": audition.project,
            "laureate": True,
            "amount": "2 500,00 €",
            "feedback_url": absolute_url(reverse("jury:feedback", args=[audition.project.pk])),
            "project_url": absolute_url(audition.project),
            "recipient": member,
        },
        "laureates/email/report_reminder": {
            "report": report,
            "laureate": report.laureate,
            "late": False,
            "days_left": 7,
            "due_on": "12 mars 2027",
            "url": absolute_url(report),
        },
        "laureates/email/report_transition": {
            "report": report,
            "laureate": report.laureate,
            "states": ReportState,
            "transition": REPORT["submit"],
            "reason": "",
            "url": absolute_url(report),
        },
        "network/email/address_confirm": network_mails._context(
            registration,
            confirm_url=network_mails.registration_url(
                registration, "network:registration_confirm"
            ),
        ),
        "network/email/already_registered": network_mails._context(registration, confirm_url=""),
        "network/email/seat": network_mails._context(registration, promoted=True),
        "network/email/waitlisted": network_mails._context(registration, position=3),
        "network/email/cancelled": network_mails._context(
            registration, by_coordination=False, had_seat=True
        ),
        "network/email/meeting_reminder": {
            "registration": registration,
            "registration_url": network_mails.registration_url(registration),
            "meeting": meeting,
            "programme": list(meeting.programme.all()),
            "days_left": 3,
        },
        "network/email/meeting_followup": {
            "registration": registration,
            "meeting": meeting,
            "certificate_url": network_mails.registration_url(
                registration, "network:attendance_certificate"
            ),
        },
        "network/meetings/email/meeting_cancelled": {
            "meeting": meeting,
            "registration": registration,
            "reason": "La salle n'est plus disponible.",
            "url": absolute_url(reverse("network:archive")),
        },
        "submissions/email/assigned": {"project": project, "project_url": project_url},
        "submissions/email/coaching_shared": {
            "project": project,
            "entry": CoachingEntryFactory(
                project=project, author=officer, visibility=Visibility.SHARED
            ),
            "project_url": project_url,
        },
        "submissions/email/deposit_receipt": {
            "project": deposited,
            "snapshot": deposited.snapshot,
            "has_pdf": True,
            "project_url": absolute_url(deposited),
        },
        "submissions/email/message": {
            "project": project,
            "message": MessageFactory(project=project, author=officer),
            "project_url": project_url + "#messages",
        },
        "submissions/email/transition": {
            "project": project,
            "states": ProjectState,
            "transition": PROJECT["take_into_coaching"],
            "actor": officer,
            "comment": "",
            "project_url": project_url,
        },
        "submissions/email/deposit_reminder": {
            "project": project,
            "edition": edition,
            "deadline": "31 mars 2026 à 23:59",
            "project_url": project_url,
            "recipient": member,
        },
        "notifications/email/digest": digest_context(member, user_notification),
    }


def _visible_text(markup: str) -> str:
    without_tags = re.sub(r"<[^>]+>", "", markup)
    return " ".join(html.unescape(without_tags).split())


def problems_of(name: str, context: dict) -> list[str]:
    """What is wrong with one rendered mail, in words (empty: all good)."""
    rendered = render_mail(name, context)
    found = []
    body, _, signature = rendered.text.partition("\n-- \n")
    if not rendered.subject or not FRENCH.search(rendered.subject.lower()):
        found.append(f"{name}: objet pas en français : {rendered.subject!r}")
    for text in (rendered.subject, rendered.text):
        if "None" in text or "{{" in text or "{%" in text:
            found.append(f"{name}: reste de gabarit : {text!r}")
    if SIGNATURE not in signature or SIGNATURE in body:
        found.append(f"{name}: la signature est celle de core.mail, une seule fois")
    if settings.SITE_URL + "/" not in body:
        found.append(f"{name}: aucun lien vers une page du portail")
    visible = _visible_text(rendered.html)
    for line in rendered.text.splitlines():
        if line.strip() and line.strip() != "--" and " ".join(line.split()) not in visible:
            found.append(f"{name}: ligne absente du HTML : {line!r}")
    for url in re.findall(r"https?://\S+", rendered.text):
        if f'href="{html.escape(url)}"' not in rendered.html:
            found.append(f"{name}: lien pas cliquable dans le HTML : {url}")
    if (
        '<html lang="fr">' not in rendered.html
        or f"<title>{html.escape(rendered.subject)}" not in rendered.html
    ):
        found.append(f"{name}: HTML sans langue ou sans titre")
    if re.search(r"<img|src=|<script|<link", rendered.html):
        found.append(f"{name}: image ou ressource extérieure dans le HTML")
    return found


def test_every_mail_template_has_a_context_here(db):
    assert set(_contexts()) == every_mail_template()


def test_every_mail_is_french_signed_linked_and_the_same_in_text_and_html(db):
    problems = [
        problem for name, context in _contexts().items() for problem in problems_of(name, context)
    ]

    assert problems == []


def test_a_mail_leaves_with_a_text_part_and_an_html_part(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    context = _contexts()["submissions/email/assigned"]

    with django_capture_on_commit_callbacks(execute=True):
        send_mail_on_commit(
            template="submissions/email/assigned", to=["chef@exemple.test"], context=context
        )

    (sent,) = mailoutbox
    assert sent.body.endswith(
        f"-- \n{SIGNATURE}\nÉtablissement public territorial Grand-Orly Seine Bièvre\n{settings.SITE_URL}/\n"
    )
    ((html_part, mimetype),) = sent.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{context["project_url"]}"' in html_part
    assert "Cuisines du monde" in html_part


def test_text_becomes_escaped_paragraphs_with_links():
    markup = text_to_html("Bonjour <Awa>,\n\nVoir : https://exemple.test/a?b=1&c=2\nMerci.")

    assert markup == (
        "<p>Bonjour &lt;Awa&gt;,</p>\n"
        '<p>Voir : <a href="https://exemple.test/a?b=1&amp;c=2">'
        "https://exemple.test/a?b=1&amp;c=2</a><br>\nMerci.</p>"
    )


def test_a_failing_mail_is_logged_and_waits_for_another_try(
    db, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING_MAILERS
    context = {"project": ProjectFactory(), "project_url": "http://testserver/p/"}

    with django_capture_on_commit_callbacks(execute=True):
        queued = send_mail_on_commit(
            template="submissions/email/assigned", to=["panne@exemple.test"], context=context
        )

    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.QUEUED, 1)
    assert mailoutbox == []
    assert "not sent (try 1)" in caplog.text


def test_muted_mails_do_not_leave(db, mailoutbox, django_capture_on_commit_callbacks):
    from core.mail import muted, send_mail_on_commit

    context = {"project": ProjectFactory(), "project_url": "http://testserver/p/"}
    with django_capture_on_commit_callbacks(execute=True), muted():
        send_mail_on_commit(
            template="submissions/email/assigned", to=["a@exemple.test"], context=context
        )

    assert mailoutbox == []
    assert django_mail.outbox == []
