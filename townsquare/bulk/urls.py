"""Pages of the bulk app: import posts from a file, export them to one."""

from django.urls import path

from townsquare.bulk import views

urlpatterns = [
    path("w/<slug:workspace>/posts/import/", views.upload, name="bulk_import"),
    path(
        "w/<slug:workspace>/posts/import/example.csv",
        views.example,
        name="bulk_import_example",
    ),
    path(
        "w/<slug:workspace>/posts/import/<int:import_id>/",
        views.detail,
        name="bulk_import_detail",
    ),
    path("w/<slug:workspace>/posts/export/", views.export, name="bulk_export"),
]
