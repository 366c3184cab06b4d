"""Cleaning the model's reply into a title."""

from __future__ import annotations

from longcat_desktop.services.title_service import clean_title


def test_model_replies_are_cleaned_into_one_plain_line() -> None:
    assert clean_title('"SSE in brief."') == "SSE in brief"
    assert clean_title("Title: **Rust ownership**\nmore") == "Rust ownership"
    assert clean_title("「快速排序简介」。") == "快速排序简介"
    assert clean_title("   ") == ""
