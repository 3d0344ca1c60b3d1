#!/usr/bin/env python3
"""quote_setup.py BASE_URL — prepares bench/quote.sh's server: the demo
insurer files the demo product of data/demo/uw.json (a fresh copy, so the
bench needs no demo loader), the demo enterprise ent-gz submits an
assessment with every base question answered, and each makes an API token.
Prints shell assignments: PRODUCT LIMITS RETENTIONS INSURER_TOKEN ENT_TOKEN
ASSESSMENT."""
import http.cookiejar
import json
import os
import sys
import urllib.request

BASE = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Session:
    def __init__(self, user):
        self.jar = http.cookiejar.CookieJar()
        self.op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None
        self.csrf = self.call("POST", "/api/v1/session", {"username": user, "password": "Demo-2024-cyberins"})["csrf_token"]

    def call(self, method, path, body=None):
        req = urllib.request.Request(BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None)
        req.add_header("content-type", "application/json")
        if self.csrf:
            req.add_header("x-csrf-token", self.csrf)
        with self.op.open(req) as r:
            return json.loads(r.read().decode())


demo = json.load(open(os.path.join(ROOT, "data/demo/uw.json")))
ins = Session("insurer")
body = dict(demo["products"][0]["product"], name="基准测试产品 bench/quote.sh")
p = ins.call("POST", "/api/v1/products", body)
ins.call("POST", "/api/v1/products/%d/filing" % p["id"], demo["products"][0]["filing"])
ent = Session("ent-gz")
qn = ent.call("GET", "/api/v1/assessments/questionnaire")
answers = {}
for q in qn["questions"]:
    if q["module"]:
        continue
    if q["type"] == "ynp":
        answers[q["id"]] = "yes"
    elif q["type"] == "choice":
        answers[q["id"]] = q["options"][0]["code"]
    else:
        answers[q["id"]] = q["number"]["max"] if q["number"]["score_at_max"] == 1 else q["number"]["min"]
a = ent.call("POST", "/api/v1/assessments", {"answers": answers})
ent.call("POST", "/api/v1/assessments/%d/submit" % a["id"])
print("PRODUCT=%d" % p["id"])
print("LIMITS=%s" % ",".join(str(x) for x in p["limit_options"]))
print("RETENTIONS=%s" % ",".join(str(x) for x in p["retention_options"]))
print("INSURER_TOKEN=%s" % ins.call("POST", "/api/v1/tokens", {"name": "bench quote"})["token"])
print("ENT_TOKEN=%s" % ent.call("POST", "/api/v1/tokens", {"name": "bench quote"})["token"])
print("ASSESSMENT=%d" % a["id"])
