from django.urls import path

from townsquare.analytics import views, views_groups

W = "w/<slug:workspace>/analytics/"

urlpatterns = [
    path(W, views.overview, name="workspace_analytics"),
    path(W + "posts/", views.post_list, name="analytics_posts"),
    path(W + "posts/<int:tracked_post_id>/", views.post_detail, name="analytics_post"),
    path(W + "campaigns/", views_groups.campaigns, name="analytics_campaigns"),
    path(W + "variants/", views_groups.variant_list, name="analytics_variant_list"),
    path(W + "variants/<int:post_id>/", views_groups.variants, name="analytics_variants"),
    path(W + "team/", views_groups.team, name="analytics_team"),
]
