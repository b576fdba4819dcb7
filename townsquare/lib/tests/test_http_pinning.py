"""The outbound client connects to the very address it checked: no second lookup that a
name could answer differently (DNS rebinding), every new connection checked again, TLS
still verified for the host name."""

from __future__ import annotations

import datetime
import ssl
import threading
from http.server import ThreadingHTTPServer

import httpx
import pytest

from townsquare.lib.http import UnsafeTarget, guarded_post, outbound_client
from townsquare.lib.tests.outbound_support import (
    PUBLIC,
    Network,
    _Recorder,
    install,
    loopback_server,
)


@pytest.fixture
def public_only(settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False


def test_a_host_name_that_resolves_to_a_private_address_is_refused_before_connecting(
    monkeypatch, public_only
):
    network = install(monkeypatch, Network(answers={"hooks.partner-firma.de": ["10.20.30.40"]}))
    with outbound_client() as http, pytest.raises(UnsafeTarget, match="non-public"):
        http.get("http://hooks.partner-firma.de/hook")
    assert network.dialled == []


def test_a_name_that_answers_public_to_the_check_and_loopback_afterwards_never_reaches_loopback(
    monkeypatch, public_only
):
    with loopback_server() as server:
        port = server.server_address[1]
        network = install(
            monkeypatch,
            Network(answers={"rebind.attacker-site.de": [PUBLIC, "127.0.0.1"]}),
        )
        with pytest.raises(httpx.ConnectError):
            guarded_post(f"http://rebind.attacker-site.de:{port}/internal", {"x": 1})
    assert server.hits == [], "the request reached the machine's own network"
    assert network.dialled == [PUBLIC], "the connection went to the checked address only"
    assert network.lookups == ["rebind.attacker-site.de"], "one lookup: the checked one"


def test_every_new_connection_is_checked_again(monkeypatch, public_only):
    with loopback_server() as public_site:
        network = install(
            monkeypatch,
            Network(
                answers={"api.partner-firma.de": [PUBLIC, "127.0.0.1"]},
                public_server=public_site.server_address,
            ),
        )
        port = public_site.server_address[1]
        with outbound_client() as http:
            assert http.get(f"http://api.partner-firma.de:{port}/first").status_code == 200
            # The server closed the connection (HTTP/1.0): the next request dials again,
            # and the name now points at loopback.
            with pytest.raises(UnsafeTarget):
                http.get(f"http://api.partner-firma.de:{port}/second")
    assert public_site.hits == ["/first"]
    assert network.dialled == [PUBLIC]
    assert network.lookups == ["api.partner-firma.de", "api.partner-firma.de"]


def test_a_loopback_server_of_an_allowed_setup_is_reached(settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    with loopback_server() as server, outbound_client() as http:
        port = server.server_address[1]
        assert http.get(f"http://127.0.0.1:{port}/by-address").status_code == 200
        assert http.get(f"http://localhost:{port}/by-name").status_code == 200
    assert server.hits == ["/by-address", "/by-name"]


def test_the_same_loopback_server_is_refused_when_private_targets_are_not_allowed(public_only):
    with loopback_server() as server, outbound_client() as http:
        port = server.server_address[1]
        for url in (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/"):
            with pytest.raises(UnsafeTarget):
                http.get(url)
    assert server.hits == []


def test_an_allowed_setup_still_never_reaches_link_local_addresses(monkeypatch, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    network = install(monkeypatch, Network(answers={"metadata.cloud-test.de": ["169.254.169.254"]}))
    with outbound_client() as http:
        for url in ("http://169.254.169.254/latest/meta-data", "http://metadata.cloud-test.de/"):
            with pytest.raises(UnsafeTarget):
                http.get(url)
    assert network.dialled == []


def test_proxies_from_the_environment_are_ignored(monkeypatch, settings):
    # A proxy would make the connection instead of the guard.
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    with loopback_server() as server, outbound_client() as http:
        assert http.get(f"http://127.0.0.1:{server.server_address[1]}/").status_code == 200


def test_the_test_network_client_reaches_only_this_machine(monkeypatch, settings):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = False
    install(monkeypatch, Network(answers={"testnet.partner-firma.de": [PUBLIC]}))
    with loopback_server() as server, outbound_client(loopback_only=True) as http:
        port = server.server_address[1]
        assert http.get(f"http://127.0.0.1:{port}/").status_code == 200
        with pytest.raises(UnsafeTarget):
            http.get(f"http://testnet.partner-firma.de:{port}/")


# --- TLS: the connection goes to the checked address, the certificate is checked for the name


def _certificate(tmp_path, name: str) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_tls_is_verified_for_the_host_name_while_the_socket_goes_to_the_checked_address(
    monkeypatch, settings, tmp_path
):
    settings.ALLOW_PRIVATE_NETWORK_TARGETS = True  # the server is on loopback
    name = "pds.kaffee-test.de"
    cert, key = _certificate(tmp_path, name)
    server_names: list[str | None] = []
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    server_context.sni_callback = lambda sock, server_name, ctx: server_names.append(server_name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    network = install(monkeypatch, Network(answers={name: ["127.0.0.1"]}))
    trusted = ssl.create_default_context(cafile=cert)
    port = server.server_address[1]
    try:
        with outbound_client(verify=trusted) as http:
            assert http.get(f"https://{name}:{port}/secure").status_code == 200
            with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|match"):
                http.get(f"https://127.0.0.1:{port}/by-address")  # not the certificate's name
    finally:
        server.shutdown()
        server.server_close()
    assert server.hits == ["/secure"]
    assert server_names[0] == name, "SNI names the host, not the address"
    assert network.dialled[0] == "127.0.0.1"
