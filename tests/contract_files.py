"""The extension's contract for the tests: its schema, and its example page's golden config and outputs."""
from __future__ import annotations

import json

import jsonschema

from fixture_projects import CONTRACT

SCHEMA = json.loads((CONTRACT / "pycells.schema.json").read_text(encoding="utf-8"))
GOLDEN_CONFIG = json.loads((CONTRACT / "example-config.json").read_text(encoding="utf-8"))
GOLDEN_OUTPUTS = json.loads((CONTRACT / "example-outputs.json").read_text(encoding="utf-8"))


def problems(part, data):
    """What in `data` breaks the schema's `part` ("pageConfig", "hostResult", ...), one line each."""
    validator = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{part}", "$defs": SCHEMA["$defs"]})
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(data)]


def shown(outputs):
    """Outputs as the golden file holds them: a figure without its PNG."""
    return [{key: value for key, value in output.items() if key != "png"} for output in outputs]
