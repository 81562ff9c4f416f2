import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def run_django(env_changes, code="print('ok')"):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    # A development start makes its key file: never the checkout's own, which signs the
    # developer's log-ins. A value of None in env_changes unsets a variable.
    env["DEV_SECRET_KEY_FILE"] = os.path.join(tempfile.mkdtemp(), ".secret_key")
    env.update(env_changes)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
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


PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_development_key_is_random_and_kept_private_in_a_file(tmp_path):
    first, second = tmp_path / "a" / ".secret_key", tmp_path / "b" / ".secret_key"
    first.parent.mkdir()
    second.parent.mkdir()
    keys = []
    for path in (first, second):
        result = run_django({"DEBUG": "1", "DEV_SECRET_KEY_FILE": str(path)}, PRINT_KEY)
        assert result.returncode == 0, result.stderr
        keys.append(result.stdout.strip())
        assert path.read_text().strip() == keys[-1]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys[0] != keys[1]  # each checkout makes its own
    assert len(keys[0]) >= 50
    assert "insecure" not in keys[0]
    assert sorted(p.name for p in first.parent.iterdir()) == [".secret_key"]


def test_development_key_is_reused_on_the_next_start(tmp_path):
    path = tmp_path / ".secret_key"
    env = {"DEBUG": "1", "DEV_SECRET_KEY_FILE": str(path)}
    made = run_django(env, PRINT_KEY)
    again = run_django(env, PRINT_KEY)
    assert made.returncode == again.returncode == 0, made.stderr + again.stderr
    assert made.stdout == again.stdout


def test_development_key_file_is_in_the_project_folder_and_ignored_by_git():
    # With a SECRET_KEY given, nothing is written: this only asks where the file would go.
    code = "from django.conf import settings; print(settings.DEV_SECRET_KEY_FILE)"
    result = run_django({"DEBUG": "1", "SECRET_KEY": "x" * 50, "DEV_SECRET_KEY_FILE": None}, code)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == PROJECT / ".secret_key"
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", ".secret_key"], cwd=PROJECT, check=False
    )
    assert ignored.returncode == 0, ".secret_key is not ignored by git"


def test_production_does_not_fall_back_to_the_development_key(tmp_path):
    path = tmp_path / ".secret_key"
    path.write_text("a-development-key-" * 4)
    result = run_django({"DEV_SECRET_KEY_FILE": str(path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_unreadable_debug_value_is_refused():
    result = run_django({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_site_speaks_vietnamese_in_vietnam_time(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
