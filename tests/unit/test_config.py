from __future__ import annotations

from pathlib import Path

import pytest

from daemon.config import ConfigError, find_config, load, read_secret

TEMPLATE = Path(__file__).resolve().parents[2] / "daemon" / "template.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vanthu.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_template_loads_with_relative_paths_resolved(tmp_path: Path) -> None:
    settings = load(write(tmp_path, TEMPLATE.read_text(encoding="utf-8")))
    assert settings.paths.inbox == tmp_path / "inbox"
    assert settings.paths.spool == tmp_path / "var" / "spool"
    assert settings.scanner.settle_seconds == 3.0
    assert settings.mailbox is None
    assert settings.database_url() == f"sqlite:///{tmp_path}/var/vanthu.db"


def test_an_empty_file_gives_every_default(tmp_path: Path) -> None:
    settings = load(write(tmp_path, ""))
    assert settings.scanner.ignore[0] == "*.part"
    assert settings.reading.language == "vie"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scanner]\nsettle_seconds = 'abc'\n", "[scanner] settle_seconds: must be a number"),
        ("[scanner]\nsettle_secs = 3\n", "[scanner] settle_secs: unknown key"),
        ("[scanner]\nafter_staging = 'shred'\n", "[scanner] after_staging: must be one of"),
        ("[reading]\nworkers = -1\n", "[reading] workers: must not be negative"),
        ("[reading]\nmax_pages = 0\n", "[reading] max_pages: must be greater than 0"),
        ("[scaner]\n", "unknown table [scaner]"),
        ("[scanner\n", "not valid TOML"),
        ("[mailbox]\nhost = 'mail'\nusername = 'u'\n", "[mailbox] password_file: one of"),
        ("[mailbox]\nusername = 'u'\npassword_env = 'P'\n", "[mailbox] host: required"),
        (
            "[mailbox]\nhost = 'mail.x.gov.vn'\nsecurity = 'none'\nusername = 'u'\n"
            "password_env = 'P'\n",
            '[mailbox] security: "none" sends the password in plain text',
        ),
        (
            "[database]\nurl = 'postgresql+psycopg://vanthu:secret@db/vanthu'\n",
            "[database] url: the password is written in the URL",
        ),
        ("[smtp]\nhost = 'mail'\n", "[smtp] from_address: required"),
        (
            "[smtp]\nhost = 'mail.x.gov.vn'\nfrom_address = 'a@x.gov.vn'\nsecurity = 'none'\n",
            '[smtp] security: "none" sends in plain text',
        ),
        (
            "[smtp]\nhost = 'm'\nfrom_address = 'a@x'\nusername = 'a'\n",
            "[smtp] password_file: one of",
        ),
        ("[signing]\nreason = 'x'\n", "[signing] pkcs12_file: give either"),
        ("[signing]\npkcs11_library = '/l.so'\n", "[signing] pkcs11_token_label: required"),
        (
            "[signing]\npkcs11_library = '/l.so'\npkcs11_token_label = 'T'\npkcs11_key_id = '1'\n",
            "[signing] pin_file: one of",
        ),
    ],
)
def test_errors_name_the_key_and_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, text))
    assert message in str(caught.value)
    assert str(tmp_path / "vanthu.toml") in str(caught.value)


def test_config_is_found_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "")
    monkeypatch.setenv("VANTHU_CONFIG", str(path))
    assert find_config(None) == path
    with pytest.raises(ConfigError, match="no such configuration file"):
        find_config(tmp_path / "missing.toml")


def test_secrets_come_from_files_env_or_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    assert read_secret("db", secret, None, None) == "s3cret"
    monkeypatch.setenv("PW", "from-env")
    assert read_secret("db", None, "PW", None) == "from-env"
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    assert read_secret("mail", None, None, "pw") == "s3cret"
    with pytest.raises(ConfigError, match="MISSING is not set"):
        read_secret("db", None, "MISSING", None)


def test_postgres_password_is_filled_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "pw").write_text("p@ss")
    settings = load(
        write(
            tmp_path,
            "[database]\nurl = 'postgresql+psycopg://vanthu@db/vanthu'\npassword_file = 'pw'\n",
        )
    )
    assert settings.database_url() == "postgresql+psycopg://vanthu:p%40ss@db/vanthu"
