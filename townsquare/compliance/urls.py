"""Pages of the compliance app."""

from django.urls import path

from townsquare.compliance import views

urlpatterns = [
    path("w/<slug:workspace>/plan/compliance/", views.compliance_page, name="plan_compliance"),
]
