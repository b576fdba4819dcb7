from django.urls import path

from townsquare.analytics import report_schedule_views, report_views

W = "w/<slug:workspace>/analytics/"

urlpatterns = [
    path(W + "report.pdf", report_views.report, name="analytics_report_pdf"),
    path(W + "reports/", report_schedule_views.reports, name="analytics_reports"),
    path(
        W + "reports/<int:schedule_id>/delete/",
        report_schedule_views.delete,
        name="analytics_report_delete",
    ),
    path(
        W + "reports/<int:schedule_id>/send/",
        report_schedule_views.send_now,
        name="analytics_report_send_now",
    ),
]
