"""The public SSDA903 validator (csc-validator-be-903) on a folder of CSV files, through its own
classes: LacValidator reads the files and runs every rule of the rule set, Report gathers the
failing rows and create_issue_df lists them. Used by `hearth bench returns`.

    python run903.py DIR RULESET COLLECTION_YEAR LA_CODE ISSUES.csv STATS.json

ISSUES.csv gets one line per issue and field: rule_code,tables_affected,row_id,child_id,
columns_affected. STATS.json gets the phases' seconds, the rules that crashed or were skipped,
and the process's peak resident memory.
"""

import importlib
import json
import logging
import resource
import sys
import time
from pathlib import Path

started = time.perf_counter()

from lac_validator.lac_validator import LacValidator, create_issue_df  # noqa: E402
from lac_validator.report import Report  # noqa: E402
from lac_validator.utils import process_uploaded_files  # noqa: E402

folder, ruleset, year, la_code, issues_path, stats_path = sys.argv[1:7]
# The validator logs every rule at INFO; keep warnings and the rules that crash.
logging.getLogger().setLevel(logging.WARNING)

registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
files = sorted(str(p) for p in Path(folder).glob("*.csv"))
imported = time.perf_counter()

validator = LacValidator(
    metadata={"collectionYear": year, "localAuthority": la_code},
    files=process_uploaded_files({"This year": files}),
    registry=registry,
)
validated = time.perf_counter()

report = Report(validator.ds_results, registry)
issues = create_issue_df(report.report, report.error_report)
columns = ["rule_code", "tables_affected", "row_id", "child_id", "columns_affected"]
issues[columns].to_csv(issues_path, index=False)
done = time.perf_counter()

with open(stats_path, "w") as out:
    json.dump(
        {
            "phases": [
                ["start and import", imported - started],
                ["read and run the rules", validated - imported],
                ["report and write the issues", done - validated],
            ],
            "rules": len(registry),
            "crashed": [str(code) for code in validator.fails],
            "skipped": len(validator.skips),
            "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        },
        out,
    )
