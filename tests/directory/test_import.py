"""The CSV import: all or nothing, every problem by row and column in words, safe to repeat."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openiom.directory.importer import RowProblem, import_services
from openiom.directory.models import Service
from openiom.directory.seed import DEMO_FILE

pytestmark = pytest.mark.django_db

HEADER = "name,provider,description,pathways,area,min_age,max_age,gender,cohorts,capacity,contact,referral_route\n"
GOOD = (
    HEADER
    + "Debt advice,Citizens Advice,Debts and fines,finance,,18,,,,25,debt@example.org,Online form\n"
    + 'Hostel,Homeless Partnership,"Beds, key work",Accommodation; health,North,18,,,PPO;High Crime Causer,24,,\n'
)


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_a_good_file_is_imported_with_codes_or_names() -> None:
    result = import_services(csv(GOOD))
    assert (result.ok, result.saved, result.created, result.updated, result.unchanged) == (True, True, 2, 0, 0)
    hostel = Service.objects.get(name="Hostel")
    assert hostel.pathways == ["accommodation", "health"]
    assert hostel.cohorts == ["PPO", "HCC"]
    assert (hostel.area, hostel.min_age, hostel.max_age, hostel.capacity) == ("North", 18, None, 24)
    assert result.summary() == "Imported 2 services: 2 new, 0 updated, 0 unchanged."


def test_importing_the_same_file_again_creates_nothing() -> None:
    import_services(csv(GOOD))
    again = import_services(csv(GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Service.objects.count() == 2
    assert Service.objects.get(name="Hostel").version == 1  # untouched


def test_a_corrected_file_updates_by_name_and_provider_ignoring_case() -> None:
    import_services(csv(GOOD))
    corrected = GOOD.replace(
        "Debt advice,Citizens Advice,Debts and fines,finance,,18,,,,25",
        "DEBT ADVICE,citizens advice,Debts and fines,finance,,18,,,,30",
    )
    result = import_services(csv(corrected))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Service.objects.count() == 2
    assert Service.objects.get(name__iexact="debt advice").capacity == 30


def test_one_bad_row_saves_nothing_and_every_problem_is_reported_by_row_and_column() -> None:
    bad = (
        HEADER
        + "Debt advice,Citizens Advice,,finance,,18,,,,25,,\n"  # row 2: good
        + "Hostel,Homeless Partnership,,housing,,30,18,X,ASBO,lots,,\n"  # row 3: six problems
        + ",Nobody,,finance,,,,,,,,\n"  # row 4: no name
        + "debt advice,CITIZENS ADVICE,,finance,,,,,,,,\n"  # row 5: the same as row 2
    )
    result = import_services(csv(bad))
    assert not result.ok
    assert not result.saved
    assert Service.objects.count() == 0
    assert [(p.row, p.column) for p in result.problems] == [
        (3, "pathways"), (3, "max_age"), (3, "gender"), (3, "cohorts"), (3, "capacity"), (4, "name"), (5, "name"),
    ]  # fmt: skip
    messages = [str(p) for p in result.problems]
    assert messages[0].startswith('Row 3, column pathways: "housing" is not a pathway. Use the codes or names: ')
    assert messages[1] == (
        "Row 3, column max_age: The maximum age (18) must be the same as or more than the minimum age (30)"
    )
    assert (
        messages[2] == 'Row 3, column gender: Gender must be blank (everyone), M (men only) or F (women only), not "X"'
    )
    assert messages[3].startswith('Row 3, column cohorts: "ASBO" is not a cohort.')
    assert messages[4] == 'Row 3, column capacity: The number of places must be a whole number, or blank (not "lots")'
    assert messages[5] == "Row 4, column name: Enter the name of the service"
    assert messages[6] == "Row 5, column name: The same name and provider are already on row 2"
    assert result.summary() == "Nothing was imported: 7 problems in the file."


def test_a_bad_row_leaves_existing_services_unchanged() -> None:
    import_services(csv(GOOD))
    changed_then_bad = GOOD.replace(",25,", ",99,") + "Broken,Somebody,,,,,,,,,,\n"
    result = import_services(csv(changed_then_bad))
    assert [str(p) for p in result.problems] == [
        "Row 4, column pathways: Choose at least one pathway the service works on"
    ]
    assert Service.objects.get(name="Debt advice").capacity == 25
    assert Service.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty. The first row must name the columns"),
        (b"name,provider\nA,B\n", "The file has no pathways column, which is required"),
        (b"name,provider,pathways,colour\nA,B,ete,red\n", 'The file has a column "colour" that is not one of: '),
        (b"name,provider,pathways\n", "The file has no services under the header row"),
        ("name,provider,pathways\nCaf\xe9,B,ete\n".encode("latin-1"), "The file is not UTF-8 text."),
    ],
)
def test_problems_with_the_whole_file(content: bytes, message: str) -> None:
    result = import_services(content)
    assert result.problems
    assert result.problems[0].row == 0
    assert str(result.problems[0]).startswith(message)


def test_a_row_with_too_many_values_is_reported() -> None:
    result = import_services(b"name,provider,pathways\nA,B,ete,extra\n")
    assert result.problems == [RowProblem(2, "", "This row has 4 values but the header names 3 columns")]


def test_only_the_required_columns_in_any_order_with_a_byte_order_mark() -> None:
    result = import_services("\ufeffPathways,Provider,Name\nete;finance,Riverside Works,Routes to Work\n".encode())
    assert result.ok
    assert Service.objects.get().pathways == ["ete", "finance"]


def test_check_only_saves_nothing() -> None:
    result = import_services(csv(GOOD), check_only=True)
    assert (result.ok, result.saved, result.created) == (True, False, 2)
    assert result.summary().startswith("Checked 2 services")
    assert Service.objects.count() == 0


def test_the_demo_file_is_valid_and_imports_26_services() -> None:
    result = import_services(DEMO_FILE.read_bytes())
    assert result.ok, result.problems
    assert result.created == Service.objects.count() == 26


def test_the_command_imports_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "services.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_services", str(path))
    call_command("import_services", str(path))
    out = capsys.readouterr().out
    assert "Imported 2 services: 2 new, 0 updated, 0 unchanged." in out
    assert "Imported 2 services: 0 new, 0 updated, 2 unchanged." in out


def test_the_command_fails_with_the_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "services.csv"
    path.write_text(HEADER + "A,B,,nowhere,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 problem in the file\."):
        call_command("import_services", str(path))
    assert 'Row 2, column pathways: "nowhere" is not a pathway' in capsys.readouterr().out
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_services", str(tmp_path / "missing.csv"))
    assert Service.objects.count() == 0


def test_a_concurrent_edit_during_the_import_saves_nothing(make_service: Callable[..., Service]) -> None:
    """A service changed between the check and the save: refused, and the rows before it rolled back."""
    from unittest import mock

    from openiom.directory import importer

    make_service(name="Hostel", provider="Homeless Partnership", pathways=["accommodation"])
    real = importer.read_services

    def then_someone_edits(content: bytes):  # type: ignore[no-untyped-def]
        rows, problems = real(content)
        Service.objects.filter(name="Hostel").update(version=5)
        return rows, problems

    with mock.patch.object(importer, "read_services", then_someone_edits):
        result = import_services(csv(GOOD))
    assert not result.ok
    assert "Someone else changed this service" in str(result.problems[0])
    assert not Service.objects.filter(name="Debt advice").exists()
