"""The house in order: no import circles, apps in layers, and apps that reach each other only
through their public modules.

The circles and layers are import-linter contracts in pyproject.toml (`make lint` runs the same);
the public-module rule is checked here with grimp, which import-linter is built on. Both count
imports inside functions: moving an import into a function does not make a circle go away.

An app's public modules, the only ones another app may import:
- `models`, `services` and `selectors` (read functions), in every app;
- modules that are those under another name, or an interface meant for other apps (PUBLIC_EXTRA):
  the bookable page base, the attendance services, the run services (runs.py: the demo makes
  its runs through them) and the run filters of bookings; the
  permission rules, the organisers' group and the council directory of accounts; the survey
  figures; the podcast's counting service and its figures.
Everything in lms.core is shared by definition. The project's wiring (lms.urls, lms.settings,
lms.wsgi) may import any app's views and URLs.
"""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("lms", "courses", "events", "podcasts", "demo")
PROJECT_WIRING = {"lms.urls", "lms.settings", "lms.wsgi", "lms.forms"}
SHARED = "lms.core"
PUBLIC = {"models", "services", "selectors"}
PUBLIC_EXTRA = {
    "lms.accounts": {"permissions", "organisers", "councils", "verification"},
    "lms.bookings": {"pages", "attendance", "filters", "runs"},
    "lms.surveys": {"figures"},
    "podcasts": {"counting", "stats"},
}
# Imports of another app's internals that are known and on their way out, each with why. An
# entry that no longer matches an import fails the test too, so the list only ever shrinks.
KNOWN_OFFENDERS = {
    # The demo's podcast audio is made by the same generator as the tests' (tests/podcasts).
    ("demo.podcast", "podcasts.synth"): "the demo and the tests share the test audio maker",
}


def app_of(module):
    """`lms.bookings.services` -> `lms.bookings`; `podcasts.feed` -> `podcasts`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "lms" and len(parts) > 1 else parts[0]


def is_public(module):
    app = app_of(module)
    if app == SHARED:
        return True
    tail = module[len(app) + 1 :].split(".")[0]
    return tail in PUBLIC | PUBLIC_EXTRA.get(app, set())


def imports_of_internals(graph):
    """Every import from one app of another app's module that is not public, with its line."""
    found = {}
    for importer in sorted(graph.modules):
        if app_of(importer) in PROJECT_WIRING:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if app_of(imported) == app_of(importer) or is_public(imported):
                continue
            details = graph.get_import_details(importer=importer, imported=imported)
            lines = ", ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details)
            found[(importer, imported)] = lines
    return found


def test_import_contracts_are_kept():
    """No circles in any package, the apps in their layers (pyproject.toml's contracts)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = result.stdout.split("Contracts\n---------", 1)[-1]
    assert result.returncode == 0, f"lint-imports found broken contracts:\n{report}{result.stderr}"


def test_apps_import_only_each_others_public_modules():
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    found = imports_of_internals(graph)
    new = {pair: lines for pair, lines in found.items() if pair not in KNOWN_OFFENDERS}
    gone = sorted(pair for pair in KNOWN_OFFENDERS if pair not in found)
    assert not new, "Imports of another app's internals (use its public modules):\n" + "\n".join(
        f"  {a} -> {b} ({lines})" for (a, b), lines in sorted(new.items())
    )
    assert not gone, "No longer imported: take these out of KNOWN_OFFENDERS:\n" + "\n".join(
        f"  {a} -> {b}" for a, b in gone
    )
