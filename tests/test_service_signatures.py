"""Every service function says in its signature what it takes and what it gives back.

The services are the one way state changes (DESIGN.md): views, admin actions, commands and tasks
all call them, so their signatures are the project's internal API. The modules are every app's
`services.py` and the bookings app's other service modules (attendance: marks, check-in and the
imports; runs, copying, history and messaging) and the podcast's download counting; a public
function there (no leading underscore) annotates every parameter and its return value."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("lms", "courses", "events", "podcasts")
OTHER_SERVICE_MODULES = (
    "lms/bookings/attendance/marks.py",
    "lms/bookings/attendance/checkin.py",
    "lms/bookings/attendance/imports.py",
    "lms/bookings/runs.py",
    "lms/bookings/copying.py",
    "lms/bookings/history.py",
    "lms/bookings/messaging.py",
    "podcasts/counting.py",
)


def service_modules():
    found = {p for app in APPS for p in (ROOT / app).rglob("services.py")}
    found |= {ROOT / p for p in OTHER_SERVICE_MODULES if (ROOT / p).exists()}
    return sorted(found)


def unannotated(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        arguments += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
        missing = [a.arg for a in arguments if a.annotation is None]
        if node.returns is None:
            missing.append("the return value")
        if missing:
            yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}(): {', '.join(missing)}"


def test_the_service_modules_are_found():
    names = {str(p.relative_to(ROOT)) for p in service_modules()}
    assert {
        "lms/bookings/services.py",
        "lms/certificates/services.py",
        "lms/surveys/services.py",
        "lms/bookings/attendance/marks.py",
        "lms/bookings/runs.py",
    } <= names


def test_every_service_function_is_annotated():
    problems = [line for path in service_modules() for line in unannotated(path)]
    assert not problems, "Service functions without type hints:\n" + "\n".join(problems)
