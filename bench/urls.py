from django.http import JsonResponse
from django.urls import path

from recoup.urls import urlpatterns as service_urls


def fixed(request):
    """The floor: Django answering a fixed JSON body, no auth, no database."""
    return JsonResponse({"status": "success", "runs": []})


urlpatterns = [path("bench/fixed", fixed), *service_urls]
