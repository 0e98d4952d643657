"""config.filtersets: the list pages' filter sets copy their filters and fields without deep
copies, and filter, validate and draw exactly as django-filter's own FilterSet does."""

import django_filters
import pytest
from django.http import QueryDict

from assignments.filters import AssignmentFilter
from assignments.models import Assignment
from config import filtersets
from registry.filters import ResourceFilter
from registry.models import ExperienceResource
from requests_app.filters import BoardFilter
from requests_app.models import UnitRequest
from tests.factories import CareUnitFactory, UserFactory

CASES = [
    (
        ResourceFilter,
        ExperienceResource,
        ["", "q=anna&status=active&order=-created", "area=1&perspective=2&age=30-49", "area=x&age=9"],
    ),
    (
        BoardFilter,
        UnitRequest,
        [
            "",
            "status=open&responsible=me&order=reply_by",
            "q=abc&kind=nej&wanted_from=igår",
            "q=x&responsible=none&area=1&unit=999999999",
        ],
    ),
    (AssignmentFilter, Assignment, ["", "status=done&date_from=2026-01-01&overdue_report=on", "status=nej&date_to=x"]),
]


def made(filterset_class, model, query, user):
    kwargs = {"user": user} if filterset_class is BoardFilter else {}
    filterset = filterset_class(QueryDict(query), queryset=model.objects.all(), **kwargs)
    valid = filterset.is_valid()
    return {
        "valid": valid,
        "errors": filterset.form.errors.get_json_data(),
        "cleaned": repr(sorted(filterset.form.cleaned_data.items())) if valid else None,
        "sql": str(filterset.qs.query) if valid else None,
        "form": str(filterset.form),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("filterset_class", "model", "queries"), CASES)
def test_the_filter_sets_filter_validate_and_draw_as_django_filters_own(filterset_class, model, queries, monkeypatch):
    CareUnitFactory()
    user = UserFactory()
    ours = [made(filterset_class, model, query, user) for query in queries]
    base = django_filters.filterset.BaseFilterSet
    monkeypatch.setattr(filtersets.FilterSet, "__init__", base.__init__)
    monkeypatch.setattr(filtersets.FilterSet, "get_form_class", base.get_form_class)
    theirs = [made(filterset_class, model, query, user) for query in queries]
    assert ours == theirs
    assert any(not result["valid"] for result in ours) and any(result["sql"] for result in ours)


@pytest.mark.django_db
def test_each_filter_set_has_filters_and_fields_of_its_own():
    first, second = (ResourceFilter(QueryDict("q=x"), queryset=ExperienceResource.objects.all()) for _ in range(2))
    for name in first.filters:
        assert first.filters[name] is not second.filters[name] is not ResourceFilter.base_filters[name]
        assert first.filters[name].extra is not ResourceFilter.base_filters[name].extra
        assert first.form.fields[name] is not second.form.fields[name]
        assert first.filters[name].parent is first
    first.filters["status"].extra["choices"] = [("x", "X")]
    assert ResourceFilter.base_filters["status"].extra["choices"] != [("x", "X")] != second.filters["status"].extra["choices"]
    assert "base_filters" not in vars(first)  # the class's again after __init__
    assert all("_field" not in vars(f) and not hasattr(f, "parent") for f in ResourceFilter.base_filters.values())
    # A filter with a method calls it on its own filter set, not on another's.
    assert first.filters["q"].filter.f is first.filters["q"]
    assert first.filters["q"].filter.method == first.filter_text
    # The form's fields are the filters' own, given to it without another copy.
    assert first.form.fields["q"] is first.filters["q"].field
