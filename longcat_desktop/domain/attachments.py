"""Images and documents attached to a user message: the limits, and how documents are sent.

Every limit lives here, in one place, and the README documents them. Images are sent as image
parts to the models that read them; documents are sent to every model as text in the user's
message, each in a fenced block headed by its file name (see `message_with_documents`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

# The longest edge an image is sent with; a larger one is scaled down (aspect kept).
IMAGE_MAX_LONG_EDGE = 2048
# The largest encoded image sent (base64 adds a third on the wire); a larger one is
# re-encoded as JPEG at falling quality, then scaled down further.
IMAGE_MAX_BYTES = 4 * 1024 * 1024
# The largest file accepted at all (before any processing); a larger one is refused.
FILE_MAX_BYTES = 32 * 1024 * 1024
# The most text a document may carry into a message (about 250k tokens).
DOCUMENT_MAX_CHARS = 1_000_000
# The edge of the square thumbnails kept with each image (device pixels, for 2x screens).
THUMBNAIL_EDGE = 192
# A picture with at most this many distinct colours is a screenshot or a diagram: kept as PNG.
FEW_COLOURS = 4096

SUPPORTED_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".heic", ".heif"})
TEXT_SUFFIXES = frozenset(
    {
        ".txt", ".md", ".markdown", ".rst", ".csv", ".tsv", ".json", ".jsonl", ".log",
        ".xml", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".html", ".htm", ".css",
        ".py", ".pyi", ".js", ".jsx", ".ts", ".tsx", ".java", ".kt", ".c", ".h", ".cc",
        ".cpp", ".hpp", ".cs", ".go", ".rs", ".rb", ".php", ".swift", ".m", ".sh", ".bash",
        ".zsh", ".ps1", ".bat", ".sql", ".r", ".lua", ".pl", ".scala", ".dart", ".vue",
        ".tex", ".diff", ".patch", ".srt", ".env",
    }
)  # fmt: skip

# The fence's info string for a file's suffix, so the model (and the Markdown view) knows it.
_LANGUAGES = {
    ".py": "python", ".pyi": "python", ".js": "javascript", ".jsx": "jsx", ".ts": "typescript",
    ".tsx": "tsx", ".java": "java", ".kt": "kotlin", ".c": "c", ".h": "c", ".cc": "cpp",
    ".cpp": "cpp", ".hpp": "cpp", ".cs": "csharp", ".go": "go", ".rs": "rust", ".rb": "ruby",
    ".php": "php", ".swift": "swift", ".sh": "bash", ".bash": "bash", ".zsh": "bash",
    ".ps1": "powershell", ".sql": "sql", ".r": "r", ".lua": "lua", ".json": "json",
    ".jsonl": "json", ".xml": "xml", ".yaml": "yaml", ".yml": "yaml", ".toml": "toml",
    ".html": "html", ".htm": "html", ".css": "css", ".md": "markdown", ".markdown": "markdown",
    ".csv": "csv", ".tsv": "tsv", ".diff": "diff", ".patch": "diff", ".tex": "latex",
}  # fmt: skip

# What the model reads in place of a PDF's text when it has none (a scan).
NO_TEXT_NOTE = "[This PDF has no text layer (it may be a scan), so its content cannot be read.]"


class AttachmentKind(StrEnum):
    IMAGE = "image"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment as a message or draft refers to it: the content's identity and facts, and
    the name it was attached under. The bytes stay in the store until asked for."""

    sha256: str
    kind: AttachmentKind
    name: str
    media_type: str
    size: int
    width: int | None = None
    height: int | None = None
    # A document's text as sent; empty when it has none (a scanned PDF).
    text: str = ""

    @property
    def is_image(self) -> bool:
        return self.kind is AttachmentKind.IMAGE


@dataclass(frozen=True, slots=True)
class PreparedAttachment:
    """A file after processing, ready to be stored: the bytes to send and a thumbnail."""

    attachment: Attachment
    data: bytes
    thumbnail: bytes | None = None


class AttachmentRefused(ValueError):
    """A file that cannot be attached; the message says why, in the user's language."""


def language_of(name: str) -> str:
    return _LANGUAGES.get(PurePath(name).suffix.lower(), "text")


def _fence(text: str) -> str:
    # Longer than any run of backticks inside, so the content can never close the block.
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def document_block(name: str, text: str) -> str:
    """One document as the model reads it: its name on a line, then its text fenced."""
    body = text if text.strip() else NO_TEXT_NOTE
    fence = _fence(body)
    return f"{name}\n{fence}{language_of(name)}\n{body.rstrip(chr(10))}\n{fence}"


def message_with_documents(text: str, documents: Sequence[Attachment]) -> str:
    """The user's text, then a blank line and each document's block, blank-line separated."""
    blocks = [document_block(doc.name, doc.text) for doc in documents]
    return "\n\n".join([text, *blocks] if text else blocks)


def estimated_tokens(text: str) -> int:
    """A quick, deliberately generous estimate: about 4 characters a token for ASCII text, one
    token a character for the rest (CJK)."""
    ascii_chars = sum(1 for char in text if ord(char) < 128)
    return (ascii_chars + 3) // 4 + (len(text) - ascii_chars)


def image_tokens(width: int | None, height: int | None) -> int:
    """About what an image costs a vision model (pixels / 750, as platforms document)."""
    if not width or not height:
        return 1600
    return max(85, (width * height) // 750)
