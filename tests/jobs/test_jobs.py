from __future__ import annotations

import pytest

from openiom.jobs.models import Job
from openiom.jobs.registry import job_handler
from openiom.jobs.services import start_job


@job_handler("test_counting")
def _counting(job: Job, progress) -> None:
    for i in range(1, 4):
        progress(i, 3, f"step {i}")


@job_handler("test_failing")
def _failing(job: Job, progress) -> None:
    progress(1, 2, "half way")
    raise ValueError("Jane Smith's record is broken")  # must not reach the user


def test_job_runs_and_reports_progress(partnership, client_for) -> None:
    job = start_job(owner=partnership["analyst"], kind="test_counting", title="Counting")
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.started_at
    assert job.finished_at
    page = client_for("analyst").get(f"/jobs/{job.pk}/")
    assert "Finished" in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()  # no polling once finished


def test_failed_job_shows_a_safe_message(partnership, client_for) -> None:
    job = start_job(owner=partnership["analyst"], kind="test_failing", title="Failing")
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Jane Smith" not in job.message
    assert "ValueError" in job.message


def test_unfinished_job_page_polls_with_htmx(partnership, client_for) -> None:
    job = Job.objects.create(
        owner=partnership["analyst"], kind="test_counting", title="Queued", progress_total=10, progress_done=4
    )
    client = client_for("analyst")
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert 'value="40"' in html
    fragment = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job-progress"')


def test_unknown_job_kind_is_refused_before_queueing(partnership) -> None:
    with pytest.raises(LookupError):
        start_job(owner=partnership["analyst"], kind="nope", title="x")
    assert not Job.objects.filter(title="x").exists()
