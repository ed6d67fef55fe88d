"""The coordination's exports: choose a dataset, its columns and format; large ones in the background."""

from django.contrib import messages
from django.shortcuts import redirect, render

from coordination import exports, selectors
from coordination.forms import ExportForm
from core import files
from core.permissions import allowed, not_found, object_permission, permission


def _datasets_for(user) -> list[exports.Dataset]:
    may_export_results = allowed(user, "coordination.export_results")
    return [
        dataset
        for dataset in exports.DATASETS.values()
        if may_export_results or not dataset.coordination_only
    ]


def job_of(request, pk):
    return selectors.export_job_of(request.user, pk)


@permission("coordination.export_data")
def export_list(request):
    datasets = _datasets_for(request.user)
    key = request.GET.get("jeu", exports.PROJECTS.key)
    dataset = next((d for d in datasets if d.key == key), None)
    if dataset is None:
        not_found()
    form = ExportForm(request.POST or None, dataset=dataset)
    if request.method == "POST" and form.is_valid():
        export = form.export_request()
        items, total = exports.rows_and_count(export, request.user)
        if total <= exports.SMALL_EXPORT_ROWS:
            return exports.export_now(user=request.user, request=export, items=items)
        job, created = exports.export_later(
            user=request.user,
            request=export,
            total=total,
            submission_key=form.cleaned_data["submission_key"],
        )
        if created:
            messages.success(
                request,
                f"{total} lignes : l'export est préparé en arrière-plan. "
                "Vous pouvez quitter cette page et revenir le télécharger.",
            )
        return redirect("coordination:export_job", pk=job.pk)
    context = {
        "datasets": datasets,
        "dataset": dataset,
        "form": form,
        "jobs": list(selectors.export_jobs_of(request.user)[:20]),
        "small_rows": exports.SMALL_EXPORT_ROWS,
    }
    return render(
        request, "coordination/exports.html", context, status=400 if form.is_bound else 200
    )


@object_permission("coordination.download_export", get=job_of)
def export_job(request, job):
    return render(request, "coordination/export_job.html", {"job": job})


@object_permission("coordination.download_export", get=job_of)
def export_download(request, job):
    if not job.is_ready:
        messages.info(
            request, "Le fichier n'est pas encore prêt : il apparaîtra ici dès qu'il le sera."
        )
        return redirect("coordination:export_job", pk=job.pk)
    return files.download_response(job)
