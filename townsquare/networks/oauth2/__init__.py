"""The OAuth 2.0 authorization-code flow that the networks' connectors share.

Pure (no Django): `state` (single-use states kept in the session, PKCE S256), `tokens` (the
authorization URL, the token exchange and refresh requests as values, their answers parsed
into `TokenSet`), `refresh` (when to refresh, and one forced refresh after a 401) and
`client` (sends a token request through the connector's httpx client and classifies the
answer). Storing refreshed tokens is Django's part: `networks/refreshed_tokens.py`.
"""
