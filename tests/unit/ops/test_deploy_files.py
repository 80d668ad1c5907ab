"""deploy/ is checked offline: the compose file against the Compose specification (bundled in
check-jsonschema), the Kubernetes manifests against the Kubernetes API schemas (bundled in
kubernetes-validate), and both for what Minqing itself needs. None of it is started here."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from infra.settings import Settings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
KUBERNETES_VERSION = "1.33.0"
# Settings of `minqing notify` (CONTRACT "Notifications"), read by its own module.
NOTIFY_SETTINGS = {"MINQING_NOTIFY_WEBHOOK_URL", "MINQING_NOTIFY_WEBHOOK_SECRET", "MINQING_DINGTALK_WEBHOOK",
                   "MINQING_DINGTALK_SECRET", "MINQING_WECOM_WEBHOOK", "MINQING_SMTP_URL", "MINQING_SMS_PROVIDER"}
KNOWN = {f"MINQING_{name.upper()}" for name in Settings.model_fields} | NOTIFY_SETTINGS


def _manifests() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, doc) for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # type: ignore[no-any-return]


def _pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
        return doc["spec"]["template"]["spec"]  # type: ignore[no-any-return]
    return None


@pytest.mark.parametrize("name, doc", _manifests(), ids=lambda v: v if isinstance(v, str) else v["kind"])
def test_every_manifest_is_valid_kubernetes(name: str, doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_compose_file_follows_the_compose_specification() -> None:
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
                          str(DEPLOY / "compose.yaml")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_container_has_limits_and_every_service_a_probe() -> None:
    for name, doc in _manifests():
        spec = _pod_spec(doc)
        for container in (spec or {}).get("containers", []):
            assert container["resources"]["limits"], f"{name}: {container['name']} has no limits"
            if doc["kind"] != "Job":
                assert "livenessProbe" in container, f"{name}: {container['name']} has no liveness probe"
    api = next(doc for _, doc in _manifests() if doc["metadata"]["name"] == "minqing-api" and doc["kind"] == "Deployment")
    assert api["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["path"] == "/healthz"
    for service, definition in _compose()["services"].items():
        assert definition["deploy"]["resources"]["limits"] if "deploy" in definition else service == "migrate"


def _minqing_variables() -> set[str]:
    names = set()
    for _, doc in _manifests():
        names |= {key for key in doc.get("data", {}) | doc.get("stringData", {}) if key.startswith("MINQING_")}
        for container in (_pod_spec(doc) or {}).get("containers", []):
            names |= {env["name"] for env in container.get("env", []) if env["name"].startswith("MINQING_")}
    text = (DEPLOY / "compose.yaml").read_text() + (DEPLOY / "k8s" / "01-config.yaml").read_text()
    return names | set(re.findall(r"^\s*#?\s*(MINQING_[A-Z_]+):", text, re.MULTILINE))


def test_every_setting_named_in_deploy_is_one_minqing_reads() -> None:
    names = _minqing_variables()
    assert {"MINQING_KAFKA_URL", "MINQING_DATABASE_URL", "MINQING_KAFKA_SECURITY_PROTOCOL"} <= names
    assert names - KNOWN == set()


def test_the_compose_cluster_is_three_kraft_brokers_and_workers_fit_the_partitions() -> None:
    services = _compose()["services"]
    brokers = {name: s["environment"] for name, s in services.items() if name.startswith("kafka")}
    assert len(brokers) == 3 and len({env["KAFKA_NODE_ID"] for env in brokers.values()}) == 3
    for env in brokers.values():
        assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert all(f"@{name}:9093" in env["KAFKA_CONTROLLER_QUORUM_VOTERS"] for name in brokers)
    minqing = services["worker"]["environment"]
    assert minqing["MINQING_KAFKA_URL"] == "kafka://" + ",".join(f"{name}:9092" for name in sorted(brokers))
    assert int(minqing["MINQING_REPLICATION_FACTOR"]) <= len(brokers)
    assert services["worker"]["deploy"]["replicas"] <= int(minqing["MINQING_PARTITIONS"])
    assert {"worker", "notify", "api", "proxy", "postgres", "migrate"} <= set(services)
