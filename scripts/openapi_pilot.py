#!/usr/bin/env python3
"""Add the pilot programme's paths and schemas to docs/openapi.json (in place)."""
import json, sys

path = sys.argv[1] if len(sys.argv) > 1 else 'docs/openapi.json'
doc = json.load(open(path, encoding='utf-8'))
SEC = [{"session": []}, {"bearer": []}]
E = {"$ref": "#/components/responses/Error"}
S = lambda name: {"$ref": f"#/components/schemas/{name}"}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
TESTNOW = {"name": "X-Test-Now", "in": "header", "required": False, "schema": {"type": "string"},
           "description": "receipt time of this request; honoured only by a server started with --test-clock (tests), ignored otherwise"}
def q(name, typ="string", desc=None, **kw):
    p = {"name": name, "in": "query", "schema": {"type": typ, **kw}}
    if desc: p["description"] = desc
    return p
PAGE = [q("limit", "integer", minimum=1, maximum=200), q("cursor", "string")]
def listof(item, desc):
    return {"description": desc, "content": {"application/json": {"schema": {
        "type": "object", "required": ["items", "next"], "properties": {
            "items": {"type": "array", "items": S(item)},
            "next": {"type": ["string", "null"], "description": "pass as ?cursor= for the next page"}}}}}}
def one(item, desc):
    return {"description": desc, "content": {"application/json": {"schema": S(item)}}}
def body(props, required=(), extra=True):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": False, "required": list(required), "properties": props}}}}
def op(summary, opid, responses, params=(), req=None, secure=True, write=False):
    o = {"summary": summary, "operationId": opid}
    if secure: o["security"] = SEC
    ps = list(params) + ([TESTNOW] if write else [])
    if ps: o["parameters"] = ps
    if req: o["requestBody"] = req
    r = dict(responses)
    for code in (["400", "401", "403", "404", "409", "422"] if write else ["400", "401", "403", "404"]):
        r.setdefault(code, E)
    if not secure:
        r.pop("401", None); r.pop("403", None)
    o["responses"] = r
    return o

STR, INT, OBJ, ARR, BOOL = ({"type": "string"}, {"type": "integer"}, {"type": "object"}, {"type": "array"}, {"type": "boolean"})
def nul(t): return {"type": [t["type"], "null"]}
UNIT = {"type": "object", "additionalProperties": False, "properties": {
    "name": STR, "nature": {"type": "string", "enum": ["public_institution", "state_owned", "private", "joint_venture", "state_controlled", "state_participated", "other"]},
    "nature_other": STR, "uscc": STR}}
ATTACHED = {"type": "object", "additionalProperties": False, "description": "附：网络安全保险服务方案 (≥ attached_scheme_zishu_min 字)", "properties": {
    "name": STR, "institutions": STR, "process": STR, "security": STR,
    "unit_premium_fen": {"type": "integer", "minimum": 0}, "sum_insured_fen": {"type": "integer", "minimum": 0}, "premium_note": STR}}
SCHEME_FORM = {
    "name": nul(STR), "location": nul(STR), "leader_name": nul(STR), "leader_title": nul(STR),
    "direction": {"type": ["string", "null"], "enum": ["enterprise", "product_service", None]},
    "industry": nul(STR), "product": nul(STR), "direction_note": nul(STR),
    "unit_intro": nul(STR), "overview": nul(STR),
    "joint_units": {"type": ["array", "null"], "items": UNIT},
    "body": {"type": ["object", "null"], "additionalProperties": False, "properties": {
        "background": STR, "service": STR, "team": STR,
        "cases": {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {"title": STR, "text": STR}}},
        "promotion": STR}},
    "materials": {"type": ["object", "null"], "additionalProperties": False, "properties": {
        "unit": {"type": "array", "items": STR}, "scheme": {"type": "array", "items": STR}}}}
ROW = lambda *keys: {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {k: STR for k in keys}}}
PLAN_FORM = {
    "name": nul(STR), "direction": nul(STR), "industry": nul(STR), "product": nul(STR), "direction_note": nul(STR),
    "unit_intro": nul(STR), "joint_units": {"type": ["array", "null"], "items": UNIT},
    "leader": {"type": ["object", "null"], "properties": {"name": STR, "title": STR}},
    "contact": {"type": ["object", "null"], "properties": {"name": STR, "department": STR, "title": STR, "phone": STR, "email": STR}},
    "sections": {"type": ["object", "null"], "description": "Annex 2/3: approach, arrangement, organisation; Annex 4: it_status, security_status, insurance_needs",
                 "properties": {k: STR for k in ["approach", "arrangement", "organisation", "it_status", "security_status", "insurance_needs"]}},
    "institutions": ROW("name", "type", "contact", "role"), "targets": ROW("name", "industry", "contact", "phone_email"),
    "scheme_table": ROW("name", "kind", "industry", "contact", "phone_email"),
    "schemes": {"type": ["array", "null"], "items": ATTACHED}}

schemas = {
 "Round": {"type": "object", "description": "a pilot round as loaded from data/rounds/", "properties": {
    "id": STR, "name_zh": STR, "name_en": STR, "notice": STR,
    "deadlines": {"type": "object", "description": "YYYY-MM-DD (end of day, Beijing time) or null", "additionalProperties": {"type": ["string", "null"]}},
    "limits": OBJ, "progress_reports": ARR, "provinces": OBJ, "source": STR, "version": STR, "review_criteria": OBJ}},
 "Unit": {"type": "object", "properties": {"seq": INT, "uscc": STR, "name": STR, "org_id": nul(INT), "org_type": nul(STR),
    "licensed_insurer": BOOL, "confirmed_at": nul(STR), "legal_representative": nul(STR)}},
 "Scheme": {"type": "object", "description": "Annex 1 网络安全保险服务方案", "properties": {
    "id": INT, "round_id": STR, "status": {"type": "string", "enum": ["draft", "submitted", "catalogued"]}, "name": STR,
    "form": {"type": "object", "properties": SCHEME_FORM}, "lead": OBJ, "units": {"type": "array", "items": S("Unit")},
    "zishu": {"type": "object", "properties": {"unit_intro": INT, "overview": INT, "body": INT}},
    "recommendations": ARR, "received_at": nul(STR), "deadline_at": STR, "catalogue_no": nul(INT), "catalogue_code": nul(STR),
    "reviews": ARR, "review": {"type": "object", "description": "ministry and support center only", "properties": {"submitted": INT, "mean_total_x100": nul(INT)}},
    "created_at": STR, "updated_at": STR}},
 "Review": {"type": "object", "properties": {"id": INT, "scheme_id": INT, "scheme_name": STR, "expert_user_id": INT, "expert_org_id": INT,
    "status": {"type": "string", "enum": ["assigned", "submitted"]}, "scores": {"type": ["object", "null"]}, "total_x100": nul(INT),
    "comment": STR, "assigned_at": STR, "submitted_at": nul(STR), "criteria": OBJ}},
 "CatalogueEntry": {"type": "object", "properties": {"number": INT, "code": STR, "scheme_id": INT, "round_id": STR, "name": STR,
    "lead_org_id": INT, "lead_name": STR, "lead_uscc": STR, "direction": STR, "industry": STR, "product": STR, "overview": STR,
    "joint_units": {"type": "array", "items": STR}, "published_at": STR}},
 "Hop": {"type": "object", "properties": {"id": INT, "kind": {"type": "string", "enum": ["submit", "forward", "copy", "return"]},
    "from_org_id": INT, "from_name": STR, "to_org_id": INT, "to_name": STR, "received_at": STR, "deadline_key": nul(STR),
    "deadline_at": nul(STR), "extension_id": nul(INT), "comment": STR}},
 "Plan": {"type": "object", "description": "Annex 2–4 试点工作方案", "properties": {
    "id": INT, "round_id": STR, "annex": {"type": "integer", "enum": [2, 3, 4]},
    "status": {"type": "string", "enum": ["draft", "returned", "submitted", "selected"]},
    "author_org_id": INT, "author_name": STR, "holder_org_id": nul(INT), "holder_name": nul(STR), "package_id": nul(INT),
    "catalogue_scheme_id": nul(INT), "catalogue_code": nul(STR), "telecom": BOOL, "name": STR,
    "form": {"type": "object", "properties": PLAN_FORM}, "units": {"type": "array", "items": S("Unit")},
    "hops": {"type": "array", "items": S("Hop")}, "route": ARR, "zishu": OBJ, "return_comment": STR,
    "pilot_id": nul(INT), "pilot_code": nul(STR), "submitted_at": nul(STR), "created_at": STR, "updated_at": STR}},
 "Package": {"type": "object", "description": "a city's (or province's) 申报材料 forwarded as one", "properties": {
    "id": INT, "round_id": STR, "status": {"type": "string", "enum": ["open", "sent", "returned"]}, "origin_org_id": INT,
    "origin_name": STR, "holder_org_id": INT, "holder_name": STR, "comment": STR, "plan_count": INT, "plans": ARR,
    "hops": {"type": "array", "items": S("Hop")}, "next": {"type": ["object", "null"]}, "created_at": STR, "updated_at": STR}},
 "Extension": {"type": "object", "properties": {"id": INT, "round_id": STR, "deadline": STR, "org_id": INT, "org_name": STR,
    "granted_by_org_id": INT, "granted_by_name": STR, "until": STR, "until_at": STR, "reason": STR, "created_at": STR}},
 "Pilot": {"type": "object", "properties": {"id": INT, "code": STR, "round_id": STR, "status": {"type": "string", "enum": ["active", "exited"]},
    "plan_id": INT, "plan_name": STR, "annex": INT, "lead_org_id": INT, "lead_name": STR, "telecom": BOOL, "start_date": STR,
    "selected_at": STR, "exited_at": nul(STR), "exit_reason": nul(STR), "exited_by": nul(STR),
    "timeline": {"type": "array", "items": {"type": "object", "properties": {"at": STR, "kind": STR, "text_zh": STR, "text_en": STR}}},
    "reports": ARR, "summaries": ARR}},
 "Report": {"type": "object", "properties": {"id": INT, "pilot_id": INT, "pilot_code": STR, "period": STR, "insured_enterprises": INT,
    "policies": INT, "premium_fen": INT, "sum_insured_fen": INT, "assessments": INT, "alerts": INT, "incidents": INT,
    "claims_paid_fen": INT, "text": STR, "due_at": STR, "received_at": STR, "late": BOOL, "org_id": INT}},
 "Summary": {"type": "object", "properties": {"id": INT, "round_id": STR, "level": {"type": "string", "enum": ["pilot", "city", "province"]},
    "pilot_id": nul(INT), "pilot_code": nul(STR), "org_id": INT, "org_name": STR, "to_org_id": INT, "to_name": STR,
    "progress": STR, "innovation": STR, "services": STR, "deadline": STR, "due_at": nul(STR), "received_at": STR, "late": BOOL}},
 "OverdueItem": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["report", "pilot_summary", "city_summary", "province_summary"]},
    "org_id": INT, "org_name": STR, "pilot_id": nul(INT), "pilot_code": nul(STR), "period": nul(STR), "due_at": STR}},
}
doc["components"]["schemas"].update(schemas)

LF = [q("round_id"), q("status")] + PAGE
CONFIRM = body({"legal_representative": STR}, ["legal_representative"])
COMMENT = body({"comment": STR}, ["comment"])
paths = {
 "/api/v1/rounds": {"get": op("Pilot rounds (data/rounds/), public", "listRounds", {"200": listof("Round", "rounds")}, secure=False)},
 "/api/v1/rounds/{id}": {"get": op("One round: every deadline, per-province override, limit, report period and the review criteria", "getRound", {"200": one("Round", "round")}, [{**ID, "schema": STR}], secure=False)},
 "/api/v1/schemes": {
   "get": op("Annex 1 schemes the caller sees", "listSchemes", {"200": listof("Scheme", "schemes")}, LF),
   "post": op("Draft a scheme as its lead (insurer or service institution)", "createScheme", {"201": one("Scheme", "draft")},
              req=body({"round_id": STR, **SCHEME_FORM}, ["round_id"]), write=True)},
 "/api/v1/schemes/{id}": {
   "get": op("One scheme (404 outside the caller's visibility)", "getScheme", {"200": one("Scheme", "scheme")}, [ID]),
   "patch": op("Edit a draft (its lead); voids the units' confirmations", "updateScheme", {"200": one("Scheme", "scheme")}, [ID], body(SCHEME_FORM), write=True)},
 "/api/v1/schemes/{id}/confirm": {"post": op("真实性承诺 and 申报主体责任声明 of the caller's unit, by its admin", "confirmScheme", {"200": one("Scheme", "scheme")}, [ID], CONFIRM, write=True)},
 "/api/v1/schemes/{id}/submit": {"post": op("Submit to the ministry (deadline judged on receipt)", "submitScheme", {"200": one("Scheme", "scheme")}, [ID], write=True)},
 "/api/v1/schemes/{id}/recommendations": {"post": op("推荐意见 of a provincial authority, 计划单列市 or 通信管理局", "recommendScheme", {"201": one("Scheme", "scheme")}, [ID], body({"text": STR}, ["text"]), write=True)},
 "/api/v1/schemes/{id}/reviewers": {"post": op("Assign a review expert (ministry, support center); an applicant unit's expert is refused", "assignReviewer", {"201": one("Review", "review")}, [ID], body({"user_id": INT}, ["user_id"]), write=True)},
 "/api/v1/reviews": {"get": op("Reviews: an expert's own, or all (ministry, support center)", "listReviews", {"200": listof("Review", "reviews")}, LF)},
 "/api/v1/reviews/{id}": {
   "get": op("A scoring sheet with its criteria", "getReview", {"200": one("Review", "review")}, [ID]),
   "put": op("Score every criterion (the assigned expert)", "submitReview", {"200": one("Review", "review")}, [ID],
             body({"scores": {"type": "object", "additionalProperties": {"type": "integer"}}, "comment": nul(STR)}, ["scores"]), write=True)},
 "/api/v1/catalogue": {
   "get": op("《网络安全保险典型服务方案目录》 (every logged-in user)", "getCatalogue", {"200": listof("CatalogueEntry", "entries")}, [q("round_id")]),
   "post": op("List reviewed schemes in the catalogue, numbered (ministry)", "publishCatalogue", {"201": listof("CatalogueEntry", "the round's catalogue")},
              req=body({"round_id": STR, "scheme_ids": {"type": "array", "items": INT}}, ["round_id", "scheme_ids"]), write=True)},
 "/api/v1/plans": {
   "get": op("Pilot plans the caller sees", "listPlans", {"200": listof("Plan", "plans")}, LF + [q("annex", "integer", minimum=2, maximum=4)]),
   "post": op("Draft an Annex 2 (authority), 3 (catalogued institution) or 4 (enterprise) plan", "createPlan", {"201": one("Plan", "draft")},
              req=body({"round_id": STR, "annex": {"type": "integer", "enum": [2, 3, 4]}, "catalogue_scheme_id": nul(INT), **PLAN_FORM}, ["round_id", "annex"]), write=True)},
 "/api/v1/plans/{id}": {
   "get": op("One plan with its units, hops and route", "getPlan", {"200": one("Plan", "plan")}, [ID]),
   "patch": op("Edit a draft or returned plan (its lead)", "updatePlan", {"200": one("Plan", "plan")}, [ID], body(PLAN_FORM), write=True)},
 "/api/v1/plans/{id}/confirm": {"post": op("Declarations of the caller's unit, by its admin", "confirmPlan", {"200": one("Plan", "plan")}, [ID], CONFIRM, write=True)},
 "/api/v1/plans/{id}/submit": {"post": op("Send to the first receiver (city; a telecom operator's also to the 通信管理局); an authority's own plan: ready to package", "submitPlan", {"200": one("Plan", "plan")}, [ID], write=True)},
 "/api/v1/plans/{id}/return": {"post": op("退回修改: the authority holding a plan sends it back with comments", "returnPlan", {"200": one("Plan", "plan")}, [ID], COMMENT, write=True)},
 "/api/v1/packages": {
   "get": op("Packages the caller sees; box=inbox (received) or outbox (assembled)", "listPackages", {"200": listof("Package", "packages")}, LF + [q("box", enum=["inbox", "outbox"])]),
   "post": op("Assemble a package of plans the caller holds (city, province)", "createPackage", {"201": one("Package", "package")},
              req=body({"round_id": STR, "plan_ids": {"type": "array", "items": INT}}, ["round_id", "plan_ids"]), write=True)},
 "/api/v1/packages/{id}": {"get": op("One package with its plans and hops", "getPackage", {"200": one("Package", "package")}, [ID])},
 "/api/v1/packages/{id}/forward": {"post": op("Forward to the next level (deadline judged on receipt there)", "forwardPackage", {"200": one("Package", "package")}, [ID], write=True)},
 "/api/v1/packages/{id}/return": {"post": op("Return a received package to its sender with comments", "returnPackage", {"200": one("Package", "package")}, [ID], COMMENT, write=True)},
 "/api/v1/extensions": {
   "get": op("Extensions granted by or to the caller", "listExtensions", {"200": listof("Extension", "extensions")}, [q("round_id")] + PAGE),
   "post": op("Grant an organisation an extension of a deadline the caller receives under (audited)", "grantExtension", {"201": one("Extension", "extension")},
              req=body({"round_id": STR, "deadline": STR, "org_id": INT, "until": {"type": "string", "format": "date"}, "reason": STR}, ["round_id", "deadline", "org_id", "until", "reason"]), write=True)},
 "/api/v1/pilots": {
   "get": op("Selected pilots the caller sees", "listPilots", {"200": listof("Pilot", "pilots")}, LF),
   "post": op("Select a pilot from a plan the ministry received", "selectPilot", {"201": one("Pilot", "pilot")},
              req=body({"plan_id": INT, "start_date": {"type": "string", "format": "date"}}, ["plan_id", "start_date"]), write=True)},
 "/api/v1/pilots/{id}": {"get": op("One pilot with its status timeline", "getPilot", {"200": one("Pilot", "pilot")}, [ID])},
 "/api/v1/pilots/{id}/exit": {"post": op("试点退出 with a reason (ministry, the pilot's province)", "exitPilot", {"200": one("Pilot", "pilot")}, [ID], body({"reason": STR}, ["reason"]), write=True)},
 "/api/v1/reports": {
   "get": op("Progress reports the caller sees", "listReports", {"200": listof("Report", "reports")}, [q("pilot_id", "integer", minimum=1)] + PAGE),
   "post": op("File a progress report for a period of the round (the pilot's lead)", "createReport", {"201": one("Report", "report")},
              req=body({"pilot_id": INT, "period": STR, **{k: {"type": "integer", "minimum": 0} for k in ["insured_enterprises", "policies", "premium_fen", "sum_insured_fen", "assessments", "alerts", "incidents", "claims_paid_fen"]}, "text": STR},
                       ["pilot_id", "period", "insured_enterprises", "policies", "premium_fen", "sum_insured_fen", "assessments", "alerts", "incidents", "claims_paid_fen", "text"]), write=True)},
 "/api/v1/summaries": {
   "get": op("Annual summaries the caller sees", "listSummaries", {"200": listof("Summary", "summaries")}, [q("round_id")] + PAGE),
   "post": op("File an annual summary of a pilot, city or province (three sections)", "createSummary", {"201": one("Summary", "summary")},
              req=body({"round_id": STR, "level": {"type": "string", "enum": ["pilot", "city", "province"]}, "pilot_id": nul(INT), "progress": STR, "innovation": STR, "services": STR},
                       ["round_id", "level", "progress", "innovation", "services"]), write=True)},
 "/api/v1/overdue": {"get": op("What is overdue now in the caller's scope (authorities)", "listOverdue", {"200": listof("OverdueItem", "overdue")}, [q("round_id")] + [TESTNOW])},
 "/api/v1/organisations/{id}/telecom-operator": {"put": op("Mark an organisation as a 基础电信企业 (ministry, support center, the province's 通信管理局)", "setTelecomOperator",
    {"200": {"description": "flag", "content": {"application/json": {"schema": {"type": "object", "properties": {"org_id": INT, "name": STR, "telecom_operator": BOOL}}}}}},
    [ID], body({"telecom_operator": BOOL}, ["telecom_operator"]), write=True)},
}
doc["paths"].update(paths)
with open(path, 'w', encoding='utf-8') as f:
    json.dump(doc, f, ensure_ascii=False, indent=1)
    f.write('\n')
print(f"{len(paths)} paths, {len(schemas)} schemas")
