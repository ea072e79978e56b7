"""Background work for the tree: check an uploaded set of division-code files, or apply a confirmed one."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import tree_import
from .models import TreeImport

User = get_user_model()  # org sits below accounts: the user model by setting, not import


@task()
def check_tree_import(job_id: int, actor_id: int) -> str:
    """The dry run of an upload: its problems, or the report of what it would change."""
    job = TreeImport.objects.get(pk=job_id)
    return tree_import.tree_import_check(actor=User.objects.get(pk=actor_id), job=job).status


@task()
def run_tree_import(job_id: int, actor_id: int) -> str:
    """Apply a confirmed upload; the job records the outcome (counts, or why nothing was written)."""
    job = TreeImport.objects.get(pk=job_id)
    return tree_import.tree_import_run(actor=User.objects.get(pk=actor_id), job=job).status
