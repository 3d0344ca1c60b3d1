#!/usr/bin/env python3
"""quote_compare.py N URL_A ENV_A URL_B ENV_B — posts the same N quote
bodies (indicative, and stored on the enterprise's assessment) to two
servers prepared by quote_setup.py (ENV_*: its output, as a file) and
started with --test-clock, at one fixed X-Test-Now, and checks that their
answers are byte-identical. Prints the count and the SHA-256 of all the
answers; exits 1 at the first difference, showing it."""
import hashlib
import json
import math
import random
import sys
import urllib.request

n = int(sys.argv[1])
servers = [(sys.argv[2], sys.argv[3]), (sys.argv[4], sys.argv[5])]
NOW = "2030-03-01T02:00:00Z"


def env(path):
    out = {}
    for line in open(path):
        k, _, v = line.strip().partition("=")
        out[k] = v
    return out


def post(base, token, body):
    req = urllib.request.Request(base + "/api/v1/quotes", method="POST", data=body.encode())
    req.add_header("content-type", "application/json")
    req.add_header("authorization", "Bearer " + token)
    req.add_header("x-test-now", NOW)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


envs = [env(e) for _, e in servers]
for k in ("PRODUCT", "LIMITS", "RETENTIONS", "ASSESSMENT"):
    if envs[0][k] != envs[1][k]:
        sys.exit("the two servers were not prepared alike: %s %s / %s" % (k, envs[0][k], envs[1][k]))
e = envs[0]
limits = e["LIMITS"].split(",")
retentions = e["RETENTIONS"].split(",")
rng = random.Random(20250101)
digest = hashlib.sha256()
count = 0
for i in range(n):
    revenue = math.floor(math.exp(math.log(5e6) + (math.log(1e10) - math.log(5e6)) * rng.random()) * 100)
    limit, retention = rng.choice(limits), rng.choice(retentions)
    grade = rng.choices("ABCDE", [10, 25, 35, 20, 10])[0]
    section = chr(65 + rng.randrange(20))
    stored = i % 10 == 9
    if stored:
        body = '{"product_id":%s,"assessment_id":%s,"revenue":%d,"aggregate_limit":%s,"retention":%s}' % (
            e["PRODUCT"], e["ASSESSMENT"], revenue, limit, retention)
    else:
        body = '{"indicative":true,"product_id":%s,"industry":"%s","revenue":%d,"grade":"%s","aggregate_limit":%s,"retention":%s}' % (
            e["PRODUCT"], section, revenue, grade, limit, retention)
    answers = [post(base, envs[k]["ENT_TOKEN" if stored else "INSURER_TOKEN"], body)
               for k, (base, _) in enumerate(servers)]
    if answers[0] != answers[1]:
        sys.exit("answers differ for %s:\n%s %s\n%s %s" % (body, answers[0][0], answers[0][1].decode(),
                                                           answers[1][0], answers[1][1].decode()))
    if answers[0][0] not in (200, 201):
        sys.exit("refused: %s %s" % (body, answers[0][1].decode()))
    digest.update(answers[0][1])
    count += 1
print("%d answers byte-identical, SHA-256 %s" % (count, digest.hexdigest()))
