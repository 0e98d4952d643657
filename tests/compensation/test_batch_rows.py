"""A batch page's rows are written by `rows_html`: the same markup the template loop wrote."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.urls import reverse

from compensation import selectors
from compensation.enums import LineKind
from compensation.models import FeeLine
from compensation.money import format_kr
from compensation.services import create_batch, mark_exported, reverse_line
from tests.compensation.factories import amount_model, done_assignment, held
from tests.compensation.test_payouts import people_with_fees
from tests.factories import ExperienceResourceFactory

pytestmark = pytest.mark.django_db

# The rows as the template wrote them before (finance_batch.html, 2026-11-30).
TEMPLATE_ROWS = Template(
    """{% load i18n %}{% translate "Skäl till återföring" as reason_label %}{% translate "Återför" as reverse_label %}"""
    """{% for line in lines %}<tr><td>{{ line.on_date|date:"Y-m-d" }}</td><td>{{ line.assignment__reference }}</td>"""
    """<td>{{ line.name }}</td><td>{{ line.kind_label }}</td><td class="text-end">{{ line.amount_kr }}</td>
  <td>{% if line.action %}
    <form method="post" action="{{ line.action }}" class="d-flex gap-1">{% csrf_token %}
      <label class="visually-hidden" for="reason-{{ line.pk }}">{{ reason_label }}</label>
      <input class="form-control form-control-sm" id="reason-{{ line.pk }}" name="reason" required>
      <button type="submit" class="btn btn-sm btn-outline-danger">{{ reverse_label }}</button></form>"""
    """{% else %}{{ line.done }}{% endif %}</td></tr>{% endfor %}"""
)


def template_rows(batch, csrf_token) -> str:
    kinds = {kind: str(label) for kind, label in LineKind.choices}
    batch.refresh_from_db()
    reversible = batch.status != "created"
    lines = [
        {
            **line,
            "amount_kr": format_kr(line["amount_ore"]),
            "kind_label": kinds.get(line["kind"], line["kind"]),
            "name": f"{line['resource__first_name']} {line['resource__last_name']}".strip(),
            "done": "Återföring" if line["reverses_id"] else "Återförd" if line["reversed"] else "",
            "action": reverse("compensation:line_reverse", args=[line["pk"]])
            if reversible and not line["reverses_id"] and not line["reversed"]
            else "",
        }
        for line in selectors.batch_lines(batch)
    ]
    return TEMPLATE_ROWS.render(Context({"lines": lines, "csrf_token": csrf_token}))


def page_rows(client, batch) -> tuple[str, str]:
    html = client.get(reverse("compensation:batch", args=[batch.pk])).content.decode()
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert len(tokens) <= 1  # one masked token for the rows' forms, as the template's csrf_token
    return body, (tokens.pop() if tokens else "")


def test_the_rows_are_the_markup_the_template_wrote(settings, client, login, finance):
    settings.COMPENSATION_AUTO_APPROVE = True
    amount_model()
    people_with_fees(1)
    odd = ExperienceResourceFactory(first_name='Åsa & <Berg> "x"', last_name="O'Hara")
    done_assignment([held(date(2026, 3, 10)), held(date(2026, 3, 17))], resource=odd)
    login(client, finance)
    first = create_batch(period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), actor=finance)

    body, token = page_rows(client, first)  # not exported: no forms
    assert "<form" not in body and parse_html(body) == parse_html(template_rows(first, token))

    mark_exported(first, actor=finance)
    reverse_line(FeeLine.objects.filter(batch=first, resource=odd).first(), reason="Fel datum", actor=finance)
    second = create_batch(period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), actor=finance)
    for batch in (first, second):
        body, token = page_rows(client, batch)
        assert parse_html(body) == parse_html(template_rows(batch, token)), f"{body}\n---\n{template_rows(batch, token)}"
    body, _ = page_rows(client, first)
    assert body.count("<form") == 3 and "Återförd" in body and "Åsa &amp; &lt;Berg&gt; &quot;x&quot; O&#x27;Hara" in body
