from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry.enums import ResourceStatus
from registry.models import ExperienceArea, Perspective
from tests.factories import ExperienceResourceFactory


def names(response):
    return sorted(r.full_name for r in response.context["resources"])


@pytest.fixture
def pool(db):
    diabetes = ExperienceArea.objects.get(slug="diabetes")
    cancer = ExperienceArea.objects.get(slug="cancer")
    relative = Perspective.objects.get(code="relative")
    a = ExperienceResourceFactory(
        first_name="Astrid",
        last_name="Berg",
        municipality="Motala",
        birth_year=1940,
        languages="svenska, finska",
        story="Jag vårdade min man som hade diabetes.",
        last_assignment_on=timezone.localdate() - timedelta(days=30),
    )
    a.areas.set([diabetes, cancer])
    a.perspectives.set([relative])
    b = ExperienceResourceFactory(
        first_name="Bo",
        last_name="Ek",
        municipality="Linköping",
        birth_year=1990,
        story="Cancerbehandlingar",
        last_assignment_on=timezone.localdate() - timedelta(days=250),
    )
    b.areas.set([cancer])
    ExperienceResourceFactory(first_name="Cia", last_name="Holm", status=ResourceStatus.PAUSED, birth_year=1975, story="")
    return {"diabetes": diabetes, "cancer": cancer, "relative": relative}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "paused"}, ["Cia Holm"]),
        ({"area": "@diabetes"}, ["Astrid Berg"]),
        ({"area": "@cancer"}, ["Astrid Berg", "Bo Ek"]),
        ({"perspective": "@relative"}, ["Astrid Berg"]),
        ({"municipality": "motala"}, ["Astrid Berg"]),
        ({"language": "finska"}, ["Astrid Berg"]),
        ({"age": "80-"}, ["Astrid Berg"]),
        ({"age": "30-49"}, ["Bo Ek"]),
        ({"age": "50-64"}, ["Cia Holm"]),
        ({"last_assignment": "never"}, ["Cia Holm"]),
        ({"last_assignment": "6"}, ["Bo Ek", "Cia Holm"]),
        ({"last_assignment": "12"}, ["Cia Holm"]),
        ({"q": "Holm"}, ["Cia Holm"]),
        ({"q": "diabetes"}, ["Astrid Berg"]),
    ],
)
def test_pool_filters(client, coordinator, login, pool, query, expected):
    params = {k: pool[v[1:]].pk if v.startswith("@") else v for k, v in query.items()}
    login(client, coordinator)
    assert names(client.get("/samordning/resurser/", params)) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Swedish stemming needs PostgreSQL")
def test_swedish_full_text_search_finds_inflected_words(client, coordinator, login, pool):
    login(client, coordinator)
    # "vårdade" in the story is found by "vårda"; "Cancerbehandlingar" by "cancerbehandling".
    assert names(client.get("/samordning/resurser/", {"q": "vårda"})) == ["Astrid Berg"]
    assert names(client.get("/samordning/resurser/", {"q": "cancerbehandling"})) == ["Bo Ek"]


def test_pool_sorting(client, coordinator, login, pool):
    login(client, coordinator)
    response = client.get("/samordning/resurser/", {"order": "-name"})
    assert [r.last_name for r in response.context["resources"]] == ["Holm", "Ek", "Berg"]


@pytest.mark.parametrize("rows", [1, 40])
def test_pool_list_runs_a_fixed_number_of_queries(client, coordinator, login, rows):
    cancer = ExperienceArea.objects.get(slug="cancer")
    for _ in range(rows):
        ExperienceResourceFactory().areas.set([cancer])
    login(client, coordinator)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/samordning/resurser/", {"area": cancer.pk, "q": "", "order": "name"})
        assert response.status_code == 200
        assert len(response.context["resources"]) == rows
        counts.append(len(ctx.captured_queries))
    # 13 for the list, 2 for the spread panel under it (matching); the second time the taxonomies
    # (3), the filter's count and the spread (2) are kept.
    assert counts == [12, 6]


def test_the_pages_of_a_filtered_list_keep_the_filter(client, coordinator, login):
    for _ in range(51):  # one more than a page
        ExperienceResourceFactory(status=ResourceStatus.ACTIVE)
    ExperienceResourceFactory(status=ResourceStatus.PAUSED)
    login(client, coordinator)

    first = client.get("/samordning/resurser/", {"status": "active", "order": "name"}).content.decode()
    assert 'href="?status=active&amp;order=name&amp;page=2">Nästa</a>' in first

    second = client.get("/samordning/resurser/", {"status": "active", "order": "name", "page": 2})
    assert len(second.context["resources"]) == 1
    assert 'href="?status=active&amp;order=name&amp;page=1">Föregående</a>' in second.content.decode()
