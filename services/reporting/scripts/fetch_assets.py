"""Fetch the dashboard's charting library (Apache ECharts 5) from the npm registry into `.cache/web`.

The browser that shows the dashboard may have no internet, so the service serves the file itself at
`/static/echarts.min.js`; nothing is loaded from a CDN. Run once (it is a no-op when the file exists):

    python services/reporting/scripts/fetch_assets.py [--prefix .cache/web]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ECHARTS = Path("node_modules/echarts/dist/echarts.min.js")


def fetch(prefix: Path) -> Path:
    target = prefix / ECHARTS
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to fetch echarts (apt-get install npm)")
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), "echarts@5"], check=True)
    if not target.is_file():
        raise SystemExit(f"npm finished but {target} is missing")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=REPO / ".cache" / "web")
    args = parser.parse_args(argv)
    print(fetch(args.prefix))
    return 0


if __name__ == "__main__":
    sys.exit(main())
