"""How every Kafka client of Minqing reaches the broker: servers, TLS and SASL.

One translation of the settings, used by the faust worker (`broker_credentials`), the outbox
relay and producers (aiokafka), and the admin clients (topic creation, health, lag), so none
of them can be left on plaintext while the others use TLS.
"""
from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any

from infra.settings import Settings, kafka_bootstrap_servers


@dataclass(frozen=True)
class KafkaAccess:
    bootstrap_servers: str
    security_protocol: str = "PLAINTEXT"  # PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
    sasl_mechanism: str | None = None  # PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
    username: str | None = None
    password: str | None = None
    cafile: str | None = None
    certfile: str | None = None
    keyfile: str | None = None
    check_hostname: bool = True

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")

    def ssl_context(self) -> ssl.SSLContext | None:
        """The system's CAs (or `cafile`), hostname checked; a client certificate when given."""
        if not self.uses_tls:
            return None
        context = ssl.create_default_context(cafile=self.cafile)
        context.check_hostname = self.check_hostname
        if self.certfile:
            context.load_cert_chain(self.certfile, self.keyfile)
        return context

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for AIOKafkaProducer, AIOKafkaConsumer and AIOKafkaAdminClient."""
        options: dict[str, Any] = {"bootstrap_servers": self.bootstrap_servers,
                                   "security_protocol": self.security_protocol}
        if self.uses_tls:
            options["ssl_context"] = self.ssl_context()
        if self.uses_sasl:
            options.update(sasl_mechanism=self.sasl_mechanism, sasl_plain_username=self.username,
                           sasl_plain_password=self.password)
        return options

    def faust_credentials(self) -> Any:
        """faust's `broker_credentials` (None: plaintext)."""
        import faust  # the worker's dependency; only it asks

        if self.uses_sasl:
            return faust.SASLCredentials(username=self.username, password=self.password,
                                         ssl_context=self.ssl_context(), mechanism=self.sasl_mechanism)
        if self.uses_tls:
            return faust.SSLCredentials(self.ssl_context())
        return None


def kafka_access(settings: Settings, kafka_url: str) -> KafkaAccess:
    """The access for `kafka_url` (the configured one or the embedded broker's)."""
    if settings.kafka_url is None:  # the embedded broker: plaintext on loopback
        return KafkaAccess(kafka_bootstrap_servers(kafka_url))
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None
    return KafkaAccess(
        bootstrap_servers=kafka_bootstrap_servers(kafka_url),
        security_protocol=settings.kafka_security_protocol,
        sasl_mechanism=settings.kafka_sasl_mechanism,
        username=settings.kafka_sasl_username,
        password=password,
        cafile=str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None,
        certfile=str(settings.kafka_ssl_certfile) if settings.kafka_ssl_certfile else None,
        keyfile=str(settings.kafka_ssl_keyfile) if settings.kafka_ssl_keyfile else None,
        check_hostname=settings.kafka_ssl_check_hostname,
    )
