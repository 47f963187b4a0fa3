#!/usr/bin/env python3
"""Summarizes an Autobahn fuzzingclient report (index.json) per listener and fails on any case
that FAILED or closed wrongly, except the known ones listed in docs/conformance.md."""
import collections
import json
import sys

# Case id -> why it may fail now and then (docs/conformance.md, "Known").
KNOWN = {
    "5.7": "a pong can follow the echo of a message completed in the same read (two writers)",
}
BAD_CLOSE = {"FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT"}


def case_key(case):
    return [int(part) for part in case.split(".")]


def main(path):
    with open(path) as handle:
        index = json.load(handle)
    failures = []
    print("| listener | cases | OK | NON-STRICT | INFORMATIONAL | UNIMPLEMENTED | FAILED | bad close |")
    print("|---|---|---|---|---|---|---|---|")
    for agent, cases in sorted(index.items()):
        counts = collections.Counter(case["behavior"] for case in cases.values())
        bad_close = sum(1 for case in cases.values() if case["behaviorClose"] in BAD_CLOSE)
        print(
            f"| {agent} | {len(cases)} | {counts['OK']} | {counts['NON-STRICT']} | {counts['INFORMATIONAL']} "
            f"| {counts['UNIMPLEMENTED']} | {counts['FAILED']} | {bad_close} |"
        )
        for case, result in sorted(cases.items(), key=lambda item: case_key(item[0])):
            if result["behavior"] == "FAILED" or result["behaviorClose"] in BAD_CLOSE:
                failures.append((agent, case, result["behavior"], result["behaviorClose"]))
            elif result["behavior"] in ("NON-STRICT", "UNIMPLEMENTED"):
                print(f"  {agent} {case}: {result['behavior']}")
    unexpected = [failure for failure in failures if failure[1] not in KNOWN]
    for agent, case, behavior, close in failures:
        note = f" (known: {KNOWN[case]})" if case in KNOWN else ""
        print(f"  {agent} {case}: {behavior}, close {close}{note}")
    if unexpected:
        print(f"{len(unexpected)} case(s) failed; see the HTML report beside {path}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "index.json"))
