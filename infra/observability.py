"""The start of every long-running Minqing process (worker, api, notify): its logs and where
its metrics go. Called by the CLI before anything counts or logs."""
from __future__ import annotations

import logging
import sys

from infra.logs import configure_logging, wants_json
from infra.scrape import serve_process_metrics, share_directory
from infra.settings import Settings

log = logging.getLogger(__name__)


def start_process(settings: Settings, component: str, loglevel: str = "INFO", *,
                  own_metrics_port: bool = True) -> bool:
    """Returns whether logs are JSON lines (then library banners are kept quiet)."""
    if settings.metrics_dir is not None:
        share_directory(settings.metrics_dir.resolve())
    configure_logging(component, log_format=settings.log_format, level=loglevel)
    if own_metrics_port and settings.metrics_port is not None:
        serve_process_metrics(settings.metrics_host, settings.metrics_port, settings.metrics_dir)
        log.info("%s metrics at http://%s:%d/metrics", component, settings.metrics_host, settings.metrics_port)
    return wants_json(settings.log_format, sys.stderr)
