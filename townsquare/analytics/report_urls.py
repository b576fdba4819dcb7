from django.urls import path

from townsquare.analytics import report_views

urlpatterns = [
    path(
        "w/<slug:workspace>/analytics/report.pdf",
        report_views.report,
        name="analytics_report_pdf",
    ),
]
