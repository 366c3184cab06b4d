"""How documents read to the model: each in a fenced block under its file name."""

from __future__ import annotations

from longcat_desktop.domain.attachments import (
    NO_TEXT_NOTE,
    Attachment,
    AttachmentKind,
    estimated_tokens,
    image_tokens,
    message_with_documents,
)


def _doc(name: str, text: str) -> Attachment:
    return Attachment("0" * 64, AttachmentKind.DOCUMENT, name, "text/plain", len(text), text=text)


def test_documents_follow_the_text_each_fenced_under_its_name() -> None:
    text = message_with_documents(
        "Compare these.", [_doc("a.py", "print(1)\n"), _doc("notes.txt", "two\nlines")]
    )
    assert text == (
        "Compare these.\n\na.py\n```python\nprint(1)\n```\n\nnotes.txt\n```text\ntwo\nlines\n```"
    )


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    text = message_with_documents("", [_doc("README.md", "```sh\nls\n```\n")])
    assert text == "README.md\n````markdown\n```sh\nls\n```\n````"


def test_a_document_without_text_says_so() -> None:
    text = message_with_documents("What is this?", [_doc("scan.pdf", "")])
    assert NO_TEXT_NOTE in text
    assert text.startswith("What is this?\n\nscan.pdf\n```text\n")


def test_token_estimates_count_cjk_per_character_and_images_by_pixels() -> None:
    assert estimated_tokens("abcd" * 100) == 100
    assert estimated_tokens("你好世界") == 4
    assert image_tokens(1000, 750) == 1000
    assert image_tokens(None, None) > 0
