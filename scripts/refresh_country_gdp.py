#!/usr/bin/env python3
"""Writes data/curated/country_gdp.csv: every country's GDP and population
estimate, the mass of silkroute's default gravity trade weights.

Source: Natural Earth 1:110m Admin 0 – Countries (public domain), fields
GDP_MD (GDP, million current USD) and POP_EST, as packaged in the PyPI wheel
geopandas==0.14.4 (geopandas/datasets/naturalearth_lowres, where GDP_MD is
renamed gdp_md_est; see naturalearth_creation.py in the same wheel). ISO
3166-1 alpha-3 → alpha-2 from the PyPI wheel pycountry==26.2.16
(databases/iso3166-1.json). Both wheels come from PyPI with `pip download`;
nothing else is fetched. The output is deterministic.

    python3 scripts/refresh_country_gdp.py
"""
import csv
import json
import pathlib
import struct
import subprocess
import sys
import tempfile
import zipfile

WHEELS = ["geopandas==0.14.4", "pycountry==26.2.16"]
OUT = pathlib.Path(__file__).resolve().parent.parent / "data/curated/country_gdp.csv"


def dbf_rows(data: bytes, encoding: str):
    """The records of a dBase III file (fields N and C only)."""
    count, header_len, record_len = struct.unpack("<xxxxIHH", data[:12])
    fields, at = [], 32
    while data[at] != 0x0D:
        name = data[at : at + 11].split(b"\0")[0].decode()
        fields.append((name, data[at + 16]))
        at += 32
    for i in range(count):
        rec = data[header_len + i * record_len : header_len + (i + 1) * record_len]
        if rec[:1] == b"*":  # deleted
            continue
        p, row = 1, {}
        for name, length in fields:
            row[name] = rec[p : p + length].decode(encoding).strip()
            p += length
        yield row


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp, *WHEELS],
            check=True,
        )
        wheels = {w.name.split("-")[0]: w for w in pathlib.Path(tmp).glob("*.whl")}
        with zipfile.ZipFile(wheels["geopandas"]) as z:
            base = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
            dbf = z.read(base + ".dbf")
            # The shapefile's code page file names the text encoding.
            cpg = z.read(base + ".cpg").decode().strip()
            cpg = {"1252": "cp1252"}.get(cpg, cpg)
        with zipfile.ZipFile(wheels["pycountry"]) as z:
            iso = json.loads(z.read("pycountry/databases/iso3166-1.json"))["3166-1"]
    alpha2 = {c["alpha_3"]: c["alpha_2"] for c in iso}
    # Natural Earth's own A3 codes where ISO has none (its -99 rows get ADM0_A3).
    alpha2.update({"KOS": "XK"})
    rows, skipped = [], []
    for r in dbf_rows(dbf, cpg):
        a2 = alpha2.get(r["iso_a3"])
        gdp = float(r["gdp_md_est"] or 0)
        if a2 is None or gdp <= 0:
            skipped.append(f"{r['name']} ({r['iso_a3']})")
            continue
        rows.append((a2, r["name"], f"{gdp:.0f}", f"{float(r['pop_est']):.0f}"))
    rows.sort()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso2", "name", "gdp_musd", "pop_est"])
        w.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} countries); skipped: {', '.join(skipped) or 'none'}")


if __name__ == "__main__":
    main()
