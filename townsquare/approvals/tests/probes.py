from townsquare.testing.tenancy import not_tenant_scoped

not_tenant_scoped(
    "approvals_client", "holding the client's link token is what grants access to one post"
)
not_tenant_scoped(
    "approvals_client_media", "a picture of the one post the client's link token is for"
)
