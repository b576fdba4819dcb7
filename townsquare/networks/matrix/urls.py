from django.urls import path

from townsquare.networks.matrix import views

urlpatterns = [
    path(
        "w/<slug:workspace>/settings/accounts/matrix/connect/",
        views.connect_matrix,
        name="workspace_connect_matrix",
    ),
    path(
        "w/<slug:workspace>/settings/accounts/matrix/rooms/",
        views.choose_matrix_rooms,
        name="workspace_connect_matrix_rooms",
    ),
]
