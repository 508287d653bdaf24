"""The schedule: what the service does on a clock, on working days of the office's calendar.

cadence.py says when each job is due and for which period; ledger.py lets one process claim a
(job, period) so a run happens once; runner.py runs one job through the ledger; scheduler.py
fires them from APScheduler in the service; jobs/ holds the digest, the reminders, the weekly
export, the periodic reports and the backup; notify.py mails notices (or logs them).
"""

#: The jobs' stable ids (the run ledger and APScheduler key on them), in the order they run.
JOB_IDS = ("digest", "reminders", "weekly_export", "monthly_report", "backup")
