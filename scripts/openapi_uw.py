#!/usr/bin/env python3
# Adds the underwriting paths and schemas to docs/openapi.json in one go
# (load, add/update ours, write back). Safe to run again.
import json, sys
P = sys.argv[1] if len(sys.argv) > 1 else 'docs/openapi.json'
doc = json.load(open(P))
SEC = [{"session": []}, {"bearer": []}]
E = {"$ref": "#/components/responses/Error"}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
PAGING = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
          {"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "the \"next\" of the previous page"}]
def ref(name): return {"$ref": f"#/components/schemas/{name}"}
def ok(desc, schema, code="200"): return {code: {"description": desc, "content": {"application/json": {"schema": schema}}}}
def errs(*codes): return {str(c): E for c in codes}
def listof(name): return {"type": "object", "required": ["items", "next"], "properties": {"items": {"type": "array", "items": ref(name)}, "next": {"type": ["string", "null"]}}}
def body(props, required=()):
    return {"required": True, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": False, "required": list(required), "properties": props}}}}
def op(opid, summary, responses, params=None, req=None):
    o = {"summary": summary, "operationId": opid, "tags": ["underwriting"], "security": SEC}
    if params: o["parameters"] = params
    if req: o["requestBody"] = req
    o["responses"] = responses
    return o
fen = lambda d: {"type": "integer", "description": d + " (fen)"}
product_props = {
 "name": {"type": "string", "maxLength": 255},
 "class": {"type": "string", "enum": ["enterprise", "product_service"], "description": "企业类 or 产品服务类"},
 "target_industries": {"type": "array", "items": {"type": "string"}, "description": "enterprise class: pilot target industry codes (GET /api/v1/ref/pilot)"},
 "product_type": {"type": ["string", "null"], "description": "product_service class: a product/service class code (anti_ddos, dlp, anti_ransomware, edr, waf, risk_assessment, …, it_product)"},
 "description": {"type": "string", "maxLength": 2000},
 "bi_waiting_hours": {"type": "integer", "minimum": 0, "maximum": 720},
 "retention_options": {"type": "array", "items": {"type": "integer", "minimum": 0}, "description": "per-loss retentions offered, fen"},
 "limit_options": {"type": "array", "items": {"type": "integer", "minimum": 1}, "description": "aggregate limits offered, fen; the smallest above the largest retention"},
 "minimum_premium": {"type": ["integer", "null"], "minimum": 0, "description": "fen; null: the rating model's"},
 "coverages": {"type": "array", "items": {"type": "object", "required": ["code"], "additionalProperties": False, "properties": {
   "code": {"type": "string", "description": "one of the 13 coverages"},
   "sublimit": {"type": ["integer", "null"], "description": "default per-loss sublimit, fen; null: the aggregate limit"},
   "share_bp": {"type": "integer", "minimum": 1, "maximum": 10000, "description": "insurer's share, basis points (default 10000)"}}}}}
schemas = {
 "Product": {"type": "object", "description": "A product version (docs/underwriting.md)", "properties": {
   "id": {"type": "integer"}, "family_id": {"type": "integer"}, "version": {"type": "integer"},
   "insurer_org_id": {"type": "integer"}, "insurer_name": {"type": "string"},
   **{k: v for k, v in product_props.items() if k != "coverages"},
   "coverages": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "name_zh": {"type": "string"}, "name_en": {"type": "string"}, "sublimit": {"type": ["integer", "null"]}, "share_bp": {"type": "integer"}}}},
   "rating_model": {"type": "string"}, "rules_version": {"type": "string"},
   "status": {"type": "string", "enum": ["draft", "active", "superseded", "withdrawn"]},
   "filing_no": {"type": ["string", "null"]}, "filing_date": {"type": ["string", "null"]},
   "created_at": {"type": "string"}, "updated_at": {"type": "string"}}},
 "RateTable": {"type": "object", "description": "单价保费及保额: premium per limit option × grade × revenue band", "properties": {
   "product_id": {"type": "integer"}, "industry_section": {"type": "string"}, "retention": {"type": "integer"},
   "limits": {"type": "array", "items": {"type": "integer"}}, "grades": {"type": "array", "items": {"type": "string"}},
   "bands": {"type": "array", "items": {"type": "object"}},
   "rows": {"type": "array", "items": {"type": "object", "properties": {"limit": {"type": "integer"}, "grade": {"type": "string"}, "band": {"type": "string"}, "rated_revenue": {"type": "integer"}, "premium": {"type": "integer"}, "pure_premium": {"type": "integer"}, "rate_on_line": {"type": "number"}, "decision": {"type": "string"}}}}}},
 "Questionnaire": {"type": "object", "description": "the risk-assessment questionnaire of data/questionnaire/", "properties": {
   "version": {"type": "string"}, "source": {"type": "string"}, "profile_flags": {"type": "array"}, "sections": {"type": "array"}, "modules": {"type": "array"}, "questions": {"type": "array"}, "mlps_conclusions": {"type": "array"}}},
 "Assessment": {"type": "object", "properties": {
   "id": {"type": "integer"}, "org_id": {"type": "integer"}, "org_name": {"type": "string"}, "author_org_id": {"type": "integer"},
   "status": {"type": "string", "enum": ["draft", "submitted"]}, "questionnaire_version": {"type": "string"},
   "target_industry": {"type": "string"}, "flags": {"type": "array", "items": {"type": "string"}}, "modules": {"type": "array", "items": {"type": "string"}},
   "answers": {"type": "object", "additionalProperties": {"type": ["string", "number"]}},
   "progress": {"type": "object", "properties": {"applicable": {"type": "integer"}, "answered": {"type": "integer"}}},
   "mlps": {"type": "object", "properties": {"level": {"type": "integer"}, "conclusion": {"type": ["string", "null"]}, "score": {"type": ["number", "null"]}, "date": {"type": ["string", "null"]}}},
   "dependencies": {"type": "object", "properties": {"cloud": {"type": "string"}, "os": {"type": "string"}, "vpn": {"type": "string"}, "email": {"type": "string"}}},
   "score": {"type": ["number", "null"]}, "grade": {"type": ["string", "null"]},
   "result": {"type": ["object", "null"], "description": "control_score, penalties, grade, cap, counts, drivers (rank, id, points), recommendations (driver, text_zh, text_en)"},
   "findings": {"type": "array", "items": ref("Finding")},
   "created_at": {"type": "string"}, "updated_at": {"type": "string"}, "submitted_at": {"type": ["string", "null"]}}},
 "Finding": {"type": "object", "description": "an external-scan finding", "properties": {
   "asset": {"type": "string"}, "port": {"type": ["integer", "null"]}, "service": {"type": "string"}, "cve": {"type": "string"},
   "cvss": {"type": ["number", "null"]}, "epss": {"type": ["number", "null"]}, "kev": {"type": "boolean"},
   "internet_facing": {"type": "boolean"}, "first_seen": {"type": "string"}}},
 "Quote": {"type": "object", "description": "a quote with its breakdown: every factor, the pure premium per coverage, loading, credit, minimum, the rules that held", "properties": {
   "id": {"type": ["integer", "null"]}, "indicative": {"type": "boolean"},
   "status": {"type": "string", "enum": ["quoted", "referred", "approved", "declined", "bound"]},
   "decision": {"type": "string", "enum": ["accept", "condition", "refer", "decline"]},
   "product": {"type": "object"}, "insured": {"type": "object"}, "assessment_id": {"type": ["integer", "null"]},
   "renewal_of": {"type": ["integer", "null"]}, "industry_section": {"type": "string"}, "revenue": {"type": "integer"},
   "grade": {"type": "string"}, "aggregate_limit": {"type": "integer"}, "retention": {"type": "integer"},
   "claim_free_years": {"type": "integer"}, "pure_premium": {"type": "integer"}, "gross_premium": {"type": "integer"}, "premium": {"type": "integer"},
   "start_date": {"type": "string"}, "valid_until": {"type": "string"}, "expired": {"type": "boolean"}, "bindable": {"type": "boolean"},
   "referral": {"type": ["object", "null"]}, "policy_id": {"type": ["integer", "null"]}, "policy_no": {"type": ["string", "null"]},
   "breakdown": {"type": "object"}}},
 "Policy": {"type": "object", "description": "a policy and its schedule (terms in the terms engine's shape)", "properties": {
   "id": {"type": "integer"}, "policy_no": {"type": "string"}, "status": {"type": "string", "enum": ["active", "cancelled"]}, "in_force": {"type": "boolean"},
   "quote_id": {"type": "integer"}, "product": {"type": "object"}, "insurer": {"type": "object"}, "insured": {"type": "object"},
   "period": {"type": "object", "properties": {"start": {"type": "string"}, "end": {"type": "string"}, "start_beijing": {"type": "string"}, "end_beijing": {"type": "string"}, "days": {"type": "integer"}}},
   "trigger": {"type": "string"}, "terms": {"type": "object"}, "rating": {"type": "object"}, "dependencies": {"type": "object"},
   "annual_premium": {"type": "integer"}, "written_premium": {"type": "integer"}, "conditions": {"type": "array"},
   "renewal_of": {"type": ["integer", "null"]}, "renewed_by": {"type": ["integer", "null"]}, "claims_count": {"type": "integer"},
   "cancelled_at": {"type": ["string", "null"]}, "cancel_effective": {"type": ["string", "null"]}, "return_premium": {"type": ["integer", "null"]},
   "endorsements": {"type": "array", "items": {"type": "object"}}}},
}
assess_props = {
 "org_id": {"type": "integer", "description": "the assessed enterprise (a service organisation's assessment; an enterprise assesses itself)"},
 "target_industry": {"type": ["string", "null"], "description": "pilot target industry: selects extension modules"},
 "flags": {"type": "array", "items": {"type": "string"}, "description": "profile flags: cloud, mobile, iot, ics, vehicle"},
 "answers": {"type": "object", "additionalProperties": {"type": ["string", "number", "null"]}, "description": "question id → yes|partial|no|na|option code|number; null takes an answer back"},
 "mlps": {"type": "object", "properties": {"level": {"type": "integer", "minimum": 0, "maximum": 5}, "conclusion": {"type": ["string", "null"], "enum": ["excellent", "good", "fair", "poor", None]}, "score": {"type": ["number", "null"]}, "date": {"type": ["string", "null"]}}},
 "dependencies": {"type": "object", "properties": {"cloud": {"type": "string"}, "os": {"type": "string"}, "vpn": {"type": "string"}, "email": {"type": "string"}}}}
paths = {
 "/api/v1/products": {
  "get": op("listProducts", "Products the caller sees (others' drafts stay hidden), newest first", {**ok("products", listof("Product")), **errs(400, 401)}, PAGING + [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "active", "superseded", "withdrawn"]}}]),
  "post": op("createProduct", "An insurer's new product (draft version 1)", {**ok("created", ref("Product"), "201"), **errs(400, 401, 403, 422)}, req=body(product_props, ["name", "class", "retention_options", "limit_options", "coverages"]))},
 "/api/v1/products/{id}": {
  "get": op("getProduct", "One product version", {**ok("product", ref("Product")), **errs(401, 404)}, [ID]),
  "patch": op("updateProduct", "Change a draft (409 once filed)", {**ok("updated", ref("Product")), **errs(400, 401, 403, 404, 409, 422)}, [ID], body(product_props))},
 "/api/v1/products/{id}/filing": {
  "post": op("fileProduct", "Record the filing (备案号, date) of a draft and put it on sale; the family's previous version is superseded (insurer admin)", {**ok("filed", ref("Product")), **errs(400, 401, 403, 404, 409, 422)}, [ID],
             body({"filing_no": {"type": "string", "maxLength": 120}, "filing_date": {"type": "string", "format": "date"}}, ["filing_no", "filing_date"]))},
 "/api/v1/products/{id}/versions": {
  "post": op("newProductVersion", "Open a new draft version copied from this one (409 if a draft exists)", {**ok("created", ref("Product"), "201"), **errs(401, 403, 404, 409)}, [ID])},
 "/api/v1/products/{id}/rate-table": {
  "get": op("productRateTable", "单价保费及保额: the premium of every limit option × grade A–E × revenue band, as JSON or CSV", {
      "200": {"description": "the table", "content": {"application/json": {"schema": ref("RateTable")}, "text/csv": {"schema": {"type": "string"}}}}, **errs(400, 401, 404, 422)},
      [ID, {"name": "industry", "in": "query", "required": True, "schema": {"type": "string"}, "description": "GB/T 4754 section A–T or division"},
       {"name": "retention", "in": "query", "schema": {"type": "integer"}, "description": "one of the retention options, fen (default the smallest)"},
       {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}])},
 "/api/v1/assessments/questionnaire": {
  "get": op("getQuestionnaire", "The risk-assessment questionnaire (sections of GB/T 22239-2019, insurer-critical controls, extension modules)", {**ok("questionnaire", ref("Questionnaire")), **errs(401)})},
 "/api/v1/assessments": {
  "get": op("listAssessments", "The assessments the caller sees, newest first (the history)", {**ok("assessments", listof("Assessment")), **errs(400, 401, 403)}, PAGING + [{"name": "org_id", "in": "query", "schema": {"type": "integer"}}]),
  "post": op("createAssessment", "Start an assessment (an enterprise of itself, a service organisation for an enterprise)", {**ok("created", ref("Assessment"), "201"), **errs(400, 401, 403, 404, 422)}, req=body(assess_props))},
 "/api/v1/assessments/{id}": {
  "get": op("getAssessment", "One assessment with its answers, findings and result", {**ok("assessment", ref("Assessment")), **errs(401, 403, 404)}, [ID]),
  "patch": op("updateAssessment", "Save answers and facts of a draft (save and resume); 409 once submitted", {**ok("saved", ref("Assessment")), **errs(400, 401, 403, 404, 409, 422)}, [ID], body({k: v for k, v in assess_props.items() if k != "org_id"}))},
 "/api/v1/assessments/{id}/findings": {
  "post": op("importFindings", "Import external-scan findings as JSON or CSV (asset,port,service,cve,cvss,epss,kev,internet_facing,first_seen); a bad row refuses the import naming row and column", {**ok("imported", ref("Assessment")), **errs(400, 401, 403, 404, 409, 422)}, [ID],
             body({"findings": {"type": "array", "items": ref("Finding")}, "csv": {"type": "string"}, "replace": {"type": "boolean"}}))},
 "/api/v1/assessments/{id}/submit": {
  "post": op("submitAssessment", "Score, grade and freeze a draft: score 0–100, grade A–E, drivers, 防灾减损 recommendations", {**ok("submitted", ref("Assessment")), **errs(401, 403, 404, 409)}, [ID])},
 "/api/v1/quotes": {
  "get": op("listQuotes", "Quotes the caller sees, newest first; ?status=referred is the referral queue", {**ok("quotes", listof("Quote")), **errs(400, 401, 403)}, PAGING + [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["quoted", "referred", "approved", "declined", "bound"]}}]),
  "post": op("createQuote", "Price an application: stored with its decision (201), or indicative (200, nothing stored)", {**ok("indicative price", ref("Quote")), **ok("stored quote", ref("Quote"), "201"), **errs(400, 401, 403, 404, 422)},
             req=body({"product_id": {"type": "integer"}, "indicative": {"type": "boolean"}, "org_id": {"type": "integer"}, "assessment_id": {"type": "integer"},
                       "industry": {"type": "string", "description": "GB/T 4754 section or division (default the insured's)"},
                       "revenue": fen("annual revenue, > 0"), "gross_margin_bp": {"type": "integer", "minimum": 0, "maximum": 10000},
                       "aggregate_limit": fen("one of the product's limit options, above the retention"), "retention": fen("one of the product's retention options"),
                       "grade": {"type": "string", "description": "indicative only: A–E"}, "coverages": {"type": "array", "items": {"type": "string"}},
                       "start_date": {"type": "string", "format": "date"}}, ["product_id", "revenue", "aggregate_limit", "retention"]))},
 "/api/v1/quotes/{id}": {
  "get": op("getQuote", "One quote with its breakdown", {**ok("quote", ref("Quote")), **errs(401, 403, 404)}, [ID])},
 "/api/v1/quotes/{id}/referral": {
  "post": op("decideReferral", "An underwriter's decision on a referred quote (the product's insurer)", {**ok("decided", ref("Quote")), **errs(400, 401, 403, 404, 409, 422)}, [ID],
             body({"decision": {"type": "string", "enum": ["approve", "decline"]}, "note": {"type": "string", "maxLength": 2000}}, ["decision", "note"]))},
 "/api/v1/quotes/{id}/bind": {
  "post": op("bindQuote", "Bind a quoted or approved, unexpired quote into a policy (binding twice: 409)", {**ok("the policy", ref("Policy"), "201"), **errs(401, 403, 404, 409, 422)}, [ID])},
 "/api/v1/policies": {
  "get": op("listPolicies", "Policies the caller sees, newest first", {**ok("policies", listof("Policy")), **errs(400, 401, 403)}, PAGING + [{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "cancelled"]}}])},
 "/api/v1/policies/{id}": {
  "get": op("getPolicy", "One policy with its schedule and endorsements", {**ok("policy", ref("Policy")), **errs(401, 403, 404)}, [ID])},
 "/api/v1/policies/{id}/endorsements": {
  "post": op("endorsePolicy", "Mid-term change of the aggregate limit; premium pro rata by day (the insurer)", {**ok("endorsed", ref("Policy"), "201"), **errs(400, 401, 403, 404, 409, 422)}, [ID],
             body({"effective_date": {"type": "string", "format": "date"}, "aggregate_limit": fen("a limit option"), "note": {"type": "string"}}, ["effective_date", "aggregate_limit"]))},
 "/api/v1/policies/{id}/cancellation": {
  "post": op("cancelPolicy", "Cancel with a pro-rata return premium by day (the insurer, or the insured's admin)", {**ok("cancelled", ref("Policy")), **errs(400, 401, 403, 404, 409, 422)}, [ID],
             body({"effective_date": {"type": "string", "format": "date"}, "note": {"type": "string"}}, ["effective_date"]))},
 "/api/v1/policies/{id}/renewal": {
  "post": op("renewPolicy", "The renewal quote: a new assessment and the claim-free credit; starts when the policy ends (the insured)", {**ok("renewal quote", ref("Quote"), "201"), **errs(400, 401, 403, 404, 409, 422)}, [ID],
             body({"assessment_id": {"type": "integer"}, "revenue": fen("annual revenue"), "gross_margin_bp": {"type": "integer"}, "aggregate_limit": fen("limit"), "retention": fen("retention")}, ["assessment_id"]))},
}
doc["paths"].update(paths)
doc.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
tags = doc.setdefault("tags", [])
if not any(t.get("name") == "underwriting" for t in tags):
    tags.append({"name": "underwriting", "description": "products, risk assessments, quotes and referrals, policies (docs/underwriting.md)"})
with open(P, "w") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)

missing = [p for p in paths if p not in json.load(open(P))["paths"]]
print("underwriting paths:", len(paths), "missing after write:", missing)
