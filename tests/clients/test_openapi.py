"""schemathesis against `/openapi.json`: for a bounded number of generated
requests per endpoint, no 5xx, every status documented, every body shaped
as the spec says, and every failure a JSON `{code, message}`."""

import subprocess
import sys
import os


def test_schemathesis_finds_no_server_errors_and_no_schema_violations(server):
    exe = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    result = subprocess.run(
        [
            exe,
            "run",
            f"{server}/openapi.json",
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            os.environ.get("SCHEMATHESIS_EXAMPLES", "12"),
            "--seed",
            "20261202",
            "--request-timeout",
            "120",
            "--phases",
            "examples,coverage,fuzzing",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(result.stdout[-6000:])
    print(result.stderr[-2000:])
    assert result.returncode == 0, "schemathesis found failures (see the output above)"
