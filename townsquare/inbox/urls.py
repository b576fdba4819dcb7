"""Pages of the inbox: the list, one conversation and what is done on it, saved replies."""

from django.urls import include, path

from townsquare.inbox import views, views_conversation, views_saved

W = "w/<slug:workspace>/inbox/"
C = W + "<int:conversation_id>/"

urlpatterns = [
    path(W, views.inbox, name="workspace_inbox"),
    path(W + "bulk/", views.bulk, name="inbox_bulk"),
    path(W + "settings/", include("townsquare.inbox.settings_urls")),
    path(W, include("townsquare.inbox.register_urls")),
    path(W + "accounts/<int:account_id>/retry/", views.retry_polling, name="inbox_retry_polling"),
    path(W + "saved-replies/", views_saved.saved_replies, name="inbox_saved_replies"),
    path(
        W + "saved-replies/<int:saved_reply_id>/",
        views_saved.saved_reply_edit,
        name="inbox_saved_reply_edit",
    ),
    path(
        W + "saved-replies/<int:saved_reply_id>/delete/",
        views_saved.saved_reply_delete,
        name="inbox_saved_reply_delete",
    ),
    path(C, views_conversation.conversation, name="inbox_conversation"),
    path(C + "correct/", views_conversation.correct, name="inbox_correct"),
    path(C + "assign/", views_conversation.assign, name="inbox_assign"),
    path(C + "status/", views_conversation.set_status, name="inbox_status"),
    path(C + "details/", views_conversation.details, name="inbox_details"),
    path(C + "notes/", views_conversation.note, name="inbox_note"),
    path(C + "forward/", views_conversation.forward, name="inbox_forward"),
    path(C + "route-again/", views_conversation.route_again, name="inbox_route_again"),
    path(C + "reply/", views_conversation.reply, name="inbox_reply"),
    path(C + "answering/", views_conversation.answering, name="inbox_answering"),
    path(C + "replies/<int:reply_id>/", views_conversation.decide_reply, name="inbox_decide_reply"),
]
