"""The association answers its convocation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from core.permissions import object_permission
from jury import selectors, services
from jury.enums import Attendance
from jury.forms import AttendanceReplyForm
from jury.views._common import attach_errors


def _audition(request, pk):
    return selectors.auditions_of_member_associations(request.user).filter(pk=pk).first()


@object_permission("jury.reply_to_audition", get=_audition)
def audition_reply(request, audition):
    initial = {"presenters": audition.presenters}
    if audition.attendance != Attendance.PENDING:
        initial["attending"] = "yes" if audition.attendance == Attendance.CONFIRMED else "no"
    form = AttendanceReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_confirm(
                audition=audition,
                actor=request.user,
                attending=form.cleaned_data["attending"],
                presenters=form.cleaned_data["presenters"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Merci, votre réponse est enregistrée.")
            return redirect("jury:audition_reply", pk=audition.pk)
    return render(
        request,
        "jury/association/audition_reply.html",
        {"audition": audition, "form": form},
        status=400 if request.method == "POST" else 200,
    )
