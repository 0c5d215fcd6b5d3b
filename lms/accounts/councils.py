"""Loading the council directory from mySociety's local authority register.

The register covers the whole UK, past and present. People on this programme belong to English
councils: counties, shire districts, metropolitan boroughs, unitaries, London boroughs and the City
of London (combined authorities and the GLA are not councils people belong to). Past councils are
kept because bookings made while they existed still point at them.

The load is idempotent: it creates what is missing, updates what changed and never deletes, so a
council that disappears from a later edition of the file keeps its people and bookings.
"""

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from .models import CouncilType, Region

TYPE_BY_SOURCE_CODE = {
    "CTY": CouncilType.COUNTY,
    "NMD": CouncilType.DISTRICT,
    "MD": CouncilType.METROPOLITAN,
    "UA": CouncilType.UNITARY,
    "LBO": CouncilType.LONDON_BOROUGH,
    "CC": CouncilType.CITY_OF_LONDON,
}
REGION_BY_LABEL = {label: value for value, label in Region.choices}
FIELDS = [
    "name",
    "official_name",
    "gss_code",
    "type",
    "region",
    "start_date",
    "end_date",
    "replaced_by",
    "alt_names",
]


class CouncilDataError(ValueError):
    """The source file does not say what the loader needs; nothing has been written."""


# Sent by the load_councils command after a load that created or changed councils (bulk writes
# send no post_save): what counts councils, such as the Figures panel's cache, listens.
councils_loaded = Signal()


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return (
            f"{self.total} councils: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def _date(value):
    return date.fromisoformat(value) if value else None


def read_councils(path: Path):
    """Return {code: field values} for every English council in the register."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if row["nation"] == "England" and row["local-authority-type"] in TYPE_BY_SOURCE_CODE
        ]
    by_code = {row["local-authority-code"]: row for row in rows}

    def region_of(row, seen=()):
        # Fifteen councils abolished in 2019-2021 have no region in the register; they sit in
        # the region of the council that replaced them, which the reach figures need.
        if row["region"]:
            return row["region"]
        for successor in filter(None, row["replaced-by"].split(",")):
            if successor in by_code and successor not in seen:
                found = region_of(by_code[successor], (*seen, row["local-authority-code"]))
                if found:
                    return found
        return ""

    councils = {}
    for code, row in by_code.items():
        region_label = region_of(row)
        if region_label not in REGION_BY_LABEL:
            raise CouncilDataError(f"{code}: unknown region {region_label!r}")
        councils[code] = {
            "name": row["nice-name"],
            "official_name": row["official-name"],
            "gss_code": row["gss-code"],
            "type": TYPE_BY_SOURCE_CODE[row["local-authority-type"]],
            "region": REGION_BY_LABEL[region_label],
            "start_date": _date(row["start-date"]),
            "end_date": _date(row["end-date"]),
            "replaced_by": row["replaced-by"],
            "alt_names": row["alt-names"],
        }
    return councils


def load_councils(council_model=None, path=None, using="default") -> LoadResult:
    """Create or update every council from the register, in one transaction."""
    if council_model is None:
        from .models import Council as council_model
    councils = read_councils(Path(path or settings.COUNCILS_CSV))
    result = LoadResult()
    with transaction.atomic(using=using):
        existing = {c.code: c for c in council_model._default_manager.using(using).all()}
        to_create, to_update = [], []
        for code, values in councils.items():
            council = existing.get(code)
            if council is None:
                to_create.append(council_model(code=code, **values))
            elif any(getattr(council, f) != v for f, v in values.items()):
                for field, value in values.items():
                    setattr(council, field, value)
                to_update.append(council)
            else:
                result.unchanged += 1
        council_model._default_manager.using(using).bulk_create(to_create)
        council_model._default_manager.using(using).bulk_update(to_update, FIELDS)
        link_successors(council_model, using)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def link_successors(council_model, using="default"):
    """Make the `successors` rows say what each council's `replaced_by` codes say: add the
    missing links, remove those the text no longer names. Codes of councils not in the
    directory (a Welsh or Scottish successor) have no row to link to and are left out."""
    manager = council_model._default_manager.using(using)
    through = council_model.successors.through
    ids = dict(manager.values_list("code", "pk"))
    wanted = {
        (pk, ids[code])
        for pk, replaced_by in manager.exclude(replaced_by="").values_list("pk", "replaced_by")
        for code in filter(None, replaced_by.split(","))
        if code in ids
    }
    links = through._default_manager.using(using)
    existing = {
        (row[1], row[2]): row[0]
        for row in links.values_list("pk", "from_council_id", "to_council_id")
    }
    stale = [pk for pair, pk in existing.items() if pair not in wanted]
    if stale:
        links.filter(pk__in=stale).delete()
    links.bulk_create(
        [through(from_council_id=a, to_council_id=b) for a, b in sorted(wanted - existing.keys())]
    )


def load_councils_after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate receiver: keep the directory loaded whenever `migrate` runs.

    `flush` also sends post_migrate, without a plan; the directory is not reloaded then, so a
    test that empties the database gets an empty database.
    """
    if plan is None:
        return
    try:
        council_model = kwargs["apps"].get_model("accounts", "Council")
    except (KeyError, LookupError):
        return  # migrated only part of the way: the table is not there yet
    load_councils(council_model, using=using)
