"""Check a YAML file's shape against its JSON Schema, in words staff understand.

jsonschema's own messages ("None is not of type 'string'") are written for
programmers; staff editing YAML need to hear which field, on which line,
and what to type instead.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from importlib import resources
from types import ModuleType
from typing import Any

from policybook.errors import DataProblem
from policybook.yaml_source import YamlDoc


def _import_jsonschema() -> ModuleType:
    """Import jsonschema without the optional IRI checker, which takes 1.3 s to load.

    jsonschema loads `rfc3987_syntax` (which compiles a grammar at import) for
    the "iri" formats, which our schemas never use; every `policybook`
    command would pay that second. Hiding it only while jsonschema imports
    leaves it importable for any other code.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        import jsonschema

        return jsonschema
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema
    finally:
        del sys.modules["rfc3987_syntax"]
    return jsonschema


jsonschema = _import_jsonschema()


@cache
def schema(name: str) -> dict[str, Any]:
    """One of the JSON Schemas shipped in `policybook/schema/`."""
    text = resources.files("policybook.schema").joinpath(f"{name}.schema.json").read_text()
    return json.loads(text)


def schema_problems(doc: YamlDoc, schema_name: str) -> list[DataProblem]:
    """Shape errors, each pointing at the offending field's line."""
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    problems = []
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(e.absolute_path)):
        problems.append(doc.problem(_error_field(error), *_explain(error)))
    return problems


def _error_field(error: jsonschema.ValidationError) -> tuple:
    """The field a schema error is about: for a missing or unknown field, that field itself."""
    where = tuple(error.absolute_path)
    if error.validator in ("required", "additionalProperties"):
        names = re.findall(r"'([^']+)'", error.message)
        if names:
            return where + (names[0],)
    return where


def _explain(error: jsonschema.ValidationError) -> tuple[str, str]:
    """Turn a JSON Schema error into (what is wrong, how to fix it) in plain words."""
    field = error.absolute_path[-1] if error.absolute_path else "the file"
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else error.message
        return f"the field '{name}' is missing", f"add '{name}:' with a value"
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        return (
            f"unknown field(s): {', '.join(extra)}",
            "check the spelling against the other entries, or remove the field",
        )
    if error.validator == "type" and not error.absolute_path:
        return (
            "the file should be a set of 'name: value' fields (id:, title:, ...), "
            f"but it is {_TYPE_WORDS.get(_json_type(error.instance), 'something else')}",
            "compare it with another file of the same kind and follow its layout",
        )
    if error.validator == "type":
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        wanted_words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        found = _TYPE_WORDS.get(_json_type(error.instance), "something else")
        # An item of a list is named by its place, counted from 1 as staff count.
        subject = f"item {field + 1} of this list" if isinstance(field, int) else f"'{field}'"
        fix = f"write {subject} as {wanted_words}"
        if "string" in wanted:
            fix += " (put it in double quotes if YAML reads it as a number, list or yes/no)"
        return f"{subject} should be {wanted_words}, but it is {found}", fix
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"'{error.instance}' is not allowed here", f"use one of: {allowed}"
    if error.validator == "pattern":
        return f"'{error.instance}' is not in the expected form", _pattern_hint(str(field))
    if error.validator in ("minLength", "minItems"):
        return f"'{field}' is empty", f"give '{field}' a value"
    return error.message, "see the schema in src/policybook/schema/ for the expected shape"


#: JSON Schema type names as staff would say them.
_TYPE_WORDS = {
    "string": "text",
    "null": "empty",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "yes/no (true or false)",
    "array": "a list of '- ' items",
    "object": "a group of 'name: value' fields",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _pattern_hint(field: str) -> str:
    if field == "id":
        return (
            "version ids are YYYY-MM (e.g. 2026-09); section and clause ids are lowercase words "
            "joined by '-' and '.', e.g. conduct.no-grievances"
        )
    if field == "content_hash":
        return "do not edit content_hash by hand; `policybook publish` writes it"
    if field == "language":
        return "use a language tag such as en-GB"
    return "compare with the same field in another entry"
