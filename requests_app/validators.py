import io
import re
import zipfile
from pathlib import PurePosixPath

import filetype
import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What an attachment may be, told apart by content (magic numbers), never by its name. A .docx
# is a zip file: filetype recognises it by the Word parts inside, so a plain zip or a program
# renamed to .docx or .pdf is refused.
ALLOWED_ATTACHMENTS = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


# A Word file unpacks to many times its size, but not a thousand: a zip bomb does.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
# The first bytes of programs: Windows (MZ), Linux (ELF), macOS (Mach-O, fat), Java class, scripts.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
EXECUTABLE_ENDINGS = {
    ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf",
    ".hta", ".jar", ".sh", ".lnk", ".cpl", ".pif", ".app", ".elf", ".so", ".dylib",
}  # fmt: skip
# What makes a page of a PDF into a web page when a browser sniffs it.
HTML_MARKERS = (b"<html", b"<script", b"<body", b"<!doctype", b"<iframe", b"<svg", b"<object", b"<embed")


def download_name(uploaded_name: str, stored_name: str) -> tuple[str, str]:
    """The name and content type a stored attachment is served with.

    The type is the one checked at upload (kept as the stored file's ending), never guessed
    from what the uploader called the file; the name keeps letters, digits, spaces and
    `-_.()`, and always ends in that type's ending, so `a";filename="evil.exe";x=".pdf` is
    served as a PDF named `a_filename_evil.exe_x_.pdf`.
    """
    ending = PurePosixPath(stored_name).suffix.lower()
    types = {v: k for k, v in ALLOWED_ATTACHMENTS.items()}
    content_type = types.get(ending, "application/octet-stream")
    stem = uploaded_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if stem.lower().endswith(ending):
        stem = stem[: -len(ending)]
    stem = re.sub(r"[^\w \-.()]+", "_", stem, flags=re.UNICODE).strip(" ._")[:100] or "bilaga"
    return f"{stem}{ending}", content_type


def validate_cost_centre(value: str) -> None:
    if not re.fullmatch(settings.COST_CENTRE_PATTERN, value or ""):
        raise ValidationError(
            _("Kostnadsstället har fel format. Skriv det som i exemplet: %(example)s.")
            % {"example": settings.COST_CENTRE_EXAMPLE},
            code="cost_centre",
        )


def validate_attachment(upload) -> str:
    """Checks size and real type; returns the file ending that belongs to the type found."""
    limit = settings.REQUEST_ATTACHMENT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(_("Filen är för stor. Den får vara högst %(mb)d MB.") % {"mb": limit}, code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_ATTACHMENTS:
        raise ValidationError(_("Filen måste vara en PDF eller ett Word-dokument."), code="wrong_type")
    content = upload.read()
    upload.seek(0)
    # The magic number says only what the file claims to be: open it as that.
    problem = {"application/pdf": _pdf_problem, "application/msword": _doc_problem}.get(mime, _docx_problem)(content)
    if problem:
        raise ValidationError(problem, code="unsafe")
    return ALLOWED_ATTACHMENTS[mime]


def _pdf_problem(content: bytes) -> str:
    lowered = content.lower()
    if any(marker in lowered for marker in HTML_MARKERS):
        return _("Filen ser ut att vara både en PDF och en webbsida. Spara den som PDF igen och bifoga den nya filen.")
    if b"%%eof" not in lowered[-2048:]:
        return _("Filen är ingen hel PDF. Spara den som PDF igen och bifoga den nya filen.")
    return ""


def _doc_problem(content: bytes) -> str:
    """An old Word file (.doc) is an OLE2 compound file with a WordDocument stream."""
    broken = _("Filen går inte att öppna som ett Word-dokument. Spara den som .docx eller PDF och försök igen.")
    if not olefile.isOleFile(data=content):
        return broken
    try:
        with olefile.OleFileIO(io.BytesIO(content)) as ole:
            if not ole.exists("WordDocument"):
                return broken
            if ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR"):
                return _("Word-dokument med makron tas inte emot. Spara det som .docx eller PDF och försök igen.")
    except Exception:  # noqa: BLE001 - olefile raises many kinds of error on a damaged file; all mean "not Word"
        return broken
    return ""


def _docx_problem(content: bytes) -> str:
    """A Word file (.docx) is a zip with the parts Word needs, and nothing that runs."""
    broken = _("Filen går inte att öppna som ett Word-dokument. Spara den som .docx eller PDF och försök igen.")
    unsafe = _("Filen innehåller något annat än ett Word-dokument (till exempel ett program) och tas inte emot.")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
            if len(entries) > MAX_ZIP_ENTRIES or not {"[Content_Types].xml", "word/document.xml"} <= names:
                return broken
            if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
                return unsafe
            for entry in entries:
                name = PurePosixPath(entry.filename.lower())
                if name.suffix in EXECUTABLE_ENDINGS or name.name == "vbaproject.bin":
                    return unsafe
                if not entry.is_dir():
                    with archive.open(entry) as member:  # reads at most the entry's declared size
                        if member.read(4).startswith(EXECUTABLE_MAGIC):
                            return unsafe
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, RuntimeError):
        return broken
    return ""
