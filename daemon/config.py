"""One TOML file -> one frozen, validated settings tree.

Every table of `vanthu.toml` maps to a frozen dataclass below; the loader checks each key's
type and range and names the key in its error (`[scanner] settle_seconds: must be >= 0`).
Relative paths resolve against the folder of the file. Secrets are never inline: each one is
read from a file, an environment variable, or a systemd credential (`$CREDENTIALS_DIRECTORY`).
"""

from __future__ import annotations

import os
import tomllib
import types
import typing
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from daemon.errors import PermanentError

CONFIG_ENV = "VANTHU_CONFIG"


class ConfigError(PermanentError):
    """The configuration is missing or wrong; the message names the file, key and problem."""


@dataclass(frozen=True)
class PathsSettings:
    inbox: Path = Path("inbox")  # the scanner drop folder (watched recursively)
    outbox: Path = Path("outbox")  # signed outgoing documents to issue (phát hành)
    sent: Path = Path("sent")  # outgoing documents are moved here (by day) once staged
    archive: Path = Path("archive")  # registered originals, content-addressed, read-only
    processed: Path = Path("processed")  # scans moved here once staged
    failed: Path = Path("failed")  # unreadable files, each with NAME.error.txt
    quarantine: Path = Path("quarantine")  # secret documents and complaint letters (0600)
    spool: Path = Path("var/spool")  # staged bytes waiting for a worker (service-private)
    exports: Path = Path("exports")  # reports, printed registers, weekly register exports


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = "sqlite:///var/vanthu.db"
    password_file: Path | None = None  # PostgreSQL password, kept out of the URL
    password_env: str | None = None


@dataclass(frozen=True)
class ScannerSettings:
    enabled: bool = True
    settle_seconds: float = 3.0  # a file is taken once size and mtime are unchanged this long
    polling: bool = False  # True for SMB/NFS shares, where inotify sees no remote writes
    poll_interval: float = 2.0
    after_staging: Literal["move", "delete"] = "move"  # what happens to the dropped original
    ignore: tuple[str, ...] = ("*.part", "*.tmp", "~$*", ".*", "Thumbs.db", "desktop.ini")


@dataclass(frozen=True)
class ReadingSettings:
    workers: int = 0  # reading processes; 0 = the CPUs this process may use
    language: str = "vie"
    ocr_timeout: float = 180.0  # seconds for one Tesseract call
    ocr_dpi: int = 300  # resolution at which PDF scans are rendered for OCR
    max_file_mb: float = 100.0
    max_pages: int = 300
    max_image_pixels: int = 120_000_000  # per page; larger images are refused (decompression bombs)
    # Address space of each reading process, in MB; 0 = from the machine: 60% of its memory
    # (or of the service's cgroup limit) shared by the workers, between 1 and 4 GB.
    max_memory_mb: int = 0
    review_threshold: float = 0.6  # key fields below this confidence -> status needs_review


@dataclass(frozen=True)
class RegisterSettings:
    timezone: str = "Asia/Ho_Chi_Minh"
    default_due_days: int = 0  # working days to answer when the rules name none; 0 = no due date


@dataclass(frozen=True)
class RulesSettings:
    dir: Path = Path("rules")


@dataclass(frozen=True)
class ServiceSettings:
    job_lease_seconds: float = 600.0  # a claimed job not finished in this time is retried
    max_attempts: int = 5  # attempts before a job is failed for good
    retry_base_seconds: float = 30.0  # first retry delay; doubles each attempt

    def retry_delay(self, attempts: int) -> float:
        """Seconds to wait before the next attempt, after `attempts` tries (at most an hour)."""
        return min(3600.0, self.retry_base_seconds * 2 ** min(max(attempts - 1, 0), 30))


@dataclass(frozen=True)
class MailboxSettings:
    host: str = ""
    port: int = 993
    security: Literal["tls", "starttls", "none"] = "tls"
    username: str = ""
    password_file: Path | None = None
    password_env: str | None = None
    password_credential: str | None = None  # name under $CREDENTIALS_DIRECTORY (systemd)
    oauth2_token_command: str | None = None  # XOAUTH2: prints an access token on stdout
    folder: str = "INBOX"
    processed_folder: str = "Đã xử lý"
    failed_keyword: str = "$VanthuFailed"
    ca_file: Path | None = None  # extra CA for the server certificate (self-hosted mail)
    idle_seconds: float = 300.0  # IDLE is re-issued after this long
    poll_seconds: float = 60.0  # interval when the server has no IDLE
    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    max_message_mb: float = 50.0
    max_attachment_mb: float = 40.0
    min_image_bytes: int = 20_000  # smaller inline images (logos, signatures) are ignored


@dataclass(frozen=True)
class TrustSettings:
    roots_dir: Path = Path("trust")  # PEM root certificates trusted for document signatures


@dataclass(frozen=True)
class SmtpSettings:
    """The official mailbox's outgoing server, for dispatch (and later reminders)."""

    host: str = ""
    port: int = 587
    security: Literal["starttls", "tls", "none"] = "starttls"  # "none" only on loopback
    username: str = ""  # empty: no AUTH
    password_file: Path | None = None
    password_env: str | None = None
    password_credential: str | None = None  # name under $CREDENTIALS_DIRECTORY (systemd)
    from_address: str = ""  # the hộp thư điện tử công vụ, e.g. vanthu@khanhson.khanhhoa.gov.vn
    from_name: str = ""  # shown as the sender, e.g. "Văn thư UBND huyện Khánh Sơn"
    ca_file: Path | None = None  # extra CA for the server certificate (self-hosted mail)
    timeout: float = 60.0  # seconds for connecting and for each reply


@dataclass(frozen=True)
class SigningSettings:
    """The agency's own certificate (ký số của cơ quan): a PKCS#12 file or a PKCS#11 token."""

    pkcs12_file: Path | None = None
    passphrase_file: Path | None = None
    passphrase_env: str | None = None
    passphrase_credential: str | None = None
    pkcs11_library: Path | None = None  # e.g. /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so
    pkcs11_token_label: str = ""
    pkcs11_key_id: str = ""  # hex, e.g. "01" (tokens label keys and certificates differently)
    pkcs11_key_label: str = ""
    pkcs11_cert_file: Path | None = None  # the certificate, when it is not on the token
    pin_file: Path | None = None
    pin_env: str | None = None
    pin_credential: str | None = None
    stamp_font: Path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    reason: str = "Phát hành văn bản"
    location: str = ""


@dataclass(frozen=True)
class DispatchSettings:
    """Outgoing documents (văn bản đi): the outbox, signatures, delivery."""

    enabled: bool = True  # watch the outbox
    require_signature: bool = True  # a valid, trusted signature covering the document
    retry_first_seconds: float = 300.0  # a deferred delivery is tried again after this, doubling
    retry_for_days: float = 5.0  # then it is failed and the clerk alerted (as mail servers do)


@dataclass(frozen=True)
class WebSettings:
    """The clerk's desk, served by the service (put nginx with TLS in front for the LAN)."""

    enabled: bool = True
    listen: str = "127.0.0.1:8040"  # host:port
    secret_file: Path = Path("var/web-secret")  # signs session cookies; made at first start
    idle_minutes: float = 30.0  # a session unused this long ends
    secure_cookies: bool = False  # true once it is served over HTTPS (cookies only over TLS)
    page_cache: Path = Path("var/pages")  # first pages rendered as PNG, by SHA-256

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]"), int(port)


@dataclass(frozen=True)
class ScheduleSettings:
    """The service's clock (daemon/schedule): the digest, reminders, exports, reports, backups."""

    enabled: bool = True  # run the schedule inside `vanthu run`
    timezone: str = ""  # the schedule's clock; empty: [register] timezone
    digest_at: str = "07:30"  # each working morning: the digest to digest_to
    digest_to: tuple[str, ...] = ()  # the clerk and the leaders; empty: the log only
    reminders_at: str = "07:30"  # each working morning: reminders of due and overdue entries
    clerk_to: tuple[str, ...] = ()  # the clerk's copy of reminders; empty: [smtp] from_address
    exports_at: str = "07:00"  # Monday's weekly export; the monthly report on a month's 1st day
    backup_every: Literal["day", "week"] = "day"  # nightly, or each backup_day
    backup_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "sun"
    backup_at: str = "02:00"
    backup_dir: Path = Path("backups")
    keep_daily: int = 7  # the newest N nightly backups are kept
    keep_weekly: int = 8  # and the newest backup of each of the newest N weeks (old: keep_backups)
    keep_manual_backups: int = 4  # the newest N taken by `vanthu backup now`, counted apart

    def zone(self, register: RegisterSettings) -> str:
        return self.timezone or register.timezone


@dataclass(frozen=True)
class Settings:
    config_file: Path
    base_dir: Path
    paths: PathsSettings = field(default_factory=PathsSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    register: RegisterSettings = field(default_factory=RegisterSettings)
    rules: RulesSettings = field(default_factory=RulesSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    trust: TrustSettings = field(default_factory=TrustSettings)
    mailbox: MailboxSettings | None = None  # no [mailbox] table: the mailbox source is off
    smtp: SmtpSettings | None = None  # no [smtp] table: deliveries wait as queued
    signing: SigningSettings | None = None  # no [signing] table: no agency signature
    dispatch: DispatchSettings = field(default_factory=DispatchSettings)
    web: WebSettings = field(default_factory=WebSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)

    def database_url(self) -> str:
        """The SQLAlchemy URL with relative SQLite paths resolved and the password filled in."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database.url)
        if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
            url = url.set(database=str(self.base_dir / url.database))
        password = read_secret(
            "database", self.database.password_file, self.database.password_env, None
        )
        if password is not None:
            url = url.set(password=password)
        return url.render_as_string(hide_password=False)


_TABLES: dict[str, type] = {
    "paths": PathsSettings,
    "database": DatabaseSettings,
    "scanner": ScannerSettings,
    "reading": ReadingSettings,
    "register": RegisterSettings,
    "rules": RulesSettings,
    "service": ServiceSettings,
    "trust": TrustSettings,
    "mailbox": MailboxSettings,
    "smtp": SmtpSettings,
    "signing": SigningSettings,
    "dispatch": DispatchSettings,
    "web": WebSettings,
    "schedule": ScheduleSettings,
}
_OPTIONAL = ("mailbox", "smtp", "signing")  # absent table: that part is off

_POSITIVE = {
    "timeout",
    "retry_first_seconds",
    "retry_for_days",
    "poll_interval",
    "ocr_timeout",
    "ocr_dpi",
    "max_file_mb",
    "max_pages",
    "max_image_pixels",
    "job_lease_seconds",
    "max_attempts",
    "retry_base_seconds",
    "port",
    "idle_seconds",
    "poll_seconds",
    "connect_timeout",
    "read_timeout",
    "max_message_mb",
    "max_attachment_mb",
    "idle_minutes",
}


def find_config(explicit: str | os.PathLike[str] | None) -> Path:
    """The config file from `--config`, else `$VANTHU_CONFIG`, else ./vanthu.toml."""
    chosen = explicit or os.environ.get(CONFIG_ENV) or "vanthu.toml"
    path = Path(chosen).expanduser()
    if not path.is_file():
        raise ConfigError(
            f"{path}: no such configuration file (use --config FILE, set {CONFIG_ENV}, "
            "or create one with `vanthu init DIR`)"
        )
    return path.resolve()


def load(path: Path) -> Settings:
    """Read, validate and resolve one `vanthu.toml`."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    base = path.parent.resolve()
    unknown = sorted(set(raw) - set(_TABLES))
    if unknown:
        raise ConfigError(f"{path}: unknown table [{unknown[0]}] (known: {', '.join(_TABLES)})")
    built: dict[str, Any] = {}
    for name, cls in _TABLES.items():
        if name not in raw and name in _OPTIONAL:
            continue
        table = raw.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{name}] must be a table")
        if name == "schedule":
            table = _schedule_old_names(table, path)
        built[name] = _build(cls, table, f"{path}: [{name}]", base)
    _check_database(built["database"], path)
    if "mailbox" in built:
        _check_mailbox(built["mailbox"], path)
    if "smtp" in built:
        _check_smtp(built["smtp"], path)
    if "signing" in built:
        _check_signing(built["signing"], path)
    _check_web(built["web"], path)
    _check_schedule(built["schedule"], path)
    return Settings(config_file=path, base_dir=base, **built)


def _build(cls: type, table: dict[str, Any], where: str, base: Path) -> Any:
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    for key in table:
        if key not in known:
            raise ConfigError(f"{where} {key}: unknown key (known: {', '.join(known)})")
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name in table:
            values[name] = _coerce(table[name], hints[name], f"{where} {name}")
            if name in _POSITIVE and values[name] <= 0:
                raise ConfigError(f"{where} {name}: must be greater than 0, got {table[name]!r}")
            if isinstance(values[name], (int, float)) and values[name] < 0:
                raise ConfigError(f"{where} {name}: must not be negative, got {table[name]!r}")
        elif f.default is not MISSING:
            values[name] = f.default
        if isinstance(values.get(name), Path):
            values[name] = (base / values[name].expanduser()).resolve()
    return cls(**values)


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _coerce(value, options[0], where)
    if origin is Literal:
        allowed = typing.get_args(hint)
        if value not in allowed:
            raise ConfigError(
                f"{where}: must be one of {', '.join(map(repr, allowed))}, got {value!r}"
            )
        return value
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: must be a list of strings")
        return tuple(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: must be true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: must be a whole number, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: must be a number, got {value!r}")
        return float(value)
    if hint is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: must be a path string, got {value!r}")
        return Path(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: must be a string, got {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported setting type {hint!r}")  # pragma: no cover


def _check_web(web: WebSettings, path: Path) -> None:
    host, _, port = web.listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"{path}: [web] listen: must be HOST:PORT, got {web.listen!r}")


def _check_schedule(schedule: ScheduleSettings, path: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    for key in ("digest_at", "reminders_at", "exports_at", "backup_at"):
        value = getattr(schedule, key)
        try:
            dt.time.fromisoformat(value)
        except ValueError:
            raise ConfigError(
                f'{path}: [schedule] {key}: not a time like "07:30": {value!r}'
            ) from None
    if schedule.timezone:
        try:
            ZoneInfo(schedule.timezone)
        except (KeyError, ValueError):
            raise ConfigError(
                f"{path}: [schedule] timezone: unknown time zone {schedule.timezone!r}"
            ) from None
    for key in ("keep_daily", "keep_weekly", "keep_manual_backups"):
        if getattr(schedule, key) < 1:
            raise ConfigError(f"{path}: [schedule] {key}: must be at least 1")


def _schedule_old_names(table: dict[str, Any], path: Path) -> dict[str, Any]:
    """keep_backups, from when backups were weekly only, is keep_weekly's old name: an upgraded
    office's vanthu.toml loads and means the same."""
    if "keep_backups" not in table:
        return table
    if "keep_weekly" in table:
        raise ConfigError(
            f"{path}: [schedule] keep_backups and keep_weekly: give only keep_weekly "
            "(keep_backups is its old name)"
        )
    old = table["keep_backups"]
    if isinstance(old, int) and not isinstance(old, bool) and old < 1:
        raise ConfigError(f"{path}: [schedule] keep_backups: must be at least 1")
    renamed = {key: value for key, value in table.items() if key != "keep_backups"}
    renamed["keep_weekly"] = old
    return renamed


def _check_database(database: DatabaseSettings, path: Path) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(database.url)
    except ArgumentError as exc:
        raise ConfigError(f"{path}: [database] url: not a database URL: {exc}") from exc
    if url.password:
        raise ConfigError(
            f"{path}: [database] url: the password is written in the URL; put it in "
            "password_file or password_env (the URL is shown in logs and by `vanthu doctor`)"
        )


def _check_mailbox(mailbox: MailboxSettings, path: Path) -> None:
    if mailbox.security == "none" and not is_loopback(mailbox.host):
        raise ConfigError(
            f'{path}: [mailbox] security: "none" sends the password in plain text; it is '
            f'only allowed to a loopback address, not {mailbox.host!r} (use "tls")'
        )
    if not mailbox.host:
        raise ConfigError(f"{path}: [mailbox] host: required when [mailbox] is present")
    if not mailbox.username:
        raise ConfigError(f"{path}: [mailbox] username: required when [mailbox] is present")
    sources = [
        mailbox.password_file,
        mailbox.password_env,
        mailbox.password_credential,
        mailbox.oauth2_token_command,
    ]
    if not any(sources):
        raise ConfigError(
            f"{path}: [mailbox] password_file: one of password_file, password_env, "
            "password_credential or oauth2_token_command is required (never inline)"
        )


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_smtp(smtp: SmtpSettings, path: Path) -> None:
    for key in ("host", "from_address"):
        if not getattr(smtp, key):
            raise ConfigError(f"{path}: [smtp] {key}: required when [smtp] is present")
    if smtp.security == "none" and not is_loopback(smtp.host):
        raise ConfigError(
            f'{path}: [smtp] security: "none" sends in plain text; it is only allowed to a '
            f'loopback address, not {smtp.host!r} (use "starttls" or "tls")'
        )
    secrets = (smtp.password_file, smtp.password_env, smtp.password_credential)
    if smtp.username and not any(secrets):
        raise ConfigError(
            f"{path}: [smtp] password_file: one of password_file, password_env or "
            "password_credential is required with a username (never inline)"
        )


def _check_signing(signing: SigningSettings, path: Path) -> None:
    if (signing.pkcs12_file is None) == (signing.pkcs11_library is None):
        raise ConfigError(
            f"{path}: [signing] pkcs12_file: give either pkcs12_file or pkcs11_library"
        )
    if signing.pkcs11_library is not None:
        if not signing.pkcs11_token_label:
            raise ConfigError(f"{path}: [signing] pkcs11_token_label: required with a token")
        if not (signing.pkcs11_key_id or signing.pkcs11_key_label):
            raise ConfigError(
                f"{path}: [signing] pkcs11_key_id: name the key by id (or pkcs11_key_label)"
            )
        if not (signing.pin_file or signing.pin_env or signing.pin_credential):
            raise ConfigError(
                f"{path}: [signing] pin_file: one of pin_file, pin_env or pin_credential is "
                "required (never inline)"
            )


def read_secret(
    what: str, file: Path | None, env: str | None, credential: str | None
) -> str | None:
    """A secret from a file, an environment variable or a systemd credential, first found wins."""
    if credential:
        cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
        if not cred_dir:
            raise ConfigError(
                f"{what}: credential {credential!r} named but $CREDENTIALS_DIRECTORY unset"
            )
        file = Path(cred_dir) / credential
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{what}: cannot read secret file {file}: {exc.strerror}") from exc
    if env:
        if env not in os.environ:
            raise ConfigError(f"{what}: environment variable {env} is not set")
        return os.environ[env]
    return None
