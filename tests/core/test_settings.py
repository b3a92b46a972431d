"""Production settings: fail loudly without secrets, and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7Qx!v2#pL9zR4m@W8nE1tY6uI3oP0aS5dF-gH_jK+lZ=xC&vB"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "DOORSTROOM_ENV",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update(env)
    return subprocess.run(  # noqa: S603  (our own manage.py, fixed arguments, no shell)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DOORSTROOM_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "DATABASE_URL": "postgres://doorstroom@127.0.0.1:5432/doorstroom",
    "ALLOWED_HOSTS": "doorstroom.example.be",
    "DOORSTROOM_ENCRYPTION_KEYS": "qD1oVd5bN0jZ8m2bL1gR3wS9tX4yA7cE6fH5kJ2nP0s=",
    "DOORSTROOM_SECURITY_CONTACT": "mailto:security@example.be",
}


def test_check_deploy_with_production_settings_reports_nothing() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DOORSTROOM_ENCRYPTION_KEYS"]
)
def test_a_production_start_without_a_required_setting_fails_with_a_clear_message(
    missing: str,
) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DOORSTROOM_ENV=production" in result.stderr


def test_an_unknown_environment_name_is_refused() -> None:
    result = manage("check", DOORSTROOM_ENV="prod")
    assert result.returncode != 0
    assert "DOORSTROOM_ENV must be one of development, test, production" in result.stderr


def test_demo_data_is_refused_in_production() -> None:
    result = manage("load_demo", **{**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/unused.db"})
    assert result.returncode != 0
    assert "Demo data is never loaded in production" in result.stderr


def test_env_example_documents_exactly_the_variables_the_settings_read() -> None:
    import re

    settings_source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    read |= set(re.findall(r'_required_in_production\("([A-Z_]+)"\)', settings_source))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", example, re.M))
    assert read == documented


def test_the_wsgi_application_keeps_its_start_up_objects_out_of_the_collector(
    tmp_path: Path,
) -> None:
    # Issue 11: gunicorn workers freeze what start-up built, so full collections stay short.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    probe = "import gc, config.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(  # noqa: S603  (our own module, fixed arguments, no shell)
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert int(result.stdout.split()[-1]) > 50_000
