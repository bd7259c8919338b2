"""Belt and Road before/after, and a Red Sea sweep, from Python.

    python crates/silkroute-py/examples/belt_and_road.py [--network FILE] [--engine local|ray] [--out PNG]

1. Before/after: shipment times between the 100 built-in Belt and Road
   cities with and without the curated projects of the network
   (`net.bri_impact()`, the CLI's `silkroute bri-impact`), per country.
2. A Red Sea sweep: Asia–Europe pairs under the named `red-sea-2024`
   scenario (Bab-el-Mandeb and Suez closed) and under a range of extra
   costs per FEU for passing Bab-el-Mandeb (`silkroute.sweep`). The
   surcharges are a hypothetical sensitivity range, not data: the question
   is at which surcharge the cheapest routes leave the Red Sea.

Writes a two-panel PNG (default: belt_and_road.png next to this file) and
prints the tables it plots.
"""

import argparse
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import silkroute  # noqa: E402

ASIA = ["Shanghai, CN", "Shenzhen, CN", "Ningbo, CN", "Singapore, SG", "Ho Chi Minh City, VN", "Mumbai, IN", "Karachi, PK", "Busan, KR", "Bangkok, TH", "Jakarta, ID"]
EUROPE = ["Rotterdam, NL", "Hamburg, DE", "Antwerp, BE", "Piraeus, GR", "Genoa, IT", "Barcelona, ES", "Felixstowe, GB", "Gdansk, PL"]
SURCHARGES_USD_PER_FEU = [100, 250, 400, 500, 600, 700, 800, 900, 1000, 1250, 1500]


def surcharge(usd: int) -> dict:
    return {
        "id": f"babalmandab-plus-{usd}",
        "name": f"Bab-el-Mandeb +{usd} USD/FEU",
        "source": "hypothetical sensitivity sweep (examples/belt_and_road.py)",
        "slowdown": [{"passage": "babalmandab", "cost_usd_per_feu": usd}],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", default=os.environ.get("SILKROUTE_NETWORK"))
    ap.add_argument("--engine", default="local", choices=["local", "ray"])
    ap.add_argument("--out", default=str(Path(__file__).with_name("belt_and_road.png")))
    args = ap.parse_args()

    net = silkroute.Network.open(args.network)

    # 1. Belt and Road before/after, per country.
    bri = net.bri_impact()
    print(f"Belt and Road projects: mean change in shipment time {bri.attrs['mean_change_pct']:.2f} % ({len(bri)} countries)")
    print(bri[["country", "cities", "pairs", "improved", "mean_change_pct", "largest_change_pair"]].head(15).to_string(index=False))

    # 2. The Red Sea sweep.
    od = [(a, b) for a in ASIA for b in EUROPE]
    scenarios = ["red-sea-2024"] + [surcharge(u) for u in SURCHARGES_USD_PER_FEU]
    if args.engine == "ray":
        import ray

        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(num_cpus=2, _node_ip_address="127.0.0.1", include_dashboard=False, log_to_driver=False)
    table = silkroute.sweep(scenarios, od, engine=args.engine, workers=2, network=net)
    summary = (
        table.assign(rerouted=table.status == "rerouted")
        .groupby("scenario", sort=False)
        .agg(pairs=("from", "size"), rerouted=("rerouted", "mean"), delta_usd=("delta_usd", "mean"), delta_days=("delta_hours", "mean"))
    )
    summary["delta_days"] /= 24
    summary = summary.loc[[s if isinstance(s, str) else s["id"] for s in scenarios]]
    print()
    print(summary.to_string(float_format=lambda x: f"{x:.2f}"))

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    top = bri.nsmallest(15, "mean_change_pct").iloc[::-1]
    left.barh(top["country"], top["mean_change_pct"], color="#b5473a")
    left.set_xlabel("mean change in shipment time with the projects (%)")
    left.set_title(f"Belt and Road before/after: {len(bri)} countries, mean {bri.attrs['mean_change_pct']:.2f} %")
    sweep = summary.drop(index="red-sea-2024")
    right.plot(SURCHARGES_USD_PER_FEU, 100 * sweep["rerouted"], "o-", color="#2c6e9b", label="pairs rerouted (%)")
    right.axhline(100 * summary.loc["red-sea-2024", "rerouted"], ls="--", color="#2c6e9b", alpha=0.6, label="red-sea-2024 closure: rerouted (%)")
    right.set_xlabel("extra cost for passing Bab-el-Mandeb (USD/FEU, hypothetical)")
    right.set_ylabel("Asia–Europe pairs rerouted (%)")
    right.set_ylim(0, 105)
    twin = right.twinx()
    twin.plot(SURCHARGES_USD_PER_FEU, sweep["delta_usd"], "s-", color="#6b8e23", label="mean added cost (USD/FEU)")
    twin.axhline(summary.loc["red-sea-2024", "delta_usd"], ls=":", color="#6b8e23", alpha=0.8, label="red-sea-2024 closure: added cost (USD/FEU)")
    twin.set_ylabel("mean added cost per FEU (USD)")
    right.set_title(f"Red Sea sweep: {len(ASIA)}×{len(EUROPE)} pairs, cheapest surface routes")
    lines = right.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    right.legend(lines[0] + more[0], lines[1] + more[1], loc="center right", fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
