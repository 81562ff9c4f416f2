import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run_django(env_changes):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=PROJECT,
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_stops_with_a_clear_message():
    result = run_django({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_secret_key_starts():
    result = run_django({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "tin.example.vn"})
    assert result.returncode == 0, result.stderr


def test_development_starts_without_secret_key():
    assert run_django({"DEBUG": "1"}).returncode == 0


def test_unreadable_debug_value_is_refused():
    result = run_django({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_site_speaks_vietnamese_in_vietnam_time(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
