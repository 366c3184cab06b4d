"""Names shown to the model for tools of several servers: valid, unique, and mapped back."""

from __future__ import annotations

from longcat_desktop.tools.naming import VALID_NAME, ToolRef, model_names


def test_a_unique_valid_name_is_kept() -> None:
    names = model_names([ToolRef("time", "get_current_time"), ToolRef("git", "git_status")])
    assert names == {
        "get_current_time": ToolRef("time", "get_current_time"),
        "git_status": ToolRef("git", "git_status"),
    }


def test_colliding_names_get_their_server_as_prefix_and_map_back_exactly() -> None:
    a, b = ToolRef("files", "search"), ToolRef("web search", "search")
    names = model_names([a, b])
    assert names == {"files__search": a, "web_search__search": b}


def test_invalid_names_are_cleaned_and_still_unique() -> None:
    refs = [ToolRef("s", "read.file"), ToolRef("s", "read file"), ToolRef("s", "x" * 80)]
    names = model_names(refs)
    assert all(VALID_NAME.match(name) for name in names)
    assert sorted(names.values(), key=lambda r: r.tool) == sorted(refs, key=lambda r: r.tool)
    assert len(names) == 3


def test_prefixes_that_still_collide_are_numbered() -> None:
    refs = [ToolRef("a.b", "t"), ToolRef("a b", "t"), ToolRef("a_b", "t")]
    names = model_names(refs)
    assert len(names) == 3
    assert set(names.values()) == set(refs)
