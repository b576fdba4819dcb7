"""A small social network on loopback for the publishing engine's tests, and its connector.

`server.TestNetwork` is the network (stdlib only, also runnable as a subprocess),
`connector.TestNetPublisher` publishes to it, and `rules.testnet_rules()` are its posting rules.
This package imports nothing on purpose: the server subprocess starts without httpx or Django.
"""
