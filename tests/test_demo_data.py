"""`make demo` generates, imports and links a synthetic borough; running it again changes nothing."""

from __future__ import annotations

from openiom.demo import load_demo_data
from openiom.people.models import Person, PersonRecord


def test_demo_data_loads_links_and_is_idempotent(partnership, tmp_path) -> None:
    first = load_demo_data(tmp_path / "borough", people=400, seed=5)
    records = PersonRecord.objects.count()
    people = Person.objects.count()
    assert first["created"] > 0
    assert records > 400  # several agencies hold the same people
    assert people < records  # linkage joined records of the same person
    assert first["linkage"]["automatic_merges"] > 0
    second = load_demo_data(tmp_path / "borough", people=400, seed=5)
    assert second["created"] == 0
    assert second["linkage"] == {}
    assert (PersonRecord.objects.count(), Person.objects.count()) == (records, people)
