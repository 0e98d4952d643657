"""The developer's machine: `PORT=8001 make run`, mail to files, the broker under var/."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import environ
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _settings_value(name: str, **env) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")} | env
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_site_url_follows_port():
    assert _settings_value("SITE_URL", PORT="8001") == "http://127.0.0.1:8001"
    assert _settings_value("SITE_URL") == "http://127.0.0.1:8000"
    assert _settings_value("SITE_URL", PORT="8001", SITE_URL="https://lb.region.se") == "https://lb.region.se"


def test_make_run_passes_port_on():
    makefile = (ROOT / "Makefile").read_text()
    # `PORT=8001 make run` and `make run PORT=8001` both reach run-dev.sh and the settings.
    assert "PORT ?= 8000" in makefile
    assert "export PORT" in makefile
    make = shutil.which("make")
    out = subprocess.run([make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "./scripts/run-dev.sh" in out


def test_run_dev_serves_on_port(tmp_path):
    """run-dev.sh with stand-ins for python and celery: runserver gets 127.0.0.1:$PORT."""
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "run-dev.sh"
    script.write_text((ROOT / "scripts" / "run-dev.sh").read_text())
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "celery"):
        stub = bin_dir / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "$(dirname "$0")/calls"\n')
        stub.chmod(0o755)
    subprocess.run(
        [str(script)], env={**os.environ, "PORT": "8001"}, capture_output=True, text=True, timeout=30, start_new_session=True
    )
    calls = (bin_dir / "calls").read_text()
    assert "python manage.py runserver 127.0.0.1:8001" in calls
    assert (tmp_path / "var" / "broker-control").is_dir()


def test_filemail_paths_as_the_readme_says():
    # Three slashes: a path relative to the project folder; four: an absolute path.
    assert environ.Env.email_url_config("filemail:///var/mail")["EMAIL_FILE_PATH"] == "var/mail"
    assert environ.Env.email_url_config("filemail:////tmp/lb-mail")["EMAIL_FILE_PATH"] == "/tmp/lb-mail"  # noqa: S108 - only parsed, never written
    readme = (ROOT / "README.md").read_text()
    assert "EMAIL_URL=filemail:///var/mail" in readme
    assert "filemail:////tmp/lb-mail" in readme


def test_broker_control_folder_is_under_var():
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    if settings.CELERY_BROKER_URL.startswith("filesystem"):
        assert Path(options["control_folder"]).is_relative_to(ROOT / "var")
    assert not (ROOT / "control").exists()
