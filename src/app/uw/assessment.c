/*
 * assessment.c — risk assessments (风险评估, DOMAIN.md §6): an enterprise,
 * or a service organisation on its behalf, answers the questionnaire of
 * data/questionnaire/ (saved as it goes: save and resume), states its MLPS
 * level with the latest 测评 conclusion and score and its dependencies,
 * imports external-scan findings in JSON or CSV (findings.c reads them),
 * and submits: the answers are scored by core/questionnaire.c into a score
 * 0–100, a grade A–E, the drivers that cost the most and a 防灾减损
 * recommendation for each. A submitted assessment is frozen; the next one
 * is a new record, so the history is kept. Depends on core/, store/ and
 * jansson; never http/ or cli/.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/engage/engage.h"
#include "app/uw/internal.h"
#include "core/bjtime.h"

static const char *const DEP_KEYS[4] = {"cloud", "os", "vpn", "email"};

const qn_t *
app_uw_questionnaire(const app_t *app)
{
    return &app->uw->qn;
}

/* ---------- applying what was sent ---------- */

static cy_status_t
apply_flags(const qn_t *qn, uw_assess_t *a, const uw_assessment_in_t *in, cy_error_t *err)
{
    a->profile.flags = 0;
    a->flags[0] = '\0';
    for (size_t i = 0; i < in->n_flags; i++) {
        const uw_value_t *v = &in->flags[i];
        int f = v->kind == UW_STRING ? qn_flag_find(qn, v->s) : -1;
        if (f < 0)
            return cy_error_set(err, CY_EINVAL, "flag_unknown", "flags",
                                "第 %zu 个所用系统不在问卷的选项之中，请从列表中选择 / system "
                                "%zu is not one of the questionnaire's: choose from the list",
                                i + 1, i + 1);
        if (a->profile.flags & (1u << f))
            continue;
        a->profile.flags |= 1u << f;
        size_t used = strlen(a->flags);
        snprintf(a->flags + used, sizeof a->flags - used, "%s%s", used ? "," : "", qn->flags[f]);
    }
    return CY_OK;
}

/* The answer as stored: the code, or the number as it was sent. */
static json_t *
answer_doc(const uw_value_t *v)
{
    if (v->kind == UW_STRING)
        return json_string(v->s);
    return v->kind == UW_INTEGER ? json_integer(v->i) : json_real(v->x);
}

static cy_status_t
apply_answer(const qn_t *qn, uw_assess_t *a, const uw_answer_in_t *in, cy_error_t *err)
{
    char field[64];
    snprintf(field, sizeof field, "answers.%.40s", in->question);
    int i = qn_question_find(qn, in->question);
    if (i < 0)
        return cy_error_set(err, CY_EINVAL, "question_unknown", field,
                            "问卷中没有问题 %.40s / the questionnaire has no question %.40s",
                            in->question, in->question);
    const uw_value_t *v = &in->value;
    if (v->kind == UW_NULL) { /* null takes an answer back */
        json_object_del(a->answers_doc, in->question);
        memset(&a->answers[i], 0, sizeof a->answers[i]);
        return CY_OK;
    }
    int number = v->kind == UW_INTEGER || v->kind == UW_REAL;
    cy_status_t st = v->kind == UW_STRING || number
                         ? qn_answer_parse(qn, (size_t)i, v->kind == UW_STRING ? v->s : NULL,
                                           number, v->x, &a->answers[i], err)
                         : CY_EINVAL;
    if (st == CY_OK) {
        json_object_set_new(a->answers_doc, in->question, answer_doc(v));
        return CY_OK;
    }
    /* the question in its words, not its key */
    const qn_question_t *q = &qn->questions[i];
    char zh[96], en[96];
    return cy_error_set(err, CY_EINVAL, "answer_invalid", field,
                        "“%s”的回答无效，请从所列选项中选择或重新填写 / the answer to \"%s\" is "
                        "not valid: choose one of its options or enter it again",
                        uw_short(q->text_zh, zh), uw_short(q->text_en, en));
}

static cy_status_t
mlps_invalid(const char *field, const char *zh, const char *en, cy_error_t *err)
{
    return cy_error_set(err, CY_EINVAL, "mlps_invalid", field, "%s / %s", zh, en);
}

static cy_status_t
apply_mlps(const qn_t *qn, uw_assessment_t *v, const uw_mlps_in_t *m, cy_error_t *err)
{
    if (m->unknown != NULL)
        return uw_unknown_key(m->unknown, err);
    int present = 0;
    int64_t level = 0;
    if (uw_value_int(&m->level, "level", 0, 5, &present, &level, err) != CY_OK)
        return mlps_invalid("mlps.level", "等级保护级别应为 0（未定级）到 5",
                            "the MLPS level must be 0 (not graded) to 5", err);
    if (present)
        v->mlps_level = (int)level;
    const uw_value_t *c = &m->conclusion, *s = &m->score, *d = &m->date;
    if (c->kind == UW_NULL)
        v->mlps_conclusion[0] = '\0';
    else if (c->kind != UW_ABSENT && (c->kind != UW_STRING || qn_conclusion_find(qn, c->s) < 0))
        return mlps_invalid("mlps.conclusion",
                            "测评结论应为 excellent（优）、good（良）、fair（中）或 poor（差）",
                            "the 测评 conclusion must be excellent, good, fair or poor", err);
    else if (c->kind == UW_STRING)
        uw_copy(v->mlps_conclusion, sizeof v->mlps_conclusion, c->s);
    int number = s->kind == UW_INTEGER || s->kind == UW_REAL;
    if (s->kind == UW_NULL)
        v->mlps_score_tenths = -1;
    else if (s->kind != UW_ABSENT && (!number || s->x < 0.0 || s->x > 100.0))
        return mlps_invalid("mlps.score", "测评得分应在 0 到 100 之间",
                            "the 测评 score must be from 0 to 100", err);
    else if (number)
        v->mlps_score_tenths = (int)floor(s->x * 10.0 + 0.5);
    int y, mo, dd;
    if (d->kind == UW_NULL)
        v->mlps_date[0] = '\0';
    else if (d->kind != UW_ABSENT) {
        cy_status_t st =
            uw_date_parse(d->kind == UW_STRING ? d->s : NULL, "mlps.date", &y, &mo, &dd, err);
        if (st != CY_OK)
            return st;
        uw_copy(v->mlps_date, sizeof v->mlps_date, d->s);
    }
    return CY_OK;
}

static cy_status_t
apply_dependencies(uw_assessment_t *v, const uw_assessment_in_t *in, cy_error_t *err)
{
    if (in->dep_unknown != NULL)
        return uw_unknown_key(in->dep_unknown, err);
    for (int d = 0; d < 4; d++) {
        if (in->dep[d].kind == UW_ABSENT)
            continue;
        const char *s;
        cy_status_t st = uw_value_text(&in->dep[d], DEP_KEYS[d], 60, 0, &s, err);
        if (st != CY_OK)
            return st;
        uw_copy(v->dep[d], sizeof v->dep[d], s);
    }
    return CY_OK;
}

/* Apply the profile, answers, MLPS facts and dependencies given. */
static cy_status_t
apply_in(const app_t *app, uw_assess_t *a, const uw_assessment_in_t *in, cy_error_t *err)
{
    const qn_t *qn = &app->uw->qn;
    cy_status_t st = CY_OK;
    if (in->has_target_industry) {
        const char *s = in->target_industry;
        if ((st = uw_text_check(s, "target_industry", 39, 0, err)) != CY_OK)
            return st;
        if (s && s[0] && ref_target_industry_find(app->ref, s) == NULL)
            return cy_error_set(
                err, CY_EINVAL, "target_industry_unknown", "target_industry",
                "未知的试点目标行业 %s（见 /api/v1/ref/pilot） / unknown pilot target "
                "industry %s (see /api/v1/ref/pilot)",
                s, s);
        uw_copy(a->profile.target_industry, sizeof a->profile.target_industry, s);
    }
    if (in->has_flags && (st = apply_flags(qn, a, in, err)) != CY_OK)
        return st;
    for (size_t i = 0; in->has_answers && i < in->n_answers && st == CY_OK; i++)
        st = apply_answer(qn, a, &in->answers[i], err);
    if (st == CY_OK && in->has_mlps)
        st = apply_mlps(qn, &a->v, &in->mlps, err);
    if (st == CY_OK && in->has_dependencies)
        st = apply_dependencies(&a->v, in, err);
    if (st == CY_OK)
        uw_assess_view(qn, a);
    return st;
}

/* ---------- use cases ---------- */

/* The assessed enterprise of a new assessment: the caller itself, or org_id for others. */
static cy_status_t
assessed_org(store_conn_t *c, const actor_t *a, int64_t now, const uw_opt_int_t *org,
             uw_assess_t *r, cy_error_t *err)
{
    int64_t id = org->v;
    cy_status_t st = org->given ? uw_int_check(id, "org_id", 1, INT64_MAX, err) : CY_OK;
    if (st != CY_OK)
        return st;
    if (a->org_type == ORG_ENTERPRISE && org->given && id != a->org_id)
        return cy_error_set(err, CY_EFORBIDDEN, "forbidden", "org_id",
                            "企业只能评估本企业 / an enterprise assesses only itself");
    if (a->org_type == ORG_ENTERPRISE)
        id = a->org_id;
    else if (!org->given)
        return cy_error_set(err, CY_EINVAL, "missing_field", "org_id",
                            "请选择被评估的企业 / choose the enterprise assessed");
    /* the assessed organisation must be an enterprise; anything else reads as absent */
    uw_org_t o;
    int found = 0;
    if ((st = uw_org_read(c, id, &o, &found, err)) != CY_OK)
        return st;
    /* a service organisation acts only for an enterprise that engaged it: else, as absent */
    int engaged = a->org_type != ORG_SERVICE_ORG;
    if (found && !engaged &&
        (st = engage_active(c, a->org_id, id, "assessment", now, &engaged, err)) != CY_OK)
        return st;
    if (!found || strcmp(o.type, "enterprise") != 0 || !engaged)
        return cy_error_set(err, CY_ENOTFOUND, "not_found", "org_id",
                            "企业 %" PRId64 " 不存在 / enterprise %" PRId64 " not found", id, id);
    r->v.org_id = id;
    uw_copy(r->v.org_name, sizeof r->v.org_name, o.name);
    return CY_OK;
}

/*
 * A draft that starts from an earlier submitted assessment of the same
 * enterprise (a renewal's: the last answers, only changes to confirm): its
 * profile, answers, MLPS facts and dependencies; findings are not carried
 * (scan again). Refused on from_assessment_id: not visible, another
 * enterprise's, not submitted.
 */
static cy_status_t
start_from(const app_t *app, store_conn_t *c, const actor_t *a, int64_t now,
           const uw_opt_int_t *from, uw_assess_t *r, cy_error_t *err)
{
    if (!from->given)
        return CY_OK;
    uw_assess_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return cy_error_no_memory(err);
    int found = 0, visible = 0;
    cy_status_t st = uw_assess_read(c, &app->uw->qn, from->v, s, &found, err);
    if (st == CY_OK && found)
        st = uw_assess_visible(c, a, s, now, &visible, err);
    if (st == CY_OK &&
        (!found || !visible || s->v.org_id != r->v.org_id || strcmp(s->v.status, "submitted") != 0))
        st = cy_error_set(err, CY_EINVAL, "from_assessment_invalid", "from_assessment_id",
                          "只能从本企业已提交的评估 %" PRId64 " 开始 / a new assessment starts "
                          "only from a submitted assessment of the same enterprise (%" PRId64 ")",
                          from->v, from->v);
    if (st == CY_OK) {
        r->profile = s->profile;
        memcpy(r->flags, s->flags, sizeof r->flags);
        memcpy(r->answers, s->answers, sizeof r->answers);
        json_decref(r->answers_doc);
        r->answers_doc = json_deep_copy(s->answers_doc);
        uw_copy(r->v.target_industry, sizeof r->v.target_industry, s->v.target_industry);
        r->v.mlps_level = s->v.mlps_level;
        uw_copy(r->v.mlps_conclusion, sizeof r->v.mlps_conclusion, s->v.mlps_conclusion);
        r->v.mlps_score_tenths = s->v.mlps_score_tenths;
        uw_copy(r->v.mlps_date, sizeof r->v.mlps_date, s->v.mlps_date);
        memcpy(r->v.dep, s->v.dep, sizeof r->v.dep);
        if (r->answers_doc == NULL)
            st = cy_error_no_memory(err);
    }
    uw_assess_free(s);
    free(s);
    return st;
}

/* A new draft of the caller's, on the questionnaire of today. */
static cy_status_t
new_draft(const app_t *app, const actor_t *a, int64_t now, uw_assess_t *r, cy_error_t *err)
{
    memset(r, 0, sizeof *r);
    r->v.author_org_id = a->org_id;
    r->author_user_id = a->user_id;
    uw_copy(r->v.status, sizeof r->v.status, "draft");
    uw_copy(r->v.questionnaire_version, sizeof r->v.questionnaire_version, app->uw->qn.version);
    r->v.mlps_score_tenths = -1;
    r->v.with_findings = 1;
    utc_format_iso(now, r->v.created_at);
    utc_format_iso(now, r->v.updated_at);
    r->answers_doc = json_object();
    return r->answers_doc ? CY_OK : cy_error_no_memory(err);
}

/* Hand the view out: the caller owns what it points to now. */
static void
give_view(uw_assess_t *r, uw_assessment_t *out)
{
    *out = r->v;
    memset(&r->v, 0, sizeof r->v);
    uw_assess_free(r);
}

cy_status_t
app_uw_assessment_create(app_t *app, const actor_t *a, int64_t now, const uw_assessment_in_t *in,
                         uw_assessment_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_ASSESSMENT_WRITE) || a->org_id <= 0)
        return app_forbidden(err, ACT_ASSESSMENT_WRITE);
    uw_assess_t *r = malloc(sizeof *r);
    if (r == NULL)
        return cy_error_no_memory(err);
    cy_status_t st = new_draft(app, a, now, r, err);
    store_conn_t *c;
    if (st == CY_OK && (st = store_tx_open(app->store, &c, err)) == CY_OK) {
        char id[24], on[96];
        st = assessed_org(c, a, now, &in->org_id, r, err);
        if (st == CY_OK)
            st = start_from(app, c, a, now, &in->from_assessment_id, r, err);
        if (st == CY_OK)
            st = apply_in(app, r, in, err);
        if (st == CY_OK)
            st = uw_assess_insert(c, r, err);
        if (st == CY_OK)
            st = app_audit_append(c, a, now, "assessment.create", "assessment",
                                  uw_id_text(r->v.id, id), err,
                                  "开始对“%s”的风险评估 / started a risk assessment of \"%s\"",
                                  uw_short(r->v.org_name, on), on);
        st = store_tx_close(app->store, c, st, err);
    }
    if (st == CY_OK)
        give_view(r, out);
    else
        uw_assess_free(r);
    free(r);
    return st;
}

/* The assessment for a write: visible (404), its enterprise or author (403), a draft (409). */
static cy_status_t
load_for_write(const app_t *app, store_conn_t *c, const actor_t *a, int64_t now, int64_t id,
               uw_assess_t *r, cy_error_t *err)
{
    int found = 0, visible = 0;
    cy_status_t st = uw_assess_read(c, &app->uw->qn, id, r, &found, err);
    if (st == CY_OK && found)
        st = uw_assess_visible(c, a, r, now, &visible, err);
    if (st != CY_OK)
        return st;
    if (!found || !visible)
        return app_not_found(err, "风险评估", "assessment", id);
    if (!uw_may(a, ACT_ASSESSMENT_WRITE) ||
        (!a->cli && r->v.org_id != a->org_id && r->v.author_org_id != a->org_id))
        return app_forbidden(err, ACT_ASSESSMENT_WRITE);
    if (strcmp(r->v.status, "draft") != 0)
        return cy_error_set(
            err, CY_ECONFLICT, "assessment_submitted", "status",
            "风险评估已提交，不能修改；请开始新的评估 / the assessment is submitted "
            "and cannot change; start a new one");
    return CY_OK;
}

/* The change of a draft, with its audit entry. */
static cy_status_t
update_in(app_t *app, store_conn_t *c, const actor_t *a, int64_t now, const uw_assessment_in_t *in,
          uw_assess_t *r, cy_error_t *err)
{
    char id[24], on[96];
    /* the assessed enterprise is chosen once, at creation */
    if (in->org_id.given)
        return uw_unknown_key("org_id", err);
    if (in->from_assessment_id.given)
        return uw_unknown_key("from_assessment_id", err);
    uw_copy(r->v.questionnaire_version, sizeof r->v.questionnaire_version, app->uw->qn.version);
    utc_format_iso(now, r->v.updated_at);
    cy_status_t st = apply_in(app, r, in, err);
    if (st == CY_OK)
        st = uw_assess_update(c, r, err);
    if (st == CY_OK)
        st = app_audit_append(c, a, now, "assessment.update", "assessment", uw_id_text(r->v.id, id),
                              err, "保存对“%s”的风险评估 / saved the risk assessment of \"%s\"",
                              uw_short(r->v.org_name, on), on);
    return st;
}

cy_status_t
app_uw_assessment_update(app_t *app, const actor_t *a, int64_t now, int64_t id,
                         const uw_assessment_in_t *in, uw_assessment_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_assess_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st == CY_OK) {
        st = load_for_write(app, c, a, now, id, r, err);
        if (st == CY_OK)
            st = update_in(app, c, a, now, in, r, err);
        st = store_tx_close(app->store, c, st, err);
    }
    if (st == CY_OK)
        give_view(r, out);
    else
        uw_assess_free(r);
    free(r);
    return st;
}

cy_status_t
app_uw_assessment_get(app_t *app, const actor_t *a, int64_t now, int64_t id, uw_assessment_t *out,
                      cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_assess_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    int found = 0, visible = 0;
    if (st == CY_OK) {
        st = uw_assess_read(c, &app->uw->qn, id, r, &found, err);
        if (st == CY_OK && found)
            st = uw_assess_visible(c, a, r, now, &visible, err);
        store_release(app->store, c);
    }
    if (st == CY_OK && (!found || !visible))
        st = app_not_found(err, "风险评估", "assessment", id);
    if (st == CY_OK && !uw_may(a, ACT_ASSESSMENT_READ))
        st = app_forbidden(err, ACT_ASSESSMENT_READ);
    if (st == CY_OK)
        give_view(r, out);
    else
        uw_assess_free(r);
    free(r);
    return st;
}

cy_status_t
app_uw_assessment_list(app_t *app, const actor_t *a, int64_t now, int64_t org_id,
                       const app_page_t *pg, uw_assessment_list_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    if (!uw_may(a, ACT_ASSESSMENT_READ))
        return app_forbidden(err, ACT_ASSESSMENT_READ);
    store_conn_t *c;
    cy_status_t st = store_acquire(app->store, &c, err);
    if (st != CY_OK)
        return st;
    st = uw_assess_list_read(c, uw_scope_at(a, now), org_id, pg, out, err);
    store_release(app->store, c);
    if (st != CY_OK)
        uw_assessment_list_free(out);
    return st;
}

/* ---------- findings ---------- */

cy_status_t
app_uw_assessment_findings(app_t *app, const actor_t *a, int64_t now, int64_t id,
                           const uw_findings_in_t *in, uw_assessment_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_finding_t *rows = NULL;
    size_t n = 0;
    cy_status_t st = uw_findings_parse(in, now, &rows, &n, err);
    uw_assess_t *r = calloc(1, sizeof *r);
    if (st == CY_OK && r == NULL)
        st = cy_error_no_memory(err);
    store_conn_t *c;
    if (st == CY_OK && (st = store_tx_open(app->store, &c, err)) == CY_OK) {
        char at[32], ids[24], on[96];
        utc_format_iso(now, at);
        st = load_for_write(app, c, a, now, id, r, err);
        if (st == CY_OK)
            st = uw_findings_write(c, id, rows, n, in->replace, at, err);
        if (st == CY_OK)
            st = app_audit_append(c, a, now, "assessment.findings", "assessment",
                                  uw_id_text(id, ids), err,
                                  "为“%s”的风险评估导入 %zu 条外部扫描发现%s / imported %zu "
                                  "external scan findings into the assessment of \"%s\"%s",
                                  uw_short(r->v.org_name, on), n, in->replace ? "（替换原有）" : "",
                                  n, on, in->replace ? " (replacing the earlier ones)" : "");
        if (st == CY_OK) {
            uw_copy(r->v.updated_at, sizeof r->v.updated_at, at);
            free(r->v.findings);
            st = uw_findings_read(c, id, &r->v.findings, &r->v.n_findings, err);
        }
        st = store_tx_close(app->store, c, st, err);
    }
    if (st == CY_OK)
        give_view(r, out);
    else if (r != NULL)
        uw_assess_free(r);
    free(r);
    free(rows);
    return st;
}

/* ---------- submit: score and freeze ---------- */

/* The driver's id and words. */
static void
driver_words(const qn_t *qn, const qn_driver_t *d, const char *w[5])
{
    switch (d->kind) {
    case QN_DRIVER_QUESTION: {
        const qn_question_t *q = &qn->questions[d->question];
        w[0] = q->id, w[1] = q->driver_zh, w[2] = q->driver_en, w[3] = q->advice_zh,
        w[4] = q->advice_en;
        break;
    }
    case QN_DRIVER_KEV:
        w[0] = "evidence.kev_internet", w[1] = qn->kev.driver_zh, w[2] = qn->kev.driver_en,
        w[3] = qn->kev.advice_zh, w[4] = qn->kev.advice_en;
        break;
    case QN_DRIVER_SEVERE:
        w[0] = "evidence.severe", w[1] = qn->severe.driver_zh, w[2] = qn->severe.driver_en,
        w[3] = qn->severe.advice_zh, w[4] = qn->severe.advice_en;
        break;
    default:
        w[0] = "mlps", w[1] = "等级测评结论", w[2] = "MLPS assessment conclusion",
        w[3] = qn->mlps_advice_zh, w[4] = qn->mlps_advice_en;
        break;
    }
}

/* The scoring as stored with the assessment: score, grade, cap, counts, drivers, advice. */
static char *
result_text(const qn_t *qn, const qn_result_t *res)
{
    static const char *const KINDS[] = {"question", "kev", "severe", "mlps"};
    json_t *drivers = json_array(), *recs = json_array();
    for (size_t i = 0; i < res->n_drivers; i++) {
        const qn_driver_t *d = &res->drivers[i];
        const char *w[5];
        driver_words(qn, d, w);
        /* contributions are shown to 0.01 point: the scale a person reads */
        double pts = floor(d->points * 100.0 + 0.5) / 100.0;
        json_array_append_new(drivers, json_pack("{s:i, s:s, s:s, s:s, s:s, s:f, s:I}", "rank",
                                                 (int)i + 1, "kind", KINDS[d->kind], "id", w[0],
                                                 "name_zh", w[1], "name_en", w[2], "points", pts,
                                                 "count", (json_int_t)d->count));
        json_array_append_new(
            recs, json_pack("{s:s, s:s, s:s}", "driver", w[0], "text_zh", w[3], "text_en", w[4]));
    }
    char g[2] = {res->grade, '\0'}, gu[2] = {res->grade_uncapped, '\0'};
    json_t *cap = json_null();
    if (res->cap_question >= 0) {
        char cg[2] = {qn->questions[res->cap_question].cap_grade, '\0'};
        cap = json_pack("{s:s, s:s}", "question", qn->questions[res->cap_question].id, "grade", cg);
    }
    json_t *j = json_pack(
        "{s:f, s:f, s:f, s:f, s:f, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o}",
        "control_score", floor(res->control_score * 100.0 + 0.5) / 100.0, "kev_penalty",
        res->kev_penalty, "severe_penalty", res->severe_penalty, "mlps_points", res->mlps_points,
        "score", floor(res->score * 100.0 + 0.5) / 100.0, "grade", g, "grade_uncapped", gu, "cap",
        cap, "counts", "applicable", (json_int_t)res->applicable, "answered",
        (json_int_t)res->answered, "unanswered", (json_int_t)res->unanswered, "not_applicable",
        (json_int_t)res->not_applicable, "kev_findings", (json_int_t)res->kev_findings,
        "severe_findings", (json_int_t)res->severe_findings, "drivers", drivers, "recommendations",
        recs);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
    json_decref(j);
    return text;
}

/* Score r's answers and evidence and freeze it as submitted at now. */
static cy_status_t
score_and_freeze(const qn_t *qn, store_conn_t *c, uw_assess_t *r, int64_t now, cy_error_t *err)
{
    uw_assessment_t *v = &r->v;
    qn_mlps_t mlps = {v->mlps_level, qn_conclusion_find(qn, v->mlps_conclusion),
                      v->mlps_score_tenths >= 0 ? v->mlps_score_tenths / 10.0 : -1.0};
    qn_result_t res;
    cy_status_t st =
        qn_score(qn, &r->profile, r->answers, r->evidence, v->n_findings, &mlps, &res, err);
    if (st != CY_OK)
        return st;
    free(v->result);
    if ((v->result = result_text(qn, &res)) == NULL)
        return cy_error_no_memory(err);
    uw_copy(v->status, sizeof v->status, "submitted");
    v->scored = 1;
    v->score = floor(res.score * 100.0 + 0.5) / 100.0;
    v->grade = res.grade;
    utc_format_iso(now, v->submitted_at);
    utc_format_iso(now, v->updated_at);
    r->submitted_at = now;
    return uw_assess_set_submitted(c, r, err);
}

cy_status_t
app_uw_assessment_submit(app_t *app, const actor_t *a, int64_t now, int64_t id,
                         uw_assessment_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    uw_assess_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return cy_error_no_memory(err);
    store_conn_t *c;
    cy_status_t st = store_tx_open(app->store, &c, err);
    if (st == CY_OK) {
        char ids[24], on[96], g[2] = {0, 0};
        st = load_for_write(app, c, a, now, id, r, err);
        if (st == CY_OK)
            st = score_and_freeze(&app->uw->qn, c, r, now, err);
        g[0] = r->v.grade;
        if (st == CY_OK)
            st = app_audit_append(c, a, now, "assessment.submit", "assessment", uw_id_text(id, ids),
                                  err,
                                  "提交“%s”的风险评估：得分 %.2f，等级 %s / submitted the risk "
                                  "assessment of \"%s\": score %.2f, grade %s",
                                  uw_short(r->v.org_name, on), r->v.score, g, on, r->v.score, g);
        st = store_tx_close(app->store, c, st, err);
    }
    if (st == CY_OK)
        give_view(r, out);
    else
        uw_assess_free(r);
    free(r);
    return st;
}
