"""Compiled templates kept on disk: the same documents, and never a cache that could be
someone else's or that breaks a run."""

from __future__ import annotations

import os

import jinja2
import pytest

from derive.render.formats import REGISTRY
from derive.render.template_cache import bytecode_cache
from derive.render.templates import builtin_templates

pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership checks")


def _environment(family: str, cache) -> jinja2.Environment:
    from derive.render import templates as render

    options = dict(render._TEX_DELIMITERS) if family == "tex" else {}
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(builtin_templates())),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True,
                             bytecode_cache=cache, **options)
    env.filters.update(render.FILTERS)
    return env


@pytest.mark.parametrize("fmt", ["md", "tex", "slides"])
def test_a_cached_template_renders_the_same_bytes(fmt, tmp_path, monkeypatch, sigmoid_view):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    entry, family = REGISTRY[fmt].entry, REGISTRY[fmt].family
    compiled = _environment(family, None).get_template(entry).render(**sigmoid_view)
    first = _environment(family, bytecode_cache(family)).get_template(entry).render(**sigmoid_view)
    stored = list((tmp_path / "derive" / "templates" / family).iterdir())
    assert stored  # the first run wrote its compiled templates
    second = _environment(family, bytecode_cache(family)).get_template(entry).render(**sigmoid_view)
    assert first == second == compiled


def test_each_delimiter_family_has_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert bytecode_cache("tex").directory != bytecode_cache("plain").directory


def test_a_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "derive" / "templates" / "plain"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert bytecode_cache("plain") is None


def test_folders_are_made_private_whatever_the_umask(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    old = os.umask(0o002)  # Debian's user-private-group default makes folders 775
    try:
        assert bytecode_cache("plain") is not None
    finally:
        os.umask(old)
    assert (tmp_path / "cache" / "derive").stat().st_mode & 0o777 == 0o700


def test_a_parent_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert bytecode_cache("plain") is not None
    (tmp_path / "derive").chmod(0o777)  # someone else could swap templates/ for their own
    assert bytecode_cache("plain") is None


def test_a_cache_that_cannot_be_made_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert bytecode_cache("plain") is None


def test_a_cache_that_cannot_be_written_leaves_rendering_alone(tmp_path, monkeypatch,
                                                              sigmoid_view):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = bytecode_cache("plain")
    os.rmdir(cache.directory)  # gone after it was chosen: every write fails, even for root
    text = _environment("plain", cache).get_template("md/index.md.j2").render(**sigmoid_view)
    assert text.startswith("# The derivative of the sigmoid function")


def test_a_corrupt_entry_is_compiled_afresh(tmp_path, monkeypatch, sigmoid_view):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = _environment("plain", None).get_template("md/index.md.j2").render(**sigmoid_view)
    _environment("plain", bytecode_cache("plain")).get_template("md/index.md.j2")
    for entry in (tmp_path / "derive" / "templates" / "plain").iterdir():
        entry.write_bytes(entry.read_bytes()[:40])  # the header survives, the code does not
    again = _environment("plain", bytecode_cache("plain")).get_template("md/index.md.j2")
    assert again.render(**sigmoid_view) == expected


def test_derive_no_cache_turns_it_off(monkeypatch):
    monkeypatch.setenv("DERIVE_NO_CACHE", "1")
    assert bytecode_cache("plain") is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty"])
def test_a_corrupted_entry_is_never_executed(damage, tmp_path, monkeypatch, sigmoid_view):
    """A damaged compiled template used to be unmarshalled and run ("unknown opcode", a
    segfault). Its digest no longer matches: it is dropped and the template compiled again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    entry, family = REGISTRY["md"].entry, REGISTRY["md"].family
    expected = _environment(family, None).get_template(entry).render(**sigmoid_view)
    _environment(family, bytecode_cache(family)).get_template(entry)
    stored = sorted((tmp_path / "derive" / "templates" / family).iterdir())
    assert stored
    for path in stored:
        data = bytearray(path.read_bytes())
        if damage == "truncate":
            data = data[: len(data) // 2]
        elif damage == "flip":
            for i in range(40, len(data), 97):  # opcodes scrambled past the header
                data[i] ^= 0x5A
        else:
            data = bytearray()
        path.write_bytes(bytes(data))
    # In a child: were a damaged entry executed, it could kill the interpreter outright.
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(__import__('pathlib').Path(__file__).parent)!r})
        from test_template_cache import _environment
        from derive.render.template_cache import bytecode_cache
        env = _environment({family!r}, bytecode_cache({family!r}))
        env.get_template({entry!r})  # runs the module code of what it loaded
        print('ok')
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)}, timeout=120)
    assert result.returncode == 0 and result.stdout == 'ok\n', result.stderr
    # and in process, the same bytes as a fresh compile
    again = _environment(family, bytecode_cache(family)).get_template(entry).render(**sigmoid_view)
    assert again == expected
