"""Background work for people: check (and optionally commit) an import job with a worker."""

from django.contrib.auth import get_user_model
from django_tasks import task

from niangjia.core.errors import ValidationFailed

from . import services
from .models import ImportJob


@task()
def run_import_job(job_id: int, actor_id: int, commit: bool = False) -> dict:
    """Check every row of a job; commit when asked and clean. Returns the job's outcome."""
    actor = get_user_model().objects.get(pk=actor_id)  # accounts sits above people: by setting
    job = ImportJob.objects.get(pk=job_id, created_by=actor)
    if job.status == ImportJob.Status.VALIDATING:
        services.import_job_run(actor=actor, job=job)
    if commit and job.status in (ImportJob.Status.VALID, ImportJob.Status.COMMITTING):
        try:
            services.import_job_commit(actor=actor, job=job)
        except ValidationFailed:  # refused (already taken) or failed: the job page says why
            job.refresh_from_db()
    return {"status": job.status, "errors": len(job.errors), "persons": job.persons_created,
            "posts": job.posts_created}
