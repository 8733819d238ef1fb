"""The public CIN census validator (csc-validator-be-cin) on a census XML, through its own
functions and class: convert_data and process_data turn the XML into tables, CinValidator runs
every rule of the rule set and lists the issues. Used by `hearth bench returns`.

    python runcin.py CENSUS.xml RULESET ISSUES.csv STATS.json

ISSUES.csv gets one line per issue and field: rule_code,tables_affected,row_id,child_id,
columns_affected (the validator's own list, which leaves out the Header and whole-return issues).
STATS.json gets the phases' seconds, the rules that crashed and the process's peak resident memory.
"""

import contextlib
import importlib
import io
import json
import re
import resource
import sys
import time
import xml.etree.ElementTree as ET

started = time.perf_counter()

from cin_validator.cin_validator import CinValidator, convert_data, process_data  # noqa: E402

census_path, ruleset, issues_path, stats_path = sys.argv[1:5]
registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
imported = time.perf_counter()

tables = process_data(convert_data(ET.parse(census_path).getroot()))
read = time.perf_counter()

# The validator prints "Error with rule CODE: ..." for each rule that crashes, and goes on.
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    validator = CinValidator(tables, registry)
issues = validator.full_issue_df.dropna(subset=["row_id"])
issues = issues.assign(row_id=issues["row_id"].astype("int64"))
columns = ["rule_code", "tables_affected", "row_id", "child_id", "columns_affected"]
issues[columns].to_csv(issues_path, index=False)
done = time.perf_counter()

with open(stats_path, "w") as out:
    json.dump(
        {
            "phases": [
                ["start and import", imported - started],
                ["read the XML into tables", read - imported],
                ["run the rules, report and write the issues", done - read],
            ],
            "rules": len(registry),
            "crashed": re.findall(r"Error with rule (\S+):", printed.getvalue()),
            "skipped": 0,
            "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        },
        out,
    )
