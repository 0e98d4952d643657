"""The region's seal on a signed agreement's PDF: a PAdES signature made with pyHanko.

The seal covers the whole file, so any changed byte shows in a PDF reader ("the document has
been altered") and in `validate_seal()`. The certificate and key come from
AGREEMENT_SEAL_CERT_FILE and AGREEMENT_SEAL_KEY_FILE (PEM); `manage.py make_seal_cert` makes
a self-signed pair for development, which `make run` calls when the files are missing. A
region uses a certificate from its own PKI (or a qualified seal) in production.

RSA, not an elliptic curve: pyHanko raises the file to PDF 2.0 for ECDSA (ISO 32002), and
PDF/A-3 is built on PDF 1.7.

The rendered file's XMP metadata is kept as it is: pyHanko would otherwise parse and rewrite
it in the seal's revision (its producer and modification date), keeping only what its model
understands — it turns the PDF/A extension schema's namespace URI (a text value) into an
rdf:resource, and reads only the first rdf:RDF. The rendered metadata already identifies
the file as PDF/A-3a and PDF/UA-1 (assignments.documents.render), and the info dictionary
is left alone too, so the two stay in agreement as PDF/A requires.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import io
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "Sigill"
SIGNATURE_BYTES = 16384


class _SealSigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses the private key again for every raw signature (two per
    seal: a dry run to size the signature, then the real one), and cryptography checks an RSA
    key thoroughly on each parse: 0.1-0.4 s each, most of the seal's time. This parses it once."""

    _parsed_key = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        if self._parsed_key is None:
            self._parsed_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        return self._parsed_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


@functools.lru_cache(maxsize=2)
def _load_signer(cert_file: str, key_file: str, chain_file: str, passphrase: str, _versions: tuple) -> _SealSigner:
    loaded = signers.SimpleSigner.load(
        key_file,
        cert_file,
        ca_chain_files=(chain_file,) if chain_file else None,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if loaded is None:
        raise ImproperlyConfigured("The agreement seal's certificate or key could not be read.")
    return _SealSigner(signing_cert=loaded.signing_cert, signing_key=loaded.signing_key, cert_registry=loaded.cert_registry)


def signer() -> signers.SimpleSigner:
    """The region's signer, loaded once per process (again when a file changes)."""
    cert_file, key_file = Path(settings.AGREEMENT_SEAL_CERT_FILE), Path(settings.AGREEMENT_SEAL_KEY_FILE)
    if not (cert_file.is_file() and key_file.is_file()):
        raise ImproperlyConfigured(
            f"The agreement seal needs AGREEMENT_SEAL_CERT_FILE ({cert_file}) and AGREEMENT_SEAL_KEY_FILE ({key_file}); "
            "for development run `manage.py make_seal_cert`."
        )
    chain_file = str(settings.AGREEMENT_SEAL_CHAIN_FILE or "")
    versions = (
        cert_file.stat().st_mtime_ns,
        key_file.stat().st_mtime_ns,
        Path(chain_file).stat().st_mtime_ns if chain_file else 0,
    )
    return _load_signer(str(cert_file), str(key_file), chain_file, settings.AGREEMENT_SEAL_KEY_PASSPHRASE or "", versions)


def _run(make_coroutine):
    """pyHanko is asyncio inside. Where an event loop already runs in this thread (an async
    view, Playwright's sync API in the browser tests), asyncio.run() is refused, so the
    coroutine runs on its own loop in a helper thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


class _KeepMetadataWriter(IncrementalPdfFileWriter):
    """An incremental writer that leaves the document's metadata (XMP stream and info
    dictionary) untouched instead of rewriting it on write. The seal's own fields (reason,
    location, time) are in its signature dictionary, not in the document's metadata."""

    def _update_meta(self):
        return None


def seal_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """The same PDF with the region's PAdES seal added as an incremental update (the rendered
    bytes, metadata included, stay as they were; the signature covers them and itself)."""
    writer = _KeepMetadataWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )
    # A fixed reservation instead of pyHanko's dry run to size it, which builds the whole CMS
    # structure once more (half the seal's time). The region's certificate chain and an RSA
    # signature take about 2-5 KB; a longer chain raises an error here rather than a bad file.
    seal_signer = signer()
    return _run(lambda: signers.async_sign_pdf(writer, metadata, signer=seal_signer, bytes_reserved=SIGNATURE_BYTES)).getvalue()


def validate_seal(pdf: bytes, *, trust_roots: list | None = None) -> PdfSignatureStatus:
    """pyHanko's verdict on the file's seal, with the configured certificate as the trust root
    unless others are given. `status.bottom_line` is True only for an intact, trusted seal
    that covers the entire file."""
    if trust_roots is None:
        trust_roots = [load_cert_from_pemder(settings.AGREEMENT_SEAL_CERT_FILE)]
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        raise ValueError("The PDF carries no seal.")
    context = ValidationContext(trust_roots=trust_roots)
    return _run(lambda: async_validate_pdf_signature(signatures[-1], context))


def make_self_signed(cert_file: Path, key_file: Path, *, common_name: str, days: int = 3650) -> None:
    """A self-signed certificate and key for development and tests; never for production."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.REGION_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    Path(cert_file).parent.mkdir(parents=True, exist_ok=True)
    Path(key_file).parent.mkdir(parents=True, exist_ok=True)
    Path(key_file).write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    Path(key_file).chmod(0o600)
    Path(cert_file).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
