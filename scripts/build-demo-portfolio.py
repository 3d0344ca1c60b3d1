#!/usr/bin/env python3
"""build-demo-portfolio.py — writes data/demo/portfolio.csv, the demo what-if
portfolio for `cyberins simulate --portfolio data/demo/portfolio.csv`: 200
fictitious insureds in Guangdong and Zhejiang cities, in the pilot's target
industries (GB/T 4754 大类 codes), with cloud, operating-system, VPN and e-mail
dependencies named as in data/catalogue/. Deterministic (fixed seed); only
random.Random(seed).random() is used, whose sequence Python keeps stable.
Edit this script, not the CSV.
"""
import math
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "data", "demo", "portfolio.csv")
N = 200
CITIES = [("440100", "广州"), ("440300", "深圳"), ("440600", "佛山"), ("441900", "东莞"),
          ("440400", "珠海"), ("441300", "惠州"), ("442000", "中山"),
          ("330100", "杭州"), ("330200", "宁波"), ("330300", "温州"), ("330400", "嘉兴"),
          ("330600", "绍兴"), ("330700", "金华"), ("331000", "台州")]
# (pilot target industry, GB/T 4754 大类, name stem, weight, extra coverages)
INDUSTRIES = [
    ("industrial_internet", "39", "电子设备制造", .18, ["hw", "phys", "product"]),
    ("industrial_internet", "38", "电气机械制造", .10, ["hw", "phys"]),
    ("industrial_internet", "34", "通用设备制造", .08, ["hw", "phys"]),
    ("connected_vehicles", "36", "汽车零部件", .08, ["product", "phys"]),
    ("telecom_internet", "64", "互联网信息服务", .14, ["netsec", "media", "vendor"]),
    ("telecom_internet", "65", "软件和信息技术服务", .12, ["eo", "netsec", "vendor"]),
    ("healthcare", "84", "医疗服务", .08, ["netsec"]),
    ("finance", "66", "金融服务", .06, ["netsec", "vendor"]),
    ("energy", "44", "电力供应", .04, ["hw", "phys"]),
    ("other", "51", "商贸批发", .07, []),
    ("other", "58", "物流运输", .05, ["vendor"]),
]
CLOUDS = [("aliyun", .35), ("tencent_cloud", .20), ("huawei_cloud", .20), ("ctyun", .10),
          ("baidu_cloud", .05), ("volcengine", .05), ("aws_china", .03), ("azure_china", .02)]
OSES = [("windows", .70), ("linux", .15), ("kylin", .10), ("uos", .05)]
VPNS = [("sangfor", .30), ("qianxin", .15), ("hillstone", .10), ("h3c", .10), ("huawei", .10),
        ("topsec", .08), ("nsfocus", .05), ("venustech", .04), ("fortinet", .04), ("cisco", .02),
        ("ivanti", .01), ("paloalto", .01)]
MAILS = [("exmail_qq", .35), ("aliyun_mail", .20), ("netease_mail", .20), ("coremail", .15),
         ("exchange_online", .05), ("self_hosted", .05)]
GRADES = [("A", .10), ("B", .25), ("C", .35), ("D", .20), ("E", .10)]
BASE = ["bi", "data", "ir", "pr", "legal", "breach"]


def pick(rng, weighted):
    u, acc = rng.random(), 0.0
    for v, w in weighted:
        acc += w
        if u < acc:
            return v
    return weighted[-1][0]


def main():
    rng = random.Random(20240126)
    cols = ["PolNumber", "InsuredName", "IndustryScheme1", "IndustryCode1", "AreaCode",
            "CountryCode", "AnnualRevenue", "AnnualRevenueCurrency", "GrossProfitMargin",
            "SecurityGrade", "PolLimit", "PolDed", "BIWaitingPeriod", "Coverages", "SubLimit_bi",
            "SubLimit_data", "SubLimit_ir", "Coinsurance", "CloudVendor", "OSVendor", "VPNVendor",
            "EmailVendor"]
    lines = ["# source: scripts/build-demo-portfolio.py (fictitious insureds for the demo; not real companies)",
             "# version: 2025.1",
             "# columns: OED v4 names (PolNumber, IndustryCode1, AreaCode, AnnualRevenue, PolLimit, PolDed, BIWaitingPeriod in days, CloudVendor, OSVendor, EmailVendor) and cyberins extensions (Coverages, SubLimit_<coverage>, Coinsurance, VPNVendor, SecurityGrade); docs/simulation.md",
             ",".join(cols)]
    for i in range(N):
        code, city = CITIES[int(rng.random() * len(CITIES))]
        ind = pick(rng, [(x, x[3]) for x in INDUSTRIES])
        _, dalei, stem, _, extra = ind
        rev = math.exp(math.log(2e7) + rng.random() * (math.log(5e9) - math.log(2e7)))
        rev = round(rev / 1e4) * 1e4
        limit = 2e6 if rev < 1e8 else 5e6 if rev < 5e8 else 8e6 if rev < 1e9 else 10e6 if rev < 2e9 else 20e6
        ded = [20000, 50000, 100000][int(rng.random() * 3)] if rev > 2e8 else [10000, 20000][int(rng.random() * 2)]
        wait_days = ["0.5", "1"][int(rng.random() * 2)]
        covs = list(BASE) + [c for c in extra if rng.random() < 0.6]
        coins = "0.9" if rng.random() < 0.2 else ""
        row = ["DEMO-%04d" % (i + 1), "%s%s示例%s有限公司（演示）" % (city, ["华", "盛", "创", "科", "远", "信"][i % 6], stem),
               "GBT4754", dalei, code, "CN", "%.2f" % rev, "CNY", "%.2f" % (0.15 + 0.25 * rng.random()),
               pick(rng, GRADES), "%.2f" % limit, "%.2f" % ded, wait_days, ";".join(covs),
               "%.2f" % (limit * 0.5), "%.2f" % (limit * 0.3), "%.2f" % (limit * 0.3), coins,
               pick(rng, CLOUDS), pick(rng, OSES), pick(rng, VPNS), pick(rng, MAILS)]
        lines.append(",".join(row))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d policies" % (os.path.normpath(OUT), N))


if __name__ == "__main__":
    main()
