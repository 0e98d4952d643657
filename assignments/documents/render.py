"""An agreement version's frozen content → HTML → PDF (WeasyPrint), in Swedish, on A4.

The PDF is PDF/A-3a: archivable (fonts embedded, sRGB output intent, XMP metadata) and, by
the "a" conformance level, tagged — a structure tree with headings, lists and tables, the
document language and its title shown — which is what screen readers read. WeasyPrint 70
takes one `pdf_variant` at a time; pdf/a-3a turns on the same tagging (`pdf_tags`) that
pdf/ua-1 does, and `AgreementMetadata` adds what pdf/ua-1 would add to the XMP metadata, the
PDF/UA identifier (`pdfuaid:part="1"`), with the PDF/A extension schema that declares it (PDF/A
allows only XMP properties that are standard or declared). So the file identifies itself as
both PDF/A-3a and PDF/UA-1; the seal keeps that metadata stream as it is (assignments.seal).

Only `Agreement.content` (what the parties saw and signed) and the signatures go into the
text: nothing is read again from the assignment, which may have changed since.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML
from weasyprint.pdf.metadata import DocumentMetadata

from assignments.enums import Party
from assignments.models import Agreement

PDF_VARIANT = "pdf/a-3a"
PDFUA_PART = "1"

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
_EXTENSION_NS = {
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
for _prefix, _uri in _EXTENSION_NS.items():
    ElementTree.register_namespace(_prefix, _uri)

# ISO 19005 6.6.2.3: an XMP property outside the XMP 2005 schemas needs an extension schema
# in the file. This is the declaration of pdfuaid:part that PDF/A-and-UA files carry.
_PDFUA_EXTENSION_SCHEMA = f"""<rdf:Description rdf:about="" xmlns:rdf="{_RDF}"
 xmlns:pdfaExtension="{_EXTENSION_NS["pdfaExtension"]}"
 xmlns:pdfaSchema="{_EXTENSION_NS["pdfaSchema"]}"
 xmlns:pdfaProperty="{_EXTENSION_NS["pdfaProperty"]}">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{_PDFUAID}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


class AgreementMetadata(DocumentMetadata):
    """WeasyPrint's metadata for pdf/a-3a, plus the PDF/UA-1 identifier and its extension
    schema, in the same rdf:RDF (readers, pyHanko among them, read only the first one)."""

    def generate_rdf_metadata(self, variant, version, conformance):
        # Both parsed texts are made here (WeasyPrint's and the constant), never received.
        rdf = ElementTree.fromstring(super().generate_rdf_metadata(variant, version, conformance))  # noqa: S314
        identifier = ElementTree.SubElement(rdf, f"{{{_RDF}}}Description")
        identifier.set(f"{{{_RDF}}}about", "")
        identifier.set(f"{{{_PDFUAID}}}part", PDFUA_PART)
        rdf.append(ElementTree.fromstring(_PDFUA_EXTENSION_SCHEMA))  # noqa: S314
        return ElementTree.tostring(rdf, encoding="utf-8")


# How a signature's method reads in the PDF. The e-mailed code is the one built-in method
# (assignments.services.signing); another method without a label here shows its code name.
METHOD_LABELS = {
    "email_code": _("Engångskod via e-post"),
}

# Crockford's base32 without I, L, O and U: nothing to misread when typing it off paper.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """E.g. OK-7K3Q-X9MP-2RTD (överenskommelse): 60 random bits, so a reference cannot be guessed on the public
    verification page from an assignment's (sequential) reference."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"OK-{body[:4]}-{body[4:8]}-{body[8:]}"


def normalise_reference(typed: str) -> str:
    """What someone typed, as stored: upper case, no spaces, and the letters that look like
    digits read as the digits."""
    cleaned = "".join(typed.split()).upper().replace("–", "-").replace("—", "-")
    if "-" not in cleaned and len(cleaned) == 14:  # typed without dashes
        cleaned = f"{cleaned[:2]}-{cleaned[2:6]}-{cleaned[6:10]}-{cleaned[10:]}"
    prefix, _sep, rest = cleaned.partition("-")
    rest = rest.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{prefix}-{rest}" if rest else prefix


def verification_url(reference: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('assignments:verify')}?referens={reference}"


@dataclass(frozen=True)
class SignatureLine:
    party: str
    name: str
    signed_at: object
    method: str


def _parse_date(value: str):
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def context_for(agreement: Agreement, *, reference: str) -> dict:
    content = agreement.content
    signatures = [
        SignatureLine(
            party=str(Party(s.party).label) if s.party in Party.values else s.party,
            name=s.signer_name,
            signed_at=timezone.localtime(s.signed_at),
            method=str(METHOD_LABELS.get(s.method, s.method)),
        )
        for s in agreement.signatures.all()
    ]
    sessions = [{**s, "date": _parse_date(s.get("date"))} for s in content.get("sessions", [])]
    url = verification_url(reference)
    qr = segno.make(url, error="m")
    return {
        "agreement": agreement,
        "c": content,
        "sessions": sessions,
        "signatures": signatures,
        "region_name": content.get("region") or settings.REGION_NAME,
        "reference": reference,
        "verification_url": url,
        "qr_svg": qr.svg_inline(scale=3, border=0, omitsize=False),
        "signed_at": timezone.localtime(agreement.signed_at) if agreement.signed_at else None,
    }


def render_html(agreement: Agreement, *, reference: str) -> str:
    # Swedish whatever language the worker or the signer uses: this is the text that was signed.
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("assignments/pdf/agreement.html", context_for(agreement, reference=reference))


def render_pdf(agreement: Agreement, *, reference: str) -> bytes:
    html = render_html(agreement, reference=reference)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(pdf_variant=PDF_VARIANT)
    document.metadata = AgreementMetadata(**vars(document.metadata))
    return document.write_pdf(pdf_variant=PDF_VARIANT)
