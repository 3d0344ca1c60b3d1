#!/usr/bin/env python3
"""gen_sim.py — the standard "sim" workload of docs BENCHMARKS.md, deterministic.

Writes OUT/portfolio.csv (exposure CSV, docs/simulation.md columns) and
OUT/catalogue.json (systemic events) for `cyberins simulate`:
  policies: 20 industries uniform; revenue bands ¥10M, ¥50M, ¥200M, ¥1B, ¥5B,
  log-uniform within ±50%; grades A–E with .10/.25/.35/.20/.10; coverages bi,
  data, ir, pr, legal, breach with sublimits; aggregate limit by band ¥1M, ¥3M,
  ¥5M, ¥10M, ¥20M; retention ¥10k–¥200k; BI waiting period 8, 12 or 24 h;
  one cloud provider of 8 (.30 .20 .15 .10 .08 .07 .05 .05), one OS family of
  4, one VPN vendor of 12 (Zipf s = 1), one e-mail provider of 6.
  catalogue: 1,000 cloud_outage (by cloud provider), 3,000 mass_exploit (by
  VPN vendor or OS family), 1,000 ransomware_campaign (by industry); annual
  rates add up to 2.0, smaller footprints more frequent (rate ∝ footprint^-a,
  a solved so that the expected systemic hits are ≈ 2,000 a year for 100,000
  policies); hit probability log-uniform 2%–30%; outage duration lognormal,
  median 8 h, σ 1.0.
Only random.Random(seed).random() is used, whose sequence Python keeps stable.
usage: gen_sim.py --policies N --out DIR [--seed 1] [--events 5000] [--hits 2000]
"""
import argparse
import json
import math
import os
import random

SECTIONS = "ABCDEFGHIJKLMNOPQRST"
BANDS = [(10e6, 1e6), (50e6, 3e6), (200e6, 5e6), (1e9, 10e6), (5e9, 20e6)]
GRADES = [("A", .10), ("B", .25), ("C", .35), ("D", .20), ("E", .10)]
CLOUDS = [("aliyun", .30), ("tencent_cloud", .20), ("huawei_cloud", .15), ("ctyun", .10),
          ("baidu_cloud", .08), ("volcengine", .07), ("aws_china", .05), ("azure_china", .05)]
OSES = [("windows", .60), ("linux", .25), ("kylin", .10), ("uos", .05)]
VPNS = ["sangfor", "qianxin", "hillstone", "h3c", "huawei", "topsec", "nsfocus", "venustech",
        "fortinet", "cisco", "ivanti", "paloalto"]
MAILS = [("exmail_qq", .30), ("aliyun_mail", .20), ("netease_mail", .20), ("coremail", .15),
         ("exchange_online", .10), ("self_hosted", .05)]
REGIONS = ["440100", "440300", "440600", "441900", "330100", "330200", "330300", "330400",
           "110000", "310000", "120000", "500000", "320100", "320500", "370100", "370200",
           "420100", "430100", "510100", "610100", "350100", "350200", "210100", "210200",
           "340100", "410100", "360100", "450100", "530100", "130100"]
SUBLIMIT = {"bi": .5, "data": .3, "ir": .3, "pr": .1, "legal": .2, "breach": .5}
RETENTIONS = [10_000, 20_000, 50_000, 100_000, 200_000]
WAITS = [8, 12, 24]


def pick(rng, weighted):
    u, acc = rng.random(), 0.0
    for v, w in weighted:
        acc += w
        if u < acc:
            return v
    return weighted[-1][0]


def zipf_weights(names, s=1.0):
    w = [1.0 / (k + 1) ** s for k in range(len(names))]
    t = sum(w)
    return [(n, x / t) for n, x in zip(names, w)]


def yuan(x):
    return "%.2f" % x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--policies", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--hits", type=float, default=2000.0, help="target systemic hits a year per 100,000 policies")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    vpn_w = zipf_weights(VPNS)
    cols = ["PolNumber", "IndustryScheme1", "IndustryCode1", "AreaCode", "AnnualRevenue",
            "GrossProfitMargin", "SecurityGrade", "PolLimit", "PolDed", "BIWaitingHours",
            "Coverages"] + ["SubLimit_" + c for c in SUBLIMIT] + [
            "CloudVendor", "OSVendor", "VPNVendor", "EmailVendor"]
    counts = {"cloud": {}, "os": {}, "vpn": {}, "industry": {}}
    with open(os.path.join(a.out, "portfolio.csv"), "w") as f:
        f.write("# source: bench/gen_sim.py --policies %d --seed %d (synthetic)\n" % (a.policies, a.seed))
        f.write(",".join(cols) + "\n")
        for i in range(a.policies):
            sec = SECTIONS[int(rng.random() * 20)]
            band = int(rng.random() * 5)
            rev = BANDS[band][0] * math.exp((rng.random() * 2 - 1) * math.log(1.5))
            limit = BANDS[band][1]
            grade = pick(rng, GRADES)
            ded = RETENTIONS[int(rng.random() * len(RETENTIONS))]
            wait = WAITS[int(rng.random() * 3)]
            cloud, os_, vpn, mail = pick(rng, CLOUDS), pick(rng, OSES), pick(rng, vpn_w), pick(rng, MAILS)
            region = REGIONS[int(rng.random() * len(REGIONS))]
            margin = 0.15 + 0.3 * rng.random()
            for k, v in (("cloud", cloud), ("os", os_), ("vpn", vpn), ("industry", sec)):
                counts[k][v] = counts[k].get(v, 0) + 1
            row = ["P%06d" % (i + 1), "GBT4754", sec, region, yuan(round(rev, 2)), "%.4f" % margin,
                   grade, yuan(limit), yuan(ded), str(wait), ";".join(SUBLIMIT)]
            row += [yuan(limit * SUBLIMIT[c]) for c in SUBLIMIT]
            row += [cloud, os_, vpn, mail]
            f.write(",".join(row) + "\n")

    # Catalogue: footprints (selector, exposed count), hit probabilities, then rates.
    n_cloud, n_rw = a.events // 5, a.events // 5
    n_exploit = a.events - n_cloud - n_rw
    events = []
    for k in range(n_cloud):
        c = pick(rng, CLOUDS)
        events.append({"type": "cloud_outage", "selector": {"cloud": c}, "n": counts["cloud"].get(c, 0)})
    for k in range(n_exploit):
        if rng.random() < 0.75:
            v = pick(rng, vpn_w)
            events.append({"type": "mass_exploit", "selector": {"vpn": v}, "n": counts["vpn"].get(v, 0),
                           "t": "ransomware" if rng.random() < 0.5 else "data_breach"})
        else:
            o = pick(rng, OSES)
            events.append({"type": "mass_exploit", "selector": {"os": o}, "n": counts["os"].get(o, 0),
                           "t": "ransomware" if rng.random() < 0.5 else "data_breach"})
    for k in range(n_rw):
        s = SECTIONS[int(rng.random() * 20)]
        events.append({"type": "ransomware_campaign", "selector": {"industry": s},
                       "n": counts["industry"].get(s, 0), "t": "ransomware"})
    for e in events:
        e["h"] = 0.02 * math.exp(rng.random() * math.log(0.30 / 0.02))
        e["n"] = max(e["n"], 1)
    target = a.hits * a.policies / 100000.0

    def hits(alpha):
        w = [e["n"] ** -alpha for e in events]
        t = sum(w)
        return sum(2.0 * wi / t * e["n"] * e["h"] for wi, e in zip(w, events)), w, t

    lo, hi = 0.0, 8.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if hits(mid)[0] > target:
            lo = mid
        else:
            hi = mid
    expected, w, t = hits((lo + hi) / 2)
    out = []
    for k, (e, wi) in enumerate(zip(events, w)):
        d = {"id": "E%05d" % (k + 1), "type": e["type"], "annual_rate": float("%.6e" % (2.0 * wi / t)),
             "selector": e["selector"], "hit_probability": round(e["h"], 6)}
        if e["type"] == "cloud_outage":
            d["duration_hours"] = {"median": 8, "sigma": 1.0}
        else:
            d["severity"] = {"incident_type": e["t"], "scale": 1.0}
        out.append(d)
    doc = {"source": "bench/gen_sim.py (synthetic standard workload, docs BENCHMARKS.md)",
           "version": "seed-%d" % a.seed, "events": out}
    with open(os.path.join(a.out, "catalogue.json"), "w") as f:
        json.dump(doc, f, indent=0)
    rates = sum(d["annual_rate"] for d in out)
    print("gen_sim: %d policies, %d events, annual rates %.4f, expected systemic hits %.0f a year (alpha %.3f)"
          % (a.policies, len(out), rates, expected, (lo + hi) / 2))


if __name__ == "__main__":
    main()
