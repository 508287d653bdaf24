"""The service's clock: APScheduler 3.x (`AsyncIOScheduler`) on an event loop of its own thread.

The schedule is code: each job of `jobs.JOBS` is added under its stable id with
`replace_existing=True`, a cron trigger at its [schedule] time in the schedule's zone, and an
in-memory job store (nothing pickled, nothing to migrate). `coalesce=True` and a generous
`misfire_grace_time` make a run the process missed (asleep, busy) happen once, late, rather
than not at all or once per missed slot. Correctness does not rest on APScheduler though: every
fire goes through the run ledger (runner.run_job), which names the period the moment stands
for and lets one process claim it, so several `vanthu run` on one PostgreSQL do it once.

On start, every job is also fired once (the catch-up): a job whose latest period has no
ledger row runs now, e.g. this morning's digest when the service starts at 09:00, or Monday's
after a weekend off. Jobs are plain functions run in the loop's thread pool, so a slow backup
never holds the loop; stopping waits for a run in hand to end, so its ledger row is finished.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.orm import Session, sessionmaker

from daemon.config import Settings
from daemon.logs import event
from daemon.register import clock
from daemon.register.audit import default_actor
from daemon.schedule.context import Context
from daemon.schedule.runner import RunOutcome, run_job
from daemon.work.triage import describe

log = logging.getLogger("vanthu.schedule")

MISFIRE_GRACE_SECONDS = 6 * 3600  # a fire up to 6 h late still runs (once); later: catch-up
_START_TIMEOUT = 30.0


class Scheduler:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.context = Context.of(settings)
        self.owner = default_actor()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduler: AsyncIOScheduler | None = None
        self._ready = threading.Event()
        self.catch_up_done: Future[list[RunOutcome]] = Future()

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="vanthu-schedule", daemon=True)
        self._thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            raise RuntimeError("the schedule's event loop did not start")

    def stop(self, timeout: float = 600.0) -> None:
        """Stop firing; wait (up to `timeout`) for a run in hand to finish."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        event(log, "schedule-stopped")

    def job_ids(self) -> list[str]:
        scheduler = self._scheduler
        return [job.id for job in scheduler.get_jobs()] if scheduler is not None else []

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._begin())
            loop.run_forever()
        finally:
            if self._scheduler is not None and self._scheduler.running:
                self._scheduler.shutdown(wait=False)
                loop.run_until_complete(asyncio.sleep(0))  # let the shutdown run in the loop
            loop.run_until_complete(loop.shutdown_default_executor())  # runs in hand end
            loop.close()

    async def _begin(self) -> None:
        tz = self.context.tz
        scheduler = AsyncIOScheduler(
            timezone=tz,
            job_defaults={
                "coalesce": True,
                "misfire_grace_time": MISFIRE_GRACE_SECONDS,
                "max_instances": 1,
            },
        )
        for job, cadence in self.context.cadences.items():
            trigger = CronTrigger(
                day_of_week=cadence.cron_days,
                hour=cadence.at.hour,
                minute=cadence.at.minute,
                timezone=tz,
            )
            scheduler.add_job(
                self.fire, trigger, args=[job], id=job, name=job, replace_existing=True
            )
        scheduler.start()
        self._scheduler = scheduler
        event(log, "schedule-started", jobs=",".join(self.context.cadences), timezone=tz)
        self._ready.set()
        catch_up = asyncio.get_running_loop().run_in_executor(None, self.catch_up)
        catch_up.add_done_callback(self._caught_up)

    def _caught_up(self, done: asyncio.Future[list[RunOutcome]]) -> None:
        if done.cancelled():
            self.catch_up_done.cancel()
        elif done.exception() is not None:
            self.catch_up_done.set_exception(done.exception())
        else:
            self.catch_up_done.set_result(done.result())

    # -- runs -----------------------------------------------------------------------------------

    def catch_up(self) -> list[RunOutcome]:
        """Fire every job once, in order: those whose latest period is not in the ledger run."""
        outcomes = [o for job in self.context.cadences if (o := self.fire(job)) is not None]
        ran = [f"{o.job}:{o.period}" for o in outcomes if o.state != "refused"]
        event(log, "schedule-caught-up", ran=len(ran), runs=",".join(ran) or "-")
        return outcomes

    def fire(self, job: str) -> RunOutcome | None:
        """A trigger went off (or the catch-up): run the job for the period of this moment.
        Never raises: the service must outlive any job."""
        try:
            outcome = run_job(
                self.sessions,
                self.settings,
                job,
                clock.now(),
                owner=self.owner,
                context=self.context,
            )
        except Exception as exc:  # noqa: BLE001 - the database away, a broken rules file
            event(log, "schedule-error", logging.ERROR, job=job, error=describe(exc))
            return None
        if outcome.state == "refused":
            event(log, "schedule-skip", logging.DEBUG, job=job, reason=outcome.detail)
        return outcome
