from django.urls import path

from artists import views

urlpatterns = [
    path("artists", views.ArtistListView.as_view(), name="artists"),
    path("artists/<uuid:artist_id>", views.ArtistDetailView.as_view(), name="artist"),
    path("artists/<uuid:artist_id>/files", views.ArtistFileUploadView.as_view(), name="artist-files"),
]
