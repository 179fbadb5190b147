from django.urls import path

from content import views

urlpatterns = [
    path("create", views.ContentCreateView.as_view(), name="content-create"),
    path("templates", views.TemplateListView.as_view(), name="templates"),
    path("templates/<str:template_id>", views.TemplateDetailView.as_view(), name="template"),
    path("validate", views.ValidateView.as_view(), name="content-validate"),
    path("estimate", views.EstimateView.as_view(), name="content-estimate"),
]
