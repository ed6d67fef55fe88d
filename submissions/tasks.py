"""Work done outside the request: the deposit receipt."""

from django.tasks import task


@task
def deposit_receipt_task(snapshot_id: int) -> None:
    from submissions.deposit import deposit_receipt_send

    deposit_receipt_send(snapshot_id=snapshot_id)
