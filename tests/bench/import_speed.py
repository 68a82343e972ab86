"""How long reading Moodle files takes: GIFT and Moodle XML built to be slow (deep nesting, long
runs of special characters, huge attributes; the lists the domain tests feed to the readers to
check they never crash), and a file of multiple-choice questions just under the 1 MB limit.

Run: .venv/bin/python tests/bench/import_speed.py [--repeat N]

Times are CPU seconds of this process (time.process_time, best of --repeat), so other work on the
machine barely moves them. The last line is JSON: {"hostile_gift_worst_ms": .., "hostile_xml_worst_ms":
.., "megabyte_gift_ms": .., "megabyte_xml_ms": .., "megabyte_gift_questions": ..,
"megabyte_xml_questions": ..}. A teacher's upload is read in the request: a few hundred milliseconds
at worst is the aim.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from quizapp.domain.formats.gift import import_gift  # noqa: E402
from quizapp.domain.formats.moodle_xml import import_moodle_xml  # noqa: E402
from quizapp.domain.problems import BankFileError  # noqa: E402
from tests.domain.test_moodle import HOSTILE_GIFT, megabyte_gift  # noqa: E402
from tests.domain.test_moodle_xml import hostile, megabyte_xml  # noqa: E402


def cpu_ms(read: Callable[[], object], repeat: int) -> float:
    """The least CPU time of `repeat` calls, in milliseconds (a refused file counts as read)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        with contextlib.suppress(BankFileError):
            read()
        best = min(best, time.process_time() - start)
    return best * 1000


def main(argv: list[str] | None = None) -> dict[str, float | int]:
    """Time every file, print each figure, and the JSON summary last."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    gift_times = [cpu_ms(lambda g=g: import_gift(g, "h.gift"), args.repeat) for g in HOSTILE_GIFT]
    xml_times = [cpu_ms(lambda x=x: import_moodle_xml(x, "h.xml"), args.repeat) for x in hostile()]
    for kind, times in (("GIFT", gift_times), ("Moodle XML", xml_times)):
        for i, ms in enumerate(times):
            print(f"hostile {kind} #{i}: {ms:.1f} ms")
    gift, xml = megabyte_gift(), megabyte_xml()
    summary: dict[str, float | int] = {
        "hostile_gift_worst_ms": round(max(gift_times), 1),
        "hostile_xml_worst_ms": round(max(xml_times), 1),
        "megabyte_gift_ms": round(cpu_ms(lambda: import_gift(gift), args.repeat), 1),
        "megabyte_xml_ms": round(cpu_ms(lambda: import_moodle_xml(xml), args.repeat), 1),
        "megabyte_gift_questions": len(import_gift(gift).questions),
        "megabyte_xml_questions": len(import_moodle_xml(xml).questions),
    }
    print(json.dumps(summary), flush=True)
    return summary


if __name__ == "__main__":
    main()
