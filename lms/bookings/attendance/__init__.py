"""Taking attendance: the register, QR check-in and CSV import all mark through `mark()`.

Only confirmed bookings are on a register. Every mark, first or corrected, on the day or after,
writes an `AttendanceChange` row saying who changed what and when. Completion is never stored:
`Booking.objects.with_completion()` derives it from these rows.

- `marks`: the register, `mark()` and `mark_remaining_absent()`;
- `checkin`: the QR code and `check_in()`;
- `imports`: the attendance and completion CSV imports (`plan_*` and `apply_*`).
"""

from lms.core.imports import SAVE_AS_CSV, UnreadableFile, read_csv

from .checkin import CHECKIN_PREFIX, CheckIn, check_in, qr_code, qr_payload, qr_png, qr_svg_data_uri
from .imports import (
    COMPLETION_COLUMNS,
    IMPORT_COLUMNS,
    CompletionPlan,
    CompletionRow,
    ImportPlan,
    ImportRow,
    ProviderStatus,
    apply_completion_import,
    apply_import,
    plan_completion_import,
    plan_import,
)
from .marks import AttendanceRefused, mark, mark_remaining_absent, register

__all__ = [
    "CHECKIN_PREFIX",
    "COMPLETION_COLUMNS",
    "IMPORT_COLUMNS",
    "SAVE_AS_CSV",
    "AttendanceRefused",
    "CheckIn",
    "CompletionPlan",
    "CompletionRow",
    "ImportPlan",
    "ImportRow",
    "ProviderStatus",
    "UnreadableFile",
    "apply_completion_import",
    "apply_import",
    "check_in",
    "mark",
    "mark_remaining_absent",
    "plan_completion_import",
    "plan_import",
    "qr_code",
    "qr_payload",
    "qr_png",
    "qr_svg_data_uri",
    "read_csv",
    "register",
]
