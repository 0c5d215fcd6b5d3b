"""The council directory: what is loaded from mySociety's register, and that loading is safe."""

import datetime
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from lms.accounts.councils import load_councils
from lms.accounts.models import Council, CouncilType, Region

pytestmark = pytest.mark.django_db


def test_every_english_council_people_belong_to_is_loaded_by_migrate():
    assert Council.objects.count() == 365
    assert Council.objects.current().count() == 317
    assert Council.objects.past().count() == 48


def test_council_types_match_the_register():
    counts = Counter(Council.objects.values_list("type", flat=True))
    assert counts == {
        CouncilType.DISTRICT: 204,
        CouncilType.UNITARY: 65,
        CouncilType.METROPOLITAN: 36,
        CouncilType.LONDON_BOROUGH: 32,
        CouncilType.COUNTY: 27,
        CouncilType.CITY_OF_LONDON: 1,
    }


def test_every_council_has_one_of_the_nine_regions():
    regions = set(Council.objects.values_list("region", flat=True))
    assert regions == set(Region.values)
    assert Council.objects.filter(region="").count() == 0
    assert Council.objects.current().filter(region=Region.LONDON).count() == 33  # 32 + City


def test_councils_are_stored_with_codes_names_and_dates():
    manchester = Council.objects.get(code="MAN")
    assert manchester.official_name == "Manchester City Council"
    assert manchester.name == "Manchester"
    assert manchester.gss_code == "E08000003"
    assert manchester.type == CouncilType.METROPOLITAN
    assert manchester.region == Region.NORTH_WEST
    assert manchester.is_current


def test_past_councils_are_kept_with_their_end_date():
    # Aylesbury Vale existed throughout 2019/20; Buckinghamshire Council replaced it in 2020.
    aylesbury = Council.objects.get(name="Aylesbury Vale")
    assert aylesbury.end_date == datetime.date(2020, 3, 31)
    assert not aylesbury.is_current
    assert aylesbury.replaced_by == "BUC"
    assert aylesbury in Council.objects.existing_on(datetime.date(2020, 1, 24))
    assert aylesbury not in Council.objects.existing_on(datetime.date(2021, 1, 1))


def test_abolished_council_without_a_region_takes_its_successors_region():
    # The register leaves Taunton Deane's region empty; Somerset West and Taunton is South West.
    assert Council.objects.get(name="Taunton Deane").region == Region.SOUTH_WEST
    assert Council.objects.get(name="Forest Heath").region == Region.EAST


def test_devolved_nations_and_combined_authorities_are_not_loaded():
    assert not Council.objects.filter(gss_code__startswith="W").exists()
    assert not Council.objects.filter(gss_code__startswith="S").exists()
    assert not Council.objects.filter(official_name__icontains="Combined Authority").exists()
    assert not Council.objects.filter(official_name="Greater London Authority").exists()


def test_loading_again_changes_nothing():
    before = list(Council.objects.order_by("code").values())
    result = load_councils()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 365)
    assert list(Council.objects.order_by("code").values()) == before


def test_loading_repairs_edited_rows_and_restores_missing_ones_without_new_ids():
    manchester = Council.objects.get(code="MAN")
    Council.objects.filter(code="MAN").update(official_name="Typo Council")
    Council.objects.filter(code="BIR").delete()
    result = load_councils()
    assert (result.created, result.updated) == (1, 1)
    assert Council.objects.get(code="MAN").official_name == "Manchester City Council"
    assert Council.objects.get(code="MAN").pk == manchester.pk
    assert Council.objects.count() == 365


def test_loading_never_deletes_a_council_missing_from_the_file():
    Council.objects.create(
        code="ZZZ",
        name="Old",
        official_name="Old Council",
        gss_code="E99999999",
        type=CouncilType.DISTRICT,
        region=Region.NORTH_EAST,
    )
    load_councils()
    assert Council.objects.filter(code="ZZZ").exists()
    assert Council.objects.count() == 366


def test_command_reports_what_it_did(capsys):
    call_command("load_councils")
    assert "365 councils: 0 created, 0 updated, 365 unchanged" in capsys.readouterr().out


def test_command_that_changes_councils_makes_the_cached_figures_stale():
    # Bulk writes send no post_save; the command says what it changed, and the Figures panel's
    # cache (which counts only councils that existed in the year) listens.
    from lms.core.cache import version
    from lms.reports.wagtail_hooks import FIGURES

    before = version(FIGURES)
    call_command("load_councils")  # nothing to change
    assert version(FIGURES) == before
    Council.objects.filter(code="MAN").update(official_name="Typo Council")
    call_command("load_councils")
    assert version(FIGURES) > before


def test_command_with_a_broken_file_fails_clearly_and_writes_nothing(tmp_path):
    broken = tmp_path / "councils.csv"
    broken.write_text("local-authority-code,official-name\nMAN,Changed\n")
    Council.objects.filter(code="MAN").update(official_name="Before")
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("load_councils", file=str(broken))
    assert Council.objects.get(code="MAN").official_name == "Before"
