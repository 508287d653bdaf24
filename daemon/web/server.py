"""Serving the desk from `vanthu run`: uvicorn on its own thread and event loop.

The service's work (sources, the job loop) runs on other threads and processes, so a slow or
stalled browser never holds up ingestion; the page's queries run on the server's thread pool.
A port already taken is logged and the service goes on without its desk.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from daemon.config import Settings
from daemon.logs import event

log = logging.getLogger("vanthu.web")


class WebServer:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        from daemon.web.app import build_app

        self.app = build_app(settings, sessions)
        host, port = settings.web.host_port
        config = uvicorn.Config(
            self.app,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            proxy_headers=True,  # behind nginx: the client's address for the login limit
            forwarded_allow_ips="127.0.0.1",
            server_header=False,
            timeout_keep_alive=5,
            limit_concurrency=200,
        )
        self.server = uvicorn.Server(config)
        self.where = f"http://{settings.web.listen}"
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name="web", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            asyncio.run(self.server.serve())
        except (OSError, SystemExit) as exc:  # uvicorn exits when it cannot bind
            event(log, "web-error", logging.ERROR, listen=self.where, error=str(exc))
            return
        if not self.server.started:
            event(log, "web-error", logging.ERROR, listen=self.where, error="could not start")

    @property
    def started(self) -> bool:
        return bool(self.server.started)

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.app.state.desk.renderer.close()
