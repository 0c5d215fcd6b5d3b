"""What deploy/ holds agrees with the code: every variable the production settings read is in
the environment template, the template as written gives settings that pass Django's deployment
checklist, the nginx site matches the file hand-over settings, and the systemd units run
commands that exist."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

from lms.core.files import DEFAULT_ACCEL_PREFIX, PROTECTED_MEDIA_PREFIXES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = ROOT / "lms" / "settings"
TEMPLATE = DEPLOY / "lms.env.example"
NGINX = DEPLOY / "nginx" / "lms.conf"


def names_read(path, functions):
    """The first argument of every call to one of `functions` (names, or dotted names such as
    os.environ.get) that is a string literal."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        called = ast.unparse(node.func)
        first = node.args[0]
        if called in functions and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add(first.value)
    return found


def variables_read_in_production():
    names = names_read(SETTINGS / "production.py", {"env", "env_list", "delivery"})
    names |= names_read(SETTINGS / "base.py", {"os.environ.get", "os.getenv"})
    # dj_database_url.config() reads DATABASE_URL; Django reads the settings module's name.
    return names | {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}


def template_entries():
    """{name: value} for the lines that set a variable, and the names of those commented out."""
    values, commented = {}, set()
    for line in TEMPLATE.read_text().splitlines():
        if match := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            value = match[2]
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            values[match[1]] = value
        elif match := re.fullmatch(r"#\s*([A-Z][A-Z0-9_]*)=.*", line):
            commented.add(match[1])
    return values, commented


def test_the_production_settings_are_read_as_this_test_expects():
    # If production.py stops reading through env()/delivery(), this test must change with it.
    names = variables_read_in_production()
    assert {
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "REDIS_URL",
        "EMAIL_HOST",
        "PROTECTED_FILE_DELIVERY",
        "MEDIA_ROOT",
        "SITE_URL",
    } <= names


def test_every_variable_the_production_settings_read_is_in_the_environment_template():
    values, commented = template_entries()
    missing = variables_read_in_production() - set(values) - commented
    assert not missing, f"Add these to {TEMPLATE.relative_to(ROOT)}: {sorted(missing)}"


def test_the_template_sets_no_variable_to_nothing():
    # An empty value is not the default: delivery() refuses "", int() fails on it.
    values, _ = template_entries()
    assert not [name for name, value in values.items() if value == ""]


def test_the_template_as_written_passes_the_deployment_checklist():
    values, _ = template_entries()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(values)
    env["DJANGO_SECRET_KEY"] = "a-real-secret-is-long-and-random-" + "k" * 30
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def nginx_locations():
    """{location path: block text} of the HTTPS server in the nginx site."""
    text = NGINX.read_text()
    return {
        match[2]: match[3]
        for match in re.finditer(r"location\s+(\^~\s+)?(/\S*)\s*\{(.*?)\n    \}", text, re.S)
    }


def test_nginx_hands_over_protected_files_from_an_internal_location_at_the_settings_prefix():
    values, _ = template_entries()
    prefix = values.get("PROTECTED_FILES_ACCEL_PREFIX", DEFAULT_ACCEL_PREFIX)
    block = nginx_locations()[prefix]
    assert re.search(r"^\s*internal;", block, re.M)
    media_root = values["MEDIA_ROOT"].rstrip("/") + "/"
    assert re.search(rf"^\s*alias {re.escape(media_root)};", block, re.M)


def test_nginx_refuses_the_protected_folders_on_the_public_media_address():
    locations = nginx_locations()
    for folder in PROTECTED_MEDIA_PREFIXES:
        assert "return 404;" in locations[f"/media/{folder}"]


def test_nginx_passes_the_client_address_and_scheme_to_the_app():
    block = nginx_locations()["/"]
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in block
    upstream = re.search(r"upstream lms_app \{(.*?)\}", NGINX.read_text(), re.S)[1]
    assert len(re.findall(r"^\s*server 127\.0\.0\.1:\d+", upstream, re.M)) >= 2


def test_the_systemd_units_run_commands_that_exist():
    commands = set(get_commands())
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    named = set()
    for unit in units:
        for line in unit.read_text().splitlines():
            if match := re.match(r"ExecStart=\S+python manage\.py (\S+)", line):
                named.add(match[1])
    assert named == {
        "db_worker",
        "booking_housekeeping",
        "survey_housekeeping",
        "prune_db_task_results",
    }
    assert named <= commands


def test_every_timer_starts_a_service_of_its_name():
    timers = sorted((DEPLOY / "systemd").glob("*.timer"))
    assert len(timers) == 3
    for timer in timers:
        assert timer.with_suffix(".service").exists()
        assert re.search(r"^OnCalendar=\S+", timer.read_text(), re.M)
