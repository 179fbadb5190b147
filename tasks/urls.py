from django.urls import path

from tasks import views

urlpatterns = [
    path("runs", views.RunListView.as_view(), name="runs"),
    path("runs/<str:run_id>/cancel", views.RunCancelView.as_view(), name="run-cancel"),
    path("runs/<str:run_id>/retry", views.RunRetryView.as_view(), name="run-retry"),
]
