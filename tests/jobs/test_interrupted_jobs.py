"""A worker killed part way: nothing partial is kept, the job says so, and it can be run again.

The import test runs the job in a separate process, as `openiom worker` does, and kills it with
SIGKILL in the middle of writing the delivery (PostgreSQL only: SQLite's in-memory test database
cannot be shared with another process).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from openiom.cohort.constants import RunStatus
from openiom.imports.constants import DeliveryStatus
from openiom.imports.jobs import remove_abandoned_uploads, upload_dir
from openiom.imports.models import Delivery
from openiom.jobs.constants import JobStatus
from openiom.jobs.models import Job
from openiom.jobs.services import CannotRunAgain, Heartbeat, recover_interrupted_jobs, rerun_job
from openiom.offending.models import Offence
from openiom.people.models import Person
from openiom.synthetic.cli import main as generate

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second process needs a shared database (PostgreSQL)"
)

RUN_ONE_JOB = (
    "import os, sys, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'openiom.settings'); django.setup(); "
    "from openiom.jobs.services import run_job; run_job(sys.argv[1])"
)


def _running_job(owner, kind: str = "import_delivery", **fields) -> Job:
    return Job.objects.create(owner=owner, kind=kind, title="Data import", status=JobStatus.RUNNING, **fields)


def test_a_running_job_not_heard_from_is_marked_interrupted(partnership) -> None:
    now = timezone.now()
    owner = partnership["iom_coordinator"]
    silent = _running_job(owner, started_at=now - timedelta(minutes=30), heartbeat_at=now - timedelta(minutes=5))
    alive = _running_job(owner, started_at=now - timedelta(minutes=30), heartbeat_at=now - timedelta(seconds=10))
    never_beat = _running_job(owner, started_at=now - timedelta(minutes=10))
    queued = Job.objects.create(owner=owner, kind="import_delivery", title="Waiting")

    recovered = recover_interrupted_jobs(now=now)

    assert {j.pk for j in recovered} == {silent.pk, never_beat.pk}
    for job in (silent, alive, never_beat, queued):
        job.refresh_from_db()
    assert (silent.status, never_beat.status) == (JobStatus.INTERRUPTED, JobStatus.INTERRUPTED)
    assert "stopped before it finished" in silent.message
    assert silent.finished_at is not None
    assert (alive.status, queued.status) == (JobStatus.RUNNING, JobStatus.QUEUED)
    assert recover_interrupted_jobs(now=now) == []  # once only


def test_an_interrupted_selection_run_is_marked_failed_and_cannot_be_rerun(partnership) -> None:
    from openiom.cohort.models import SelectionRun

    run = SelectionRun.objects.create(
        as_of=date(2026, 10, 31), config={}, created_by=partnership["iom_coordinator"], status=RunStatus.RUNNING
    )
    job = _running_job(partnership["iom_coordinator"], kind="selection_run", params={"run_id": run.pk})
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    recover_interrupted_jobs()
    run.refresh_from_db()
    job.refresh_from_db()
    assert job.status == JobStatus.INTERRUPTED
    assert run.status == RunStatus.FAILED
    assert "Start a new run" in run.error_message
    with pytest.raises(CannotRunAgain):
        rerun_job(job)


def test_the_job_page_offers_to_run_an_interrupted_import_again(partnership, client_for) -> None:
    owner = partnership["iom_coordinator"]
    job = _running_job(owner, started_at=timezone.now() - timedelta(hours=1))
    folder = upload_dir(job.pk)
    folder.mkdir(parents=True)
    (folder / "people.csv").write_text("not, a, delivery\n")
    client = client_for("iom_coordinator")
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Stopped before it finished" in page
    assert "Run the job again" in page
    # someone else cannot see it, nor run it again
    assert client_for("analyst").post(f"/jobs/{job.pk}/run-again/").status_code == 404
    response = client.post(f"/jobs/{job.pk}/run-again/", follow=True)
    job.refresh_from_db()
    # the test suite runs jobs at once: the bad file fails the import, but it was run again
    assert job.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}
    assert job.started_at
    assert job.started_at > timezone.now() - timedelta(minutes=1)
    assert "queued again" in response.content.decode()


def test_no_rerun_once_the_uploads_are_gone_and_abandoned_uploads_are_removed(partnership, client_for) -> None:
    owner = partnership["iom_coordinator"]
    job = _running_job(owner, started_at=timezone.now() - timedelta(hours=1))
    recover_interrupted_jobs()
    job.refresh_from_db()
    assert "Run the job again" not in client_for("iom_coordinator").get(f"/jobs/{job.pk}/").content.decode()
    with pytest.raises(CannotRunAgain):
        rerun_job(job)

    old = _running_job(owner, started_at=timezone.now() - timedelta(days=9))
    upload_dir(old.pk).mkdir(parents=True)
    (upload_dir(old.pk) / "people.csv").write_text("x\n")
    recover_interrupted_jobs()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert remove_abandoned_uploads() == 1
    assert not upload_dir(old.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_heartbeat_writes_progress_on_its_own_connection(partnership, settings) -> None:
    """While the job's connection is in a transaction, others still see its progress (PostgreSQL/SQLite file)."""
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database is locked by the open transaction")
    settings.JOB_HEARTBEAT_SECONDS = 60
    job = _running_job(partnership["iom_coordinator"])
    from django.db import transaction

    heartbeat = Heartbeat(job.pk)
    try:
        with transaction.atomic():
            Job.objects.select_for_update().get(pk=partnership["iom_coordinator"].jobs.first().pk)  # like a long import
            heartbeat.note(5, 10, "Writing people")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                if Job.objects.filter(pk=job.pk, progress_done=5).exists():
                    break
                time.sleep(0.1)
    finally:
        heartbeat.stop()
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.message) == (5, 10, "Writing people")
    assert job.heartbeat_at is not None


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_import_leaves_nothing_and_the_import_can_be_run_again(partnership, tmp_path: Path) -> None:
    assert generate(["--people", "2500", "--years", "6", "--seed", "7", "--out", str(tmp_path)]) == 0
    owner = partnership["iom_coordinator"]
    job = Job.objects.create(owner=owner, kind="import_delivery", title="Data import")
    folder = upload_dir(job.pk)
    folder.mkdir(parents=True)
    for path in tmp_path.glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    people_before, offences_before = Person.objects.count(), Offence.objects.count()

    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "OPENIOM_TASKS_BACKEND": "database",
        "OPENIOM_JOB_HEARTBEAT_SECONDS": "1",
        "OPENIOM_JOB_STALE_SECONDS": "3",
    }
    worker = subprocess.Popen([sys.executable, "-c", RUN_ONE_JOB, str(job.pk)], env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until it is writing the delivery, part of the way through
            job.refresh_from_db()
            if job.progress_total > 1 and 0 < job.progress_done < job.progress_total:
                break
            assert worker.poll() is None, "the import finished before it could be stopped"
            time.sleep(0.05)
        else:
            pytest.fail("the import never started writing")
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    # Nothing partial: the database rolled back the worker's transaction.
    assert (Person.objects.count(), Offence.objects.count()) == (people_before, offences_before)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody has noticed yet

    recovered = recover_interrupted_jobs(now=timezone.now() + timedelta(seconds=130))  # 120 s: the default
    assert [j.pk for j in recovered] == [job.pk]
    delivery = Delivery.objects.get(imported_by=owner)
    assert delivery.status == DeliveryStatus.INTERRUPTED
    assert any(folder.iterdir())  # the uploaded files are kept for the re-run

    rerun_job(Job.objects.get(pk=job.pk))  # the test suite runs it at once, in this process
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    new_delivery = Delivery.objects.get(pk=job.result["delivery_id"])
    assert new_delivery.status == DeliveryStatus.IMPORTED
    assert Person.objects.count() > people_before
    assert Offence.objects.count() > offences_before
    assert not folder.exists()  # uploaded personal data is not kept once imported
    client = Client()
    client.force_login(owner)
    assert "Finished" in client.get(f"/jobs/{job.pk}/").content.decode()
