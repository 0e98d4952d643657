"""The list pages' helpers (config/rows.py), and the coordinators' list rows they write:
the same markup the template loop wrote."""

import re

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from assignments.enums import AssignmentStatus, CompletionStatus
from assignments.models import CompletionReport
from assignments.selectors import assignments_for_coordinators, live_agreement
from config.choices import labels
from config.rows import linked_ids, rows_html, url_for_id
from tests.assignments.factories import AssignmentFactory, SessionFactory
from tests.assignments.factories_documents import signed_agreement
from tests.factories import ExperienceResourceFactory


@pytest.mark.django_db
def test_linked_ids_are_each_rows_links_of_each_relation_in_one_query(django_assert_num_queries):
    from registry.models import ExperienceArea, ExperienceResource, Perspective

    perspectives, areas = list(Perspective.objects.order_by("pk")[:3]), list(ExperienceArea.objects.order_by("pk")[:3])
    one, two, none, other = ExperienceResourceFactory.create_batch(4)
    one.perspectives.set(perspectives[:2])
    one.areas.set(areas[2:])
    two.areas.set(areas)
    other.perspectives.set(perspectives)  # not asked for
    with django_assert_num_queries(1):
        found = linked_ids(ExperienceResource, ["perspectives", "areas"], [one.pk, two.pk, none.pk])
    assert {row: sorted(items) for row, items in found["perspectives"].items()} == {one.pk: [p.pk for p in perspectives[:2]]}
    assert {row: sorted(items) for row, items in found["areas"].items()} == {
        one.pk: [areas[2].pk],
        two.pk: sorted(a.pk for a in areas),
    }
    with django_assert_num_queries(0):
        assert linked_ids(ExperienceResource, ["perspectives", "areas"], []) == {"perspectives": {}, "areas": {}}
        with pytest.raises(ValueError):  # the ids go into the SQL as whole numbers, and only as those
            linked_ids(ExperienceResource, ["areas"], [one.pk, "0) OR (1 = 1"])


def test_url_for_id_is_reverse():
    link = url_for_id("assignments:detail")
    assert [link(pk) for pk in (1, 42, 10**12)] == [reverse("assignments:detail", args=[pk]) for pk in (1, 42, 10**12)]
    assert url_for_id("compensation:line_reverse")(7) == reverse("compensation:line_reverse", args=[7])
    with pytest.raises(ValueError):
        link("7/../../x")  # only ints, as the <int:pk> converter
    with pytest.raises(NoReverseMatch):
        url_for_id("assignments:nothing")


def test_rows_html_escapes_as_a_template_does_unless_marked_safe():
    rows = [{"a": "<b>&\"'", "b": mark_safe("<i>x</i>"), "n": 3}, {"a": "", "b": "", "n": None}]
    written = rows_html("<tr><td>{a}</td><td>{b}</td><td>{n}</td></tr>", rows)
    template = Template("{% for r in rows %}<tr><td>{{ r.a }}</td><td>{{ r.b }}</td><td>{{ r.n }}</td></tr>{% endfor %}")
    assert written == template.render(Context({"rows": rows}))
    assert rows_html("<p>{a}</p>", []) == ""


def test_labels_are_the_choices_labels():
    assert labels(AssignmentStatus)["done"] == str(AssignmentStatus.DONE.label)


# The rows as the template wrote them before (assignments/list.html, 2026-11-30).
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% for a in assignments %}
    <tr>
      <td><a href="{% url 'assignments:detail' a.pk %}">{{ a.reference }}</a></td>
      <td>{{ a.title }}</td>
      <td>{{ a.request.unit.name }}</td>
      <td>{{ a.resource.full_name }}</td>
      <td>{{ a.status_label }}{% if a.completion %}<br><span class="small">{{ a.completion.status_label }}</span>{% endif %}</td>
      <td>{% for s in a.sessions.all %}{{ s.date.isoformat }}{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</td>
      <td>{% if a.agreement_now %}{% blocktranslate with v=a.agreement_now.version n=a.agreement_now.signatures.all|length %}"""
    """v{{ v }}: {{ n }} av 2{% endblocktranslate %}{% else %}–{% endif %}</td>
    </tr>{% endfor %}"""
)


@pytest.mark.django_db
def test_the_list_rows_are_the_markup_the_template_wrote(client, login, coordinator):
    for n in range(3):
        agreement = signed_agreement(signed=n % 2 == 0)
        if n:
            CompletionReport.objects.create(assignment=agreement.assignment, status=CompletionStatus.DISPUTED)
    odd = AssignmentFactory(status=AssignmentStatus.DRAFTING, title="<script>\"Ö\" & 'x'</script>")  # no agreement, no session
    SessionFactory(assignment=AssignmentFactory(status=AssignmentStatus.CANCELLED, cancel_reason="Sjuk", resource=odd.resource))
    login(client, coordinator)
    html = client.get("/samordning/uppdrag/?status=all").content.decode()
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    assignments = list(assignments_for_coordinators().order_by("-created_at", "-pk"))
    for a in assignments:
        a.agreement_now = live_agreement(a)
    assert len(assignments) == 5
    assert parse_html(body) == parse_html(TEMPLATE_ROWS.render(Context({"assignments": assignments})))
    assert "&lt;script&gt;&quot;Ö&quot; &amp; &#x27;x&#x27;&lt;/script&gt;" in body


@pytest.mark.parametrize("language", ["sv", "en"])
def test_long_dates_write_what_the_date_filter_writes(language):
    from datetime import UTC, date, datetime

    from django.utils import translation

    from config.rows import long_date, long_dates

    # 23:30 UTC is already the next day in Stockholm: both must show the local day.
    values = [datetime(2026, 12, 31, 23, 30, tzinfo=UTC), datetime(2026, 6, 1, 8, 0, tzinfo=UTC), date(2027, 3, 1), None]
    template = Template('{% for v in values %}{{ v|date:"j F Y" }};{% endfor %}')
    with translation.override(language):
        django = template.render(Context({"values": values})).split(";")[:-1]
        write = long_dates()
        assert [write(v) for v in values] == [long_date(v) for v in values] == django
    assert django[0] == ("1 januari 2027" if language == "sv" else "1 January 2027")
