"""The yearly report: made in a task after commit, stored, versioned, its text read with pdftotext."""

import shutil
import subprocess
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights import figures
from insights.disclosure import shown
from insights.models import ReportStatus, YearlyReport
from insights.report import context, render
from insights.tasks import REFRESH_LOCK, refresh_figures, sweep_reports
from tests.factories import request_at
from tests.insights.world import YEAR, build

pytestmark = pytest.mark.django_db

PDFTOTEXT, PDFINFO = shutil.which("pdftotext") or "pdftotext", shutil.which("pdfinfo") or "pdfinfo"


def pdf_text(report: YearlyReport) -> str:
    with report.file.open("rb") as fh:
        data = fh.read()
    assert data.startswith(b"%PDF")
    out = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


def _post(client, **fields):
    data = {"year": YEAR, "improvements": "", "submission_token": str(uuid.uuid4()), **fields}
    return client.post(reverse("insights:report_create"), data)


@pytest.fixture
def world():
    w = build(requests=40)
    figures.refresh()
    return w


def test_a_coordinator_makes_the_yearly_report(world, client, coordinator, login, django_capture_on_commit_callbacks):
    login(client, coordinator)
    page = client.get(reverse("insights:reports"), {"year": YEAR})
    form_quotes = page.context["form"].fields["chosen_quotes"].choices
    assert form_quotes  # the quotes people allowed this year are offered
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            client,
            improvements="Utveckla expertgrupper för barn\nEn tydlig mötesstruktur där alla kommer till tals",
            chosen_quotes=[form_quotes[0][0]],
        )
    assert response.status_code == 302
    report = YearlyReport.objects.get()
    assert (report.status, report.version) == (ReportStatus.READY, 1)
    text = pdf_text(report)
    assert f"Levande bibliotek – uppföljning {YEAR}" in text
    assert "Resultat så här långt" in text
    assert "registrerade förfrågningar" in text
    assert "Enkätsvar" in text
    assert "Röster" in text
    quote = page.context["form"].quotes[form_quotes[0][0]].text
    assert quote in " ".join(text.split())
    assert "Utveckla expertgrupper för barn" in text
    assert "färre än 5" in text  # small cells are suppressed in the PDF too
    # the PDF is tagged for screen readers
    with report.file.open("rb") as fh:
        raw = fh.read()
    info = subprocess.run([PDFINFO, "-"], input=raw, capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info
    meta = subprocess.run([PDFINFO, "-meta", "-"], input=raw, capture_output=True, check=True).stdout.decode()
    assert "pdfuaid:part" in meta
    # listed and downloadable
    listing = client.get(reverse("insights:reports")).content.decode()
    assert reverse("insights:report_download", args=[report.pk]) in listing
    download = client.get(reverse("insights:report_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    download.close()


def test_small_cells_in_the_pdf_are_never_their_number(client, coordinator, login, django_capture_on_commit_callbacks):
    for _ in range(3):
        request_at("in_triage")
    figures.refresh()
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, year=YEAR + 1)
    text = " ".join(pdf_text(YearlyReport.objects.get()).split())
    assert "färre än 5 registrerade förfrågningar" in text
    assert "3 registrerade förfrågningar" not in text


def test_rendering_again_makes_a_new_version_and_a_double_click_one(
    client, coordinator, login, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, submission_token=token)
        _post(client, submission_token=token)  # the same form sent twice
        _post(client)
    assert list(YearlyReport.objects.order_by("version").values_list("year", "version", "status")) == [
        (YEAR, 1, ReportStatus.READY),
        (YEAR, 2, ReportStatus.READY),
    ]


def test_the_sweep_renders_a_report_whose_task_was_lost(coordinator):
    report = YearlyReport.objects.create(year=YEAR, created_by=coordinator, quotes=[])
    YearlyReport.objects.filter(pk=report.pk).update(created_at=report.created_at.replace(year=YEAR))
    assert sweep_reports() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert sweep_reports() == 0


def test_only_coordinators_reach_the_reports(personas, client, login, coordinator):
    report = YearlyReport.objects.create(year=YEAR, created_by=coordinator, quotes=[], status=ReportStatus.READY)
    for name, user in personas.items():
        client.logout()
        login(client, user)
        expected = 200 if name == "coordinator" else 403
        assert client.get(reverse("insights:reports")).status_code == expected, name
        if name != "coordinator":
            assert client.get(reverse("insights:report_download", args=[report.pk])).status_code == 403


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("insights:reports")).status_code == 200
    return len(ctx.captured_queries)


def test_the_report_list_runs_the_same_queries_at_one_and_many_rows(client, coordinator, login):
    login(client, coordinator)
    YearlyReport.objects.create(year=YEAR, created_by=coordinator, quotes=[], status=ReportStatus.READY)
    one = _list_queries(client)
    for version in range(2, 12):
        YearlyReport.objects.create(year=YEAR, version=version, created_by=coordinator, quotes=[], status=ReportStatus.READY)
    assert _list_queries(client) == one == 6


def test_a_refresh_is_skipped_while_another_runs():
    cache.add(REFRESH_LOCK, True)
    assert refresh_figures() == 0
    cache.delete(REFRESH_LOCK)
    refresh_figures()
    assert cache.get(REFRESH_LOCK) is None


def test_the_report_counts_since_the_start_and_draws_the_surveys(world, coordinator):
    report = YearlyReport.objects.create(year=YEAR, created_by=coordinator, quotes=[])
    text = " ".join(pdf_text(render(report)).split())
    # since the start: every request ever submitted, every contribution, the people in the bank now
    in_bank = sum(p.status in ("active", "paused") for p in world.people)
    done = sum(1 for _a, done_at, _s in world.assignments if done_at is not None)
    assert f"{shown(in_bank)} personer finns med i banken" in text
    assert f"{shown(len(world.requests))} registrerade förfrågningar" in text
    assert f"{shown(done)} insatser av personer i banken" in text
    # the surveys come with their charts, as images with a text alternative
    surveys = context(report)["surveys"]
    assert surveys and all(t.chart_uri.startswith("data:image/svg+xml;base64,") for t in surveys if t.chart)
    assert "Enkätsvar" in text and "Arvoden och ersättningar" not in text
