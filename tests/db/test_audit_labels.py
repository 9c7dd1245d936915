"""Every audit action recorded anywhere in the code has a Dutch label (audit view, filter list, CLI, CSV).

The source is scanned with ``ast``: calls to ``record(...)`` (``AuditLog.record``) and to the small
wrappers that forward their first argument to it (``self._log(action, ...)``) must name the action as a
string literal, a conditional between literals, or a constant of ``db.audit``; anything else fails, so
a new action cannot slip past without a label. Only ``AuditLog.record`` itself and private wrappers
(``_name``) may pass an action parameter on.
"""
import ast
from pathlib import Path

import db.audit
from db.audit import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("core", "db", "gui", "cli", "tools")
RECORD = "record"


def _source_files() -> list[Path]:
    files = [ROOT / "main.py"] if (ROOT / "main.py").exists() else []
    for folder in SOURCE_DIRS:
        if (ROOT / folder).is_dir():
            files += sorted((ROOT / folder).rglob("*.py"))
    return files


def _callee(call: ast.Call) -> str | None:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def _action_arg(call: ast.Call) -> ast.expr | None:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "action"), None)


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    a = fn.args
    names = {x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)}
    names |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
    return names


def _forwards_param(arg: ast.expr | None, params: set[str]) -> bool:
    """The call passes its caller's own parameter (``action`` or ``*args``) on: the caller is a wrapper."""
    if isinstance(arg, ast.Starred):
        arg = arg.value
    return isinstance(arg, ast.Name) and arg.id in params


def _wrappers(tree: ast.AST) -> set[str]:
    """Private functions of this module (``_log``) that forward their action argument to ``record`` (or to
    another wrapper); their callers are checked instead. A public function that forwards an action could be
    called from anywhere, so its forwarding call is reported as undeterminable."""
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
             and n.name.startswith("_")]
    found: set[str] = set()
    while True:
        more = {fn.name for fn in funcs if fn.name not in found and any(
            isinstance(c, ast.Call) and _callee(c) in found | {RECORD} and _forwards_param(_action_arg(c), _params(fn))
            for c in ast.walk(fn))}
        if not more:
            return found
        found |= more


def _codes(expr: ast.expr) -> list[str] | None:
    """The action codes an expression can evaluate to, or None when that cannot be told from the source."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        a, b = _codes(expr.body), _codes(expr.orelse)
        return None if a is None or b is None else a + b
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else None
    value = getattr(db.audit, name, None) if name else None       # a constant defined in db/audit.py
    return [value] if isinstance(value, str) else None


def scan(source: str, where: str = "<source>") -> tuple[dict[str, list[str]], list[str]]:
    """(action code -> places it is recorded, places whose action cannot be determined)."""
    tree = ast.parse(source)
    wrappers = _wrappers(tree)
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    forwarding = set()                    # calls inside a wrapper that pass its own parameter on
    for fn in funcs:
        if fn.name in wrappers or fn.name == RECORD:
            forwarding |= {id(c) for c in ast.walk(fn) if isinstance(c, ast.Call)
                           and _forwards_param(_action_arg(c), _params(fn))}
    codes: dict[str, list[str]] = {}
    unknown: list[str] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or _callee(call) not in wrappers | {RECORD} or id(call) in forwarding:
            continue
        place = f"{where}:{call.lineno}"
        arg = _action_arg(call)
        found = _codes(arg) if arg is not None else None
        if found is None:
            unknown.append(f"{place}: {ast.unparse(call)[:100]}")
            continue
        for code in found:
            codes.setdefault(code, []).append(place)
    return codes, unknown


def recorded_actions() -> tuple[dict[str, list[str]], list[str]]:
    codes: dict[str, list[str]] = {}
    unknown: list[str] = []
    for path in _source_files():
        c, u = scan(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
        for code, places in c.items():
            codes.setdefault(code, []).extend(places)
        unknown += u
    return codes, unknown


def test_every_recorded_action_has_a_dutch_label():
    codes, unknown = recorded_actions()
    assert not unknown, ("audit action not a literal or a db.audit constant, so its label cannot be checked: "
                         f"{unknown}")
    missing = {code: places for code, places in codes.items() if code not in ACTION_LABELS}
    assert not missing, f"audit actions without a Dutch label in db.audit.ACTION_LABELS: {missing}"


def test_scan_sees_the_actions_recorded_through_methods_and_wrappers():
    """Guards the scanner itself: it must find codes from AuditLog's own methods, direct calls and ``_log``."""
    codes, _ = recorded_actions()
    assert {"view", "change", "export", "print", "import", "audit_export",          # db/audit.py
            "login", "lock", "setup", "account",                                     # db/accounts.py (+ _log)
            "anonymise", "retention",                                                # db/gdpr.py
            "reference_add", "reference_edit", "reference_bottleneck_list_remove",   # db/reference_repo.py _log
            } <= set(codes)


def test_scan_flags_a_new_action_and_an_undeterminable_one():
    src = '''
class Repo:
    def _log(self, action, entity, entity_id, details=None):
        if self.audit is not None:
            self.audit.record(action, entity, entity_id, details)

    def _note(self, *args):
        self._log(*args)

    def work(self, what):
        self._note("brand_new_action", "x", 1)
        self.audit.record(action="login")
        self._log("a" if what else "b", "x", 1)
        self._log(what, "x", 1)
'''
    codes, unknown = scan(src)
    assert set(codes) == {"brand_new_action", "login", "a", "b"}
    assert len(unknown) == 1 and "self._log(what" in unknown[0]
    assert "brand_new_action" not in ACTION_LABELS


def test_labels_are_distinct_and_dutch():
    labels = [action_label(code) for code in ACTION_LABELS]
    assert all(label.strip() for label in labels)
    assert len(set(labels)) == len(labels), "two actions would look the same in the filter list"
    assert action_label("reference_add") == "beroep toegevoegd"
    assert action_label("unknown_code") == "unknown_code"        # never crashes on an old or foreign code


# -- what an entry is about, and its details, as the listing shows them ---------------------------------
_ENTITY_POSITION = {"record": 1, "_log": 1, "viewed": 0, "changed": 0, "created": 0, "deleted": 0,
                    "exported": 1, "printed": 1, "imported": 1}


def recorded_entities() -> dict[str, list[str]]:
    """Entity codes passed as literals to ``AuditLog`` (and ``_log`` wrappers) anywhere in the source."""
    found: dict[str, list[str]] = {}
    for path in _source_files():
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(call, ast.Call) or _callee(call) not in _ENTITY_POSITION:
                continue
            pos = _ENTITY_POSITION[_callee(call)]
            arg = call.args[pos] if len(call.args) > pos else next(
                (k.value for k in call.keywords if k.arg == "entity"), None)
            for code in (_codes(arg) or []) if arg is not None else []:
                found.setdefault(code, []).append(f"{path.relative_to(ROOT)}:{call.lineno}")
    return found


def test_every_recorded_entity_has_a_dutch_label():
    from db.audit import ENTITY_LABELS
    found = recorded_entities()
    assert {"worker", "dossier", "account", "plan", "occupation", "meta"} <= set(found)
    missing = {code: places for code, places in found.items() if code and code not in ENTITY_LABELS}
    assert not missing, f"audit entities without a Dutch label in db.audit.ENTITY_LABELS: {missing}"


def test_entity_and_details_in_dutch():
    from db.audit import AuditEntry, details_text, entity_label, entity_text
    assert entity_label("worker") == "werknemer" and entity_label("iets_nieuws") == "iets_nieuws"
    assert entity_text(AuditEntry(1, "", "x", "setting", "meta", "idle_lock_minutes")) == \
        "instelling vergrendeling na inactiviteit (minuten)"
    assert entity_text(AuditEntry(1, "", "x", "logout", "", "")) == ""
    assert details_text({"event": "first_admin", "login": "beheer", "encrypted": True}) == \
        "eerste beheerder; login beheer; versleuteld: ja"
    assert details_text({"count": 30, "first_id": 1, "last_id": 30}) == "aantal: 30; nrs. 1 t/m 30"
    assert details_text({"count": 1, "first_id": 31, "last_id": 31}) == "aantal: 1; nr. 31"
    assert details_text({"event": "created", "login": "an", "role": "consulent"}) == \
        "aangemaakt; login an; rol: consulent"
    assert details_text({"what": "inzage (AVG art. 15)", "destination": "/tmp/x", "sensitive_fields": []}) == \
        "inzage (AVG art. 15); naar /tmp/x"
    assert details_text({"what": "trajectplan", "sensitive_fields": ["limitations"]}) == \
        "trajectplan; gevoelige gegevens: functionele beperkingen"
    assert details_text({"fields": ["birth_date", "surname"], "values_mac": "ab12"}) == \
        "velden: geboortedatum, naam"
    assert details_text({"old": 15, "new": 30}) == "van 15 naar 30"
    assert details_text({"old": None, "new": 7}) == "van — naar 7"
    assert details_text({"during": "idle_lock"}) == "bij ontgrendelen"
    assert details_text({"brand_new": 1}) == "brand_new: 1"          # an unknown key is still shown
    assert details_text({}) == ""
