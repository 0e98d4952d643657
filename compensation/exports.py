"""The files a batch becomes: payroll CSV and XLSX, an SIE 4 ledger file and a PDF summary.

Every file is a function of the batch's stored rows only, and carries no clock time: the
dates in it are the batch's own (`created_at`), so exporting again gives the same bytes.
The CSV is streamed row by row (a million lines in constant memory); see bench/payout_export.py.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from weasyprint import HTML

from assignments.models import Assignment
from compensation import selectors
from compensation.enums import LineKind, TaxStatus
from compensation.models import FeeLine, Payee, PayoutBatch
from compensation.money import file_amount, format_kr, sie_amount
from registry.models import ExperienceResource

HEADER = ["personnummer", "namn", "löneart", "antal", "belopp", "kostnadsställe", "period", "uppdrag"]
CHUNK = 5000


@dataclass(frozen=True)
class PayeeRow:
    personnummer: str
    name: str
    tax_status: str


def _distinct(batch: PayoutBatch, field: str) -> list[int]:
    return list(FeeLine.objects.filter(batch=batch).order_by().values_list(field, flat=True).distinct())


def _by_ids(queryset, field: str, ids: list[int], chunk: int = 10_000):
    """`queryset` filtered to `field IN ids`, from the given ids rather than a subquery: for a
    subquery of the batch's lines the planner guesses the batch's size and at national scale
    hashed all 2 million assignments (0.7 s for a batch of 7,000 lines) where these are index
    look-ups of the rows wanted. On PostgreSQL the ids go as one array (`= ANY(%s)`): an IN list
    of thousands of parameters costs more to build and parse than the look-ups themselves."""
    if connection.vendor == "postgresql":
        meta = queryset.model._meta
        column = f'"{meta.db_table}"."{(meta.pk if field == "pk" else meta.get_field(field)).column}"'
        yield from queryset.extra(where=[f"{column} = ANY(%s)"], params=[ids])  # noqa: S610 - names from the model
        return
    for start in range(0, len(ids), chunk):
        yield from queryset.filter(**{f"{field}__in": ids[start : start + chunk]})


def payee_rows(batch: PayoutBatch, people: list[int] | None = None) -> dict[int, PayeeRow]:
    """Decrypted once per person, not once per line."""
    people = _distinct(batch, "resource_id") if people is None else people
    return {
        p.resource_id: PayeeRow(p.personnummer, p.legal_name, p.tax_status)
        for p in _by_ids(Payee.objects.all(), "resource_id", people)
    }


def _names(people: list[int]) -> dict[int, str]:
    rows = _by_ids(ExperienceResource.objects.values_list("pk", "first_name", "last_name"), "pk", people)
    return {pk: f"{first} {last}" for pk, first, last in rows}


def _references(batch: PayoutBatch) -> dict[int, str]:
    return dict(_by_ids(Assignment.objects.values_list("pk", "reference"), "pk", _distinct(batch, "assignment_id")))


def payroll_rows(batch: PayoutBatch) -> Iterator[list[str]]:
    """One row per line, A-skatt only (F-skatt people invoice; they are in the PDF summary).

    Names and references are read once into dictionaries rather than joined into every one
    of a million rows: the line query then reads one table only.
    """
    people = _distinct(batch, "resource_id")
    payees = payee_rows(batch, people)
    names = _names(people)
    references = _references(batch)
    codes = settings.PAY_CODES
    expense = codes["expense"]
    lines = (
        FeeLine.objects.filter(batch=batch)
        .order_by("pk")
        .values_list("resource_id", "kind", "quantity", "amount_ore", "cost_centre", "on_date", "assignment_id")
    )
    f_skatt = {rid for rid, p in payees.items() if p.tax_status == TaxStatus.F_SKATT}
    for resource_id, kind, quantity, amount, cost_centre, on_date, assignment_id in lines.iterator(chunk_size=CHUNK):
        if resource_id in f_skatt:
            continue
        payee = payees.get(resource_id)
        yield [
            payee.personnummer if payee else "",
            payee.name if payee else names[resource_id],
            codes.get(kind, expense),
            str(quantity).replace(".", ","),
            file_amount(amount),
            cost_centre,
            on_date.isoformat()[:7],
            references[assignment_id],
        ]


def csv_chunks(batch: PayoutBatch) -> Iterator[bytes]:
    """UTF-8 with BOM and `;`, as Swedish Excel opens it; yielded in chunks for streaming."""
    if connection.vendor == "postgresql":
        yield from _csv_chunks_copy(batch)
    else:
        yield from _csv_chunks_python(batch)


def _header() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(HEADER)
    return "\ufeff".encode() + buffer.getvalue().encode()


def _csv_chunks_python(batch: PayoutBatch) -> Iterator[bytes]:
    yield _header()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    rows = []
    for row in payroll_rows(batch):
        rows.append(row)
        if len(rows) == CHUNK:
            writer.writerows(rows)
            rows.clear()
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(rows)
    yield buffer.getvalue().encode()


# The database formats the columns it holds (in C, via COPY); Python adds the decrypted
# personnummer and the name in front, the pay code, and the assignment's reference at the end,
# once per line, as bytes. This is what makes a million lines stream at the required rate;
# _csv_chunks_python is the same file (a test on PostgreSQL compares them byte for byte).
# The line table is read alone, in index order: no join. A batch just made has no statistics
# yet (the planner takes it for one row), and a join planned for one row became a million
# index look-ups of the assignment, most of the export's time.
COPY_LINES = """
COPY (
    SELECT l.resource_id, l.kind, l.assignment_id, replace(l.quantity::text, '.', ','),
           CASE WHEN l.amount_ore < 0 THEN '-' ELSE '' END || (abs(l.amount_ore) / 100)::text || ','
               || lpad((abs(l.amount_ore) % 100)::text, 2, '0'),
           l.cost_centre, to_char(l.on_date, 'YYYY-MM')
    FROM compensation_feeline l
    WHERE l.batch_id = {batch}
    ORDER BY l.id
) TO STDOUT (FORMAT csv, DELIMITER ';')
"""


def _fields(values: list[str]) -> bytes:
    """CSV fields as the writer quotes them, without a line ending."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="").writerow(values)
    return buffer.getvalue().encode()


def _prefixes(batch: PayoutBatch) -> tuple[dict[bytes, bytes], set[bytes]]:
    people = _distinct(batch, "resource_id")
    payees = payee_rows(batch, people)
    prefixes = {}
    for pk, name in _names(people).items():
        payee = payees.get(pk)
        prefixes[str(pk).encode()] = _fields([payee.personnummer if payee else "", payee.name if payee else name, ""])
    f_skatt = {str(pk).encode() for pk, p in payees.items() if p.tax_status == TaxStatus.F_SKATT}
    return prefixes, f_skatt


def _suffixes(batch: PayoutBatch) -> dict[bytes, bytes]:
    """`;reference` and the line ending, per assignment in the batch."""
    return {str(pk).encode(): _fields(["", reference]) + b"\r\n" for pk, reference in _references(batch).items()}


def _csv_chunks_copy(batch: PayoutBatch) -> Iterator[bytes]:
    yield _header()
    prefixes, f_skatt = _prefixes(batch)
    suffixes = _suffixes(batch)
    codes = {kind.encode(): code.encode() + b";" for kind, code in settings.PAY_CODES.items()}
    expense = codes[b"expense"]
    rest = b""
    with connection.cursor() as cursor, cursor.cursor.copy(COPY_LINES.format(batch=int(batch.pk))) as copy:
        for data in copy:
            lines = (rest + bytes(data)).split(b"\n")
            rest = lines.pop()
            out = []
            for line in lines:
                rid, kind, aid, middle = line.split(b";", 3)
                if rid in f_skatt:
                    continue
                out.append(prefixes[rid] + codes.get(kind, expense) + middle + suffixes[aid])
            if out:
                yield b"".join(out)


def csv_bytes(batch: PayoutBatch) -> bytes:
    return b"".join(csv_chunks(batch))


def _fixed_zip(data: bytes, when, replace: dict[str, bytes] | None = None) -> bytes:
    """openpyxl stamps the clock into the zip entries and docProps/core.xml; put the batch's time there.
    `replace` gives entries new contents (the payroll sheet's rows)."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename) or source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3),
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
COLUMNS = "ABCDEFGH"  # one per HEADER field
NUMERIC = {3, 4}  # quantity and amount: numbers, so Excel sums them
ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")  # what XML 1.0 cannot hold (openpyxl refuses them)


def _sheet_rows(rows, first: int) -> Iterator[str]:
    """The payroll rows as SpreadsheetML, the way openpyxl's write-only sheet writes them (inline
    strings, numbers as `t="n"`), but straight from the text: openpyxl builds an element per cell,
    which was most of the export's time. The numbers are the exact decimal text of the amounts."""
    for number, row in enumerate(rows, start=first):
        cells = []
        for column, value in zip(COLUMNS, row, strict=True):
            if COLUMNS.index(column) in NUMERIC:
                cells.append(f'<c r="{column}{number}" t="n"><v>{value.replace(",", ".")}</v></c>')
            elif value:  # an empty text is no cell, as openpyxl writes it
                text = escape(ILLEGAL_XML.sub("", value))
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{column}{number}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        yield f'<row r="{number}">{"".join(cells)}</row>'


def xlsx_bytes(batch: PayoutBatch) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "Levande bibliotek"
    workbook.properties.created = batch.created_at.replace(tzinfo=None)
    sheet = workbook.create_sheet(batch.reference)
    sheet.append(HEADER)
    raw = io.BytesIO()
    workbook.save(raw)
    # openpyxl writes the package and the header; the lines go into its sheet after the header.
    package = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    head, tail = package.read(SHEET).decode().split("</sheetData>")
    body = "".join(_sheet_rows(payroll_rows(batch), first=2))
    sheet_xml = f"{head}{body}</sheetData>{tail}".encode()
    return _fixed_zip(raw.getvalue(), timezone.localtime(batch.created_at), replace={SHEET: sheet_xml})


ACCOUNT_NAMES = {
    "fee": "Arvoden",
    "mileage_tax_free": "Skattefria bilersättningar",
    "mileage_taxable": "Skattepliktiga bilersättningar",
    "expense": "Resekostnader",
    "lost_income": "Ersättning för förlorad arbetsinkomst",
    "credit": "Skuld utbetalningar",
}


def _sie_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sie_bytes(batch: PayoutBatch) -> bytes:
    """SIE 4: one voucher for the batch, the cost per cost centre (dimension 1) and account,
    credited to the payout account. Encoded as SIE's PC8 (code page 437)."""
    accounts = settings.SIE_ACCOUNTS
    day = timezone.localtime(batch.created_at).strftime("%Y%m%d")
    year = batch.created_at.year
    sums = (
        FeeLine.objects.filter(batch=batch)
        .values("cost_centre", "unit__name", "kind")
        .annotate(total=Sum("amount_ore"))
        .order_by("cost_centre", "kind")
    )
    per_account: dict[tuple[str, str], int] = {}
    centres: dict[str, str] = {}
    for row in sums:
        account = accounts.get(row["kind"], accounts["expense"])
        per_account[(account, row["cost_centre"])] = per_account.get((account, row["cost_centre"]), 0) + row["total"]
        centres.setdefault(row["cost_centre"], row["unit__name"])
    used = sorted({account for account, _cc in per_account} | {accounts["credit"]})
    names = {accounts[key]: name for key, name in ACCOUNT_NAMES.items()}
    lines = [
        "#FLAGGA 0",
        '#PROGRAM "Levande bibliotek" 1.0',
        "#FORMAT PC8",
        f"#GEN {day}",
        "#SIETYP 4",
        f"#FNAMN {_sie_text(settings.REGION_NAME)}",
        f"#RAR 0 {year}0101 {year}1231",
        '#DIM 1 "Kostnadsställe"',
    ]
    lines += [f"#OBJEKT 1 {_sie_text(cc)} {_sie_text(name)}" for cc, name in sorted(centres.items())]
    lines += [f"#KONTO {account} {_sie_text(names.get(account, account))}" for account in used]
    lines.append(f'#VER "U" 1 {day} {_sie_text("Utbetalning " + batch.reference)}')
    lines.append("{")
    total = 0
    for (account, cc), amount in sorted(per_account.items()):
        lines.append(f"   #TRANS {account} {{1 {_sie_text(cc)}}} {sie_amount(amount)}")
        total += amount
    lines.append(f"   #TRANS {accounts['credit']} {{}} {sie_amount(-total)}")
    lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437", errors="replace")


def _pdf(template: str, context: dict, when) -> bytes:
    with translation.override("sv"):
        html = render_to_string(template, {**context, "stamp": when.strftime("%Y-%m-%dT%H:%M:%S")})
    return HTML(string=html).write_pdf()


def pdf_bytes(batch: PayoutBatch) -> bytes:
    payees = payee_rows(batch)
    f_skatt = [rid for rid, p in payees.items() if p.tax_status == TaxStatus.F_SKATT]
    invoices = (
        FeeLine.objects.filter(batch=batch, resource_id__in=f_skatt)
        .values("resource_id", "cost_centre")
        .annotate(total=Sum("amount_ore"))
        .order_by("resource_id", "cost_centre")
    )
    kinds = dict(LineKind.choices)
    return _pdf(
        "compensation/pdf/batch_summary.html",
        {
            "batch": batch,
            "by_cost_centre": [{**r, "total_kr": format_kr(r["total"])} for r in selectors.batch_by_cost_centre(batch)],
            "by_kind": [
                {**r, "label": kinds.get(r["kind"], r["kind"]), "total_kr": format_kr(r["total"])}
                for r in selectors.batch_by_kind(batch)
            ],
            "invoices": [{**r, "name": payees[r["resource_id"]].name, "total_kr": format_kr(r["total"])} for r in invoices],
            "total_kr": format_kr(batch.total_ore),
            "region": settings.REGION_NAME,
        },
        timezone.localtime(batch.created_at),
    )


def yearly_statement_pdf(resource, year: int, lines: list[FeeLine]) -> bytes:
    kinds = dict(LineKind.choices)
    total = sum(line.amount_ore for line in lines)
    taxable = sum(
        line.amount_ore for line in lines if line.kind in (LineKind.FEE, LineKind.MILEAGE_TAXABLE, LineKind.LOST_INCOME)
    )
    return _pdf(
        "compensation/pdf/yearly_statement.html",
        {
            "resource": resource,
            "year": year,
            "rows": [{"line": line, "kind": kinds.get(line.kind), "amount": format_kr(line.amount_ore)} for line in lines],
            "total_kr": format_kr(total),
            "taxable_kr": format_kr(taxable),
            "region": settings.REGION_NAME,
        },
        timezone.localtime(timezone.now()).replace(month=12, day=31, hour=0, minute=0, second=0, year=year),
    )
