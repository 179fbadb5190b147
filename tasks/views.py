from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from recoup.errors import Conflict
from recoup.lib.serializers import error_responses
from tasks.models import Run
from tasks.selectors import run_get, runs_page
from tasks.serializers import (
    RunListQuerySerializer,
    RunListResponseSerializer,
    RunResponseSerializer,
    RunSerializer,
    encode_cursor,
    is_run_id,
)
from tasks.services import run_cancel, run_retry


def _run_or_404(request, run_id: str) -> Run:
    # An id of another form names no run; looking it up anyway would hand PostgreSQL
    # whatever the path holds, and it refuses text with NUL in it (a 500, not a 404).
    run = run_get(account=request.user, run_id=run_id) if is_run_id(run_id) else None
    if run is None:
        raise NotFound()
    return run


class PollNegotiation(DefaultContentNegotiation):
    """DRF's choice of renderer, without parsing the Accept header of a client that takes JSON.

    Polling clients send "*/*" or "application/json"; working that out again on every poll
    cost a tenth of it.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        overridden = format_suffix or self.settings.URL_FORMAT_OVERRIDE in request.query_params
        if accept in ("*/*", renderers[0].media_type) and not overridden:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class RunListView(APIView):
    content_negotiation_class = PollNegotiation

    @extend_schema(
        operation_id="tasks_runs_list",
        parameters=[RunListQuerySerializer],
        responses={200: RunListResponseSerializer, **error_responses(400, 404)},
        description="With runId: that run (404 if unknown). Without: the account's runs, newest first.",
    )
    def get(self, request):
        params = request.query_params
        # A client polling its run sends a well-formed id alone: it needs none of the
        # serializer's checks, which would cost a good part of the request.
        if not (len(params) == 1 and is_run_id(params.get("runId", ""))):
            query = RunListQuerySerializer(data=params.dict())
            query.is_valid(raise_exception=True)
            params = query.validated_data
        context = {"request": request}
        if "runId" in params:
            run = _run_or_404(request, params["runId"])
            return Response({"status": "success", "runs": [RunSerializer(run, context=context).data]})
        runs, more = runs_page(
            account=request.user,
            limit=params["limit"],
            status=params.get("status"),
            artist_id=params.get("artist_account_id"),
            cursor=params.get("cursor"),
        )
        return Response(
            {
                "status": "success",
                "runs": RunSerializer(runs, many=True, context=context).data,
                "next_cursor": encode_cursor(runs[-1]) if more else None,
            }
        )


class RunCancelView(APIView):
    @extend_schema(
        operation_id="tasks_runs_cancel",
        request=None,
        responses={200: RunResponseSerializer, **error_responses(404, 409)},
        description="Cancels a QUEUED or EXECUTING run. Any other status: 409.",
    )
    def post(self, request, run_id: str):
        run = _run_or_404(request, run_id)
        if not run_cancel(run=run):
            raise Conflict(f"Only QUEUED or EXECUTING runs can be canceled; this run is {run.status}.")
        run = run_get(account=request.user, run_id=run_id)
        return Response({"status": "success", "run": RunSerializer(run, context={"request": request}).data})


class RunRetryView(APIView):
    @extend_schema(
        operation_id="tasks_runs_retry",
        request=None,
        responses={200: RunResponseSerializer, **error_responses(404, 409)},
        description="Re-runs a FAILED run from the step that failed. Any other status: 409.",
    )
    def post(self, request, run_id: str):
        run = _run_or_404(request, run_id)
        if not run_retry(run=run):
            raise Conflict(f"Only FAILED runs can be retried; this run is {run.status}.")
        run = run_get(account=request.user, run_id=run_id)
        return Response({"status": "success", "run": RunSerializer(run, context={"request": request}).data})
