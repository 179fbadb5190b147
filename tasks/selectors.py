from django.db.models import Q, QuerySet

from recoup.models import Account
from tasks.models import Run


def runs_for(account: Account) -> QuerySet[Run]:
    return Run.objects.filter(account=account).prefetch_related("steps")


def run_get(*, account: Account, run_id: str) -> Run | None:
    try:
        return runs_for(account).get(pk=run_id)
    except Run.DoesNotExist:
        return None


def runs_page(
    *, account: Account, limit: int, status: str | None = None, artist_id=None, cursor=None
) -> tuple[list[Run], bool]:
    """Newest first, keyset-paginated on (created_at, id). Returns the page and whether more follow."""
    runs = runs_for(account).order_by("-created_at", "-id")
    if status:
        runs = runs.filter(status=status)
    if artist_id:
        runs = runs.filter(artist_id=artist_id)
    if cursor:
        created_at, run_id = cursor
        runs = runs.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=run_id))
    page = list(runs[: limit + 1])
    return page[:limit], len(page) > limit
