"""Every dashboard page against a running system: p50/p95 of each page, beside `/v1/kpis/summary` for the same
question in the same run (the baseline: what one request to projections costs).

    .venv/bin/python bench/web_bench.py --web http://127.0.0.1:8000 --projections http://127.0.0.1:8002 \\
        --key "$(cat .coprod/dev-api-key)" --email me@example.org --password-file pw.txt

Pages are asked in turn, `--rounds` times each, signed in as the account given (an officer sees most). Nothing
new arrives meanwhile, so projections answers from its cache of answers: the figures measure the web's own work
and its requests to projections, not the database.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import httpx

PAGES = ["/", "/trends", "/where", "/commitments", "/training", "/feedback", "/opportunities", "/activities",
         "/board-pack", "/board-pack.xlsx"]


def _timed(call: httpx.Client, path: str, params: dict[str, str], rounds: int) -> list[float]:
    found = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = call.get(path, params=params)
        found.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return found


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--web", default="http://127.0.0.1:8000")
    parser.add_argument("--projections", default="http://127.0.0.1:8002")
    parser.add_argument("--key", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--from", dest="start", default=None)
    parser.add_argument("--to", dest="end", default=None)
    args = parser.parse_args()
    params = {k: v for k, v in {"from": args.start, "to": args.end}.items() if v}
    with httpx.Client(base_url=args.web, timeout=60) as web, httpx.Client(
        base_url=args.projections, headers={"Authorization": f"Bearer {args.key}"}, timeout=60
    ) as projections:
        form = web.get("/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "no form token on the sign-in page"
        answer = web.post("/sign-in", data={"email": args.email, "password": args.password_file.read_text().strip(),
                                            "csrf_token": token.group(1)})
        assert answer.status_code == 303, "signing in failed"
        baseline = _timed(projections, "/v1/kpis/summary", params, args.rounds)
        base95 = _p(baseline, 95)
        print(f"{'what':<28}{'p50 ms':>9}{'p95 ms':>9}{'p95 / summary p95':>20}")
        print(f"{'GET /v1/kpis/summary':<28}{_p(baseline, 50):>9.1f}{base95:>9.1f}{1:>20.2f}")
        for path in PAGES:
            times = _timed(web, path, params, args.rounds)
            print(f"{'page ' + path:<28}{_p(times, 50):>9.1f}{_p(times, 95):>9.1f}{_p(times, 95) / base95:>20.2f}")


if __name__ == "__main__":
    main()
