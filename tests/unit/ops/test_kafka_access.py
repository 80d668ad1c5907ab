"""TLS and SASL settings reach every Kafka client the same way. (No TLS broker runs here:
these check the translation into aiokafka's and faust's options, not a handshake.)"""
from __future__ import annotations

import ssl
import subprocess
from pathlib import Path

import faust
import pytest
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from pydantic import ValidationError

from infra.kafka_access import kafka_access
from infra.settings import Settings

EXTERNAL = "kafka://b1.example:9093,b2.example:9093"


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, kafka_url=EXTERNAL, database_url="postgresql+asyncpg://u@db/minqing",
                    **values)  # type: ignore[arg-type]


def test_plaintext_by_default_and_for_the_embedded_broker() -> None:
    assert _settings().kafka_security_protocol == "PLAINTEXT"
    options = kafka_access(_settings(), EXTERNAL).client_options()
    assert options == {"bootstrap_servers": "b1.example:9093,b2.example:9093", "security_protocol": "PLAINTEXT"}
    assert kafka_access(_settings(), EXTERNAL).faust_credentials() is None
    embedded = kafka_access(Settings(_env_file=None), "kafka://127.0.0.1:9092")  # type: ignore[call-arg]
    assert embedded.client_options()["security_protocol"] == "PLAINTEXT"


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"])
def test_sasl_over_tls_for_aiokafka_and_faust_alike(mechanism: str) -> None:
    access = kafka_access(_settings(kafka_security_protocol="SASL_SSL", kafka_sasl_mechanism=mechanism,
                                    kafka_sasl_username="minqing", kafka_sasl_password="s3cret"), EXTERNAL)
    options = access.client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == mechanism
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("minqing", "s3cret")
    assert isinstance(options["ssl_context"], ssl.SSLContext) and options["ssl_context"].check_hostname

    credentials = access.faust_credentials()
    assert isinstance(credentials, faust.SASLCredentials)
    faust_options = credentials_to_aiokafka_auth(credentials)  # what faust hands its aiokafka clients
    assert faust_options["security_protocol"] == "SASL_SSL"
    assert faust_options["sasl_mechanism"] == mechanism
    assert faust_options["sasl_plain_username"] == "minqing" and faust_options["sasl_plain_password"] == "s3cret"
    assert faust_options["ssl_context"].verify_mode == ssl.CERT_REQUIRED


def test_sasl_without_tls_is_possible_on_a_trusted_network() -> None:
    access = kafka_access(_settings(kafka_security_protocol="SASL_PLAINTEXT", kafka_sasl_mechanism="SCRAM-SHA-256",
                                    kafka_sasl_username="u", kafka_sasl_password="p"), EXTERNAL)
    assert "ssl_context" not in access.client_options()
    assert credentials_to_aiokafka_auth(access.faust_credentials())["security_protocol"] == "SASL_PLAINTEXT"


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=minqing",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_mutual_tls_with_a_private_ca(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    access = kafka_access(_settings(kafka_security_protocol="SSL", kafka_ssl_cafile=cert, kafka_ssl_certfile=cert,
                                    kafka_ssl_keyfile=key), EXTERNAL)
    context = access.client_options()["ssl_context"]
    assert any(ca["subject"] == ((("commonName", "minqing"),),) for ca in context.get_ca_certs())
    credentials = access.faust_credentials()
    assert isinstance(credentials, faust.SSLCredentials)
    assert credentials_to_aiokafka_auth(credentials)["security_protocol"] == "SSL"


@pytest.mark.parametrize("values, complaint", [
    ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_mechanism": "SCRAM-SHA-512", "kafka_sasl_username": "u"},
     "MINQING_KAFKA_SASL_PASSWORD"),
    ({"kafka_sasl_mechanism": "PLAIN", "kafka_sasl_username": "u", "kafka_sasl_password": "p"}, "SASL_SSL"),
    ({"kafka_security_protocol": "SSL", "kafka_ssl_keyfile": "/k.pem"}, "MINQING_KAFKA_SSL_CERTFILE"),
    ({"kafka_security_protocol": "SASL_SSL", "kafka_sasl_mechanism": "GSSAPI", "kafka_sasl_username": "u",
      "kafka_sasl_password": "p"}, "kafka_sasl_mechanism"),
])
def test_incomplete_security_settings_are_refused_at_start(values: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        _settings(**values)


def test_security_without_an_external_broker_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs MINQING_KAFKA_URL"):
        Settings(_env_file=None, kafka_security_protocol="SSL")  # type: ignore[call-arg]


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINQING_KAFKA_URL", EXTERNAL)
    monkeypatch.setenv("MINQING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("MINQING_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
    monkeypatch.setenv("MINQING_KAFKA_SASL_USERNAME", "minqing")
    monkeypatch.setenv("MINQING_KAFKA_SASL_PASSWORD", "from-a-secret")
    settings = Settings()
    assert "from-a-secret" not in repr(settings)  # a secret never reaches a log through repr
    assert kafka_access(settings, EXTERNAL).client_options()["sasl_plain_password"] == "from-a-secret"
