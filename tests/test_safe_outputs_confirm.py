"""--yes confirms after the subcommand as well as before it (the advice 'herhaal het commando met --yes'
must work wherever the user puts it)."""
import io
import sys

import pytest

from cli.app import build_parser, run


@pytest.fixture
def demo(tmp_path, monkeypatch, capsys):
    from db.connection import set_session_key
    db = str(tmp_path / "w.db")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))      # no terminal: a question cannot be asked

    def call(*args):
        capsys.readouterr()
        try:
            return run(["--db", db, *args]), capsys.readouterr()
        finally:
            set_session_key(None)
    assert call("demo", "--workers", "4")[0] == 0
    return call


def test_anonymise_asks_and_the_advice_works_after_the_subcommand(demo):
    code, out = demo("gdpr", "anonymise", "--worker", "1")
    assert code == 2 and "--yes" in out.err
    for args in (["gdpr", "anonymise", "--worker", "1", "--yes"], ["gdpr", "anonymise", "-y", "--worker", "2"],
                 ["gdpr", "--yes", "anonymise", "--worker", "3"], ["--yes", "gdpr", "anonymise", "--worker", "4"]):
        code, out = demo(*args)
        assert code == 0, out.err
        assert "geanonimiseerd" in out.out


def test_every_subcommand_accepts_yes_after_it():
    import argparse
    parser = build_parser()

    def walk(p, path):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield path + [name], sub
                    yield from walk(sub, path + [name])
    for path, sub in walk(parser, []):
        assert "--yes" in sub._option_string_actions, path


def test_the_global_yes_is_not_lost_behind_a_subcommand():
    parser = build_parser()
    args = parser.parse_args(["--yes", "gdpr", "anonymise", "--worker", "1"])
    assert args.assume_yes is True
    args = parser.parse_args(["gdpr", "anonymise", "--worker", "1"])
    assert getattr(args, "assume_yes", False) is False
    # a subcommand with a --yes of its own (import-workers) no longer resets the global one
    args = parser.parse_args(["--yes", "import-workers", "lijst.xlsx", "--dossier", "1"])
    assert args.assume_yes is True and args.yes is False
