/*
 * authz.c — the one role × action table of every capability, and
 * visibility scopes. Pure: libc only.
 *
 * Visibility (DOMAIN.md §1): ministry and support center see everything; a
 * province, its communications administration and a city see the records of
 * their region (region-code prefix) but not other organisations' personal
 * contact data; every other organisation sees its own records. Which records
 * fall in a scope is decided in app/ with authz_region_prefix; whether a
 * role may act at all is this table.
 */
#include "core/authz.h"

#include <string.h>

static const char *const ORG_NAMES[ORG_TYPE_COUNT] = {
    "ministry", "support_center", "province",   "city",   "comm_admin",
    "insurer",  "service_org",    "enterprise", "expert",
};

static const char *const ORG_NAMES_ZH[ORG_TYPE_COUNT] = {
    "工业和信息化部",           "试点支撑平台", "省级工业和信息化主管部门",
    "地市工业和信息化主管部门", "通信管理局",   "保险机构",
    "网络安全保险服务机构",     "行业企业",     "评审专家",
};

static const char *const ROLE_NAMES[ROLE_COUNT] = {"admin", "member", "viewer"};

/*
 * The one role × action table. Bits of who may: A admin, M member, V viewer;
 * columns are organisation types in the order of org_type_t. A viewer only
 * reads; an admin manages its organisation's users and profile, and only an
 * admin speaks for its unit in a declaration (the notice asks for the
 * 法定代表人's signature and the unit's seal).
 */
enum { A = 1, M = 2, V = 4, AMV = A | M | V, AM = A | M };

typedef struct {
    const char *name;    /* as the API and /api/v1/me show it */
    const char *zh, *en; /* in words, for refusals */
    unsigned char who[ORG_TYPE_COUNT];
} action_row_t;

/* clang-format off */
static const action_row_t TABLE[ACT_COUNT] = {
    /* who:                                        min  sup  prov city ca   ins  svc  ent  exp */
    [ACT_ORG_CREATE] = {"org.create", "登记机构", "register an organisation",
                                                  {AM,  AM,  0,   0,   0,   0,   0,   0,   0}},
    [ACT_ORG_READ] = {"org.read", "查看机构信息", "read an organisation",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV}},
    [ACT_ORG_UPDATE] = {"org.update", "修改本机构信息", "change the organisation's profile",
                                                  {A,   A,   A,   A,   A,   A,   A,   A,   A}},
    /* name, region, type and USCC are the registry's: the operators and the regional
       authority (its own region only; type and USCC the operators only), never the
       organisation itself */
    [ACT_ORG_REGISTER] = {"org.register", "修改机构登记信息",
                          "change an organisation's registered name, region, type or USCC",
                                                  {AM,  AM,  A,   A,   0,   0,   0,   0,   0}},
    [ACT_ORG_DIRECTORY] = {"org.directory", "查看辖区机构名录", "list the organisations of a region",
                                                  {AMV, AMV, AMV, AMV, AMV, 0,   0,   0,   0}},
    [ACT_USER_READ] = {"user.read", "查看用户", "read users",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV}},
    [ACT_USER_MANAGE] = {"user.manage", "管理用户", "manage users",
                                                  {A,   A,   A,   A,   A,   A,   A,   A,   A}},
    [ACT_TOKEN_MANAGE] = {"token.manage", "管理 API 令牌", "manage API tokens",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV}},
    [ACT_AUDIT_READ] = {"audit.read", "查看审计日志", "read the audit log",
                                                  {AMV, AMV, A,   A,   A,   A,   A,   A,   A}},
    [ACT_AUDIT_VERIFY] = {"audit.verify", "校验审计链", "verify the audit chain",
                                                  {A,   A,   0,   0,   0,   0,   0,   0,   0}},
    /* accumulation is the insurer's question, and the regulators' */
    [ACT_SIM_RUN] = {"sim.run", "运行组合模拟", "run a portfolio simulation",
                                                  {AM,  AM,  0,   0,   0,   AM,  0,   0,   0}},
    [ACT_SIM_READ] = {"sim.read", "查看组合模拟", "read portfolio simulations",
                                                  {AMV, AMV, 0,   0,   0,   AMV, 0,   0,   0}},

    [ACT_SCHEME_WRITE] = {"scheme.write", "编写和提交服务方案（附件1）",
                          "write and submit a service scheme (Annex 1)",
                                                  {0,   0,   0,   0,   0,   AM,  AM,  0,   0}},
    [ACT_UNIT_CONFIRM] = {"unit.confirm", "代表本单位确认承诺和声明",
                          "confirm the declarations for one's unit",
                                                  {0,   0,   0,   0,   0,   A,   A,   A,   A}},
    [ACT_SCHEME_RECOMMEND] = {"scheme.recommend", "填写推荐意见", "recommend a scheme",
                                                  {0,   0,   AM,  AM,  AM,  0,   0,   0,   0}},
    [ACT_REVIEW_ASSIGN] = {"review.assign", "分配评审专家", "assign review experts",
                                                  {AM,  AM,  0,   0,   0,   0,   0,   0,   0}},
    [ACT_REVIEW_SCORE] = {"review.score", "评审打分", "score a scheme",
                                                  {0,   0,   0,   0,   0,   0,   0,   0,   AM}},
    [ACT_CATALOGUE_PUBLISH] = {"catalogue.publish", "发布典型服务方案目录", "publish the catalogue",
                                                  {AM,  0,   0,   0,   0,   0,   0,   0,   0}},
    [ACT_PLAN2_WRITE] = {"plan2.write", "编写地方试点工作方案（附件2）",
                         "write a local authority's pilot plan (Annex 2)",
                                                  {0,   0,   AM,  AM,  0,   0,   0,   0,   0}},
    [ACT_PLAN3_WRITE] = {"plan3.write", "编写服务机构试点工作方案（附件3）",
                         "write a service institution's pilot plan (Annex 3)",
                                                  {0,   0,   0,   0,   0,   AM,  AM,  0,   0}},
    [ACT_PLAN4_WRITE] = {"plan4.write", "编写行业企业试点工作方案（附件4）",
                         "write an enterprise's pilot plan (Annex 4)",
                                                  {0,   0,   0,   0,   0,   0,   0,   AM,  0}},
    [ACT_PLAN_ROUTE] = {"plan.route", "报送、转报或退回试点材料", "forward or return pilot material",
                                                  {AM,  0,   AM,  AM,  0,   0,   0,   0,   0}},
    [ACT_EXTENSION_GRANT] = {"extension.grant", "批准延期", "grant an extension",
                                                  {AM,  0,   AM,  AM,  0,   0,   0,   0,   0}},
    [ACT_PILOT_SELECT] = {"pilot.select", "遴选试点", "select pilots",
                                                  {AM,  0,   0,   0,   0,   0,   0,   0,   0}},
    [ACT_PILOT_EXIT] = {"pilot.exit", "办理试点退出", "exit a pilot",
                                                  {AM,  0,   AM,  0,   0,   0,   0,   0,   0}},
    [ACT_REPORT_WRITE] = {"report.write", "报告试点进展", "report a pilot's progress",
                                                  {0,   0,   AM,  AM,  0,   AM,  AM,  AM,  0}},
    [ACT_SUMMARY_WRITE] = {"summary.write", "报送年度总结", "file an annual summary",
                                                  {0,   0,   AM,  AM,  0,   AM,  AM,  AM,  0}},
    [ACT_TELECOM_FLAG] = {"telecom.flag", "标记基础电信企业", "mark a basic telecom operator",
                                                  {AM,  AM,  0,   0,   AM,  0,   0,   0,   0}},
    [ACT_PAPER_RECEIVE] = {"paper.receive", "登记纸质材料送达", "record the arrival of paper copies",
                                                  {AM,  0,   AM,  AM,  AM,  0,   0,   0,   0}},
    [ACT_WAIVER_GRANT] = {"waiver.grant", "同意超出“原则上”的限额", "waive a limit in principle",
                                                  {AM,  0,   0,   0,   0,   0,   0,   0,   0}},
    [ACT_EXTENSION_ASK] = {"extension.ask", "申请延期", "ask for an extension",
                                                  {0,   0,   AM,  AM,  0,   AM,  AM,  AM,  0}},

    [ACT_PRODUCT_READ] = {"product.read", "查看保险产品", "read insurance products",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV}},
    [ACT_PRODUCT_MANAGE] = {"product.manage", "编辑保险产品", "edit insurance products",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_PRODUCT_FILE] = {"product.file", "登记产品备案", "record a product's filing",
                                                  {0,   0,   0,   0,   0,   A,   0,   0,   0}},
    [ACT_ASSESSMENT_READ] = {"assessment.read", "查看风险评估", "read risk assessments",
                                                  {AMV, AMV, 0,   0,   0,   AMV, AMV, AMV, 0}},
    [ACT_ASSESSMENT_WRITE] = {"assessment.write", "填写风险评估", "fill in a risk assessment",
                                                  {0,   0,   0,   0,   0,   0,   AM,  AM,  0}},
    [ACT_QUOTE_PRICE] = {"quote.price", "试算保费", "price a cover",
                                                  {AM,  AM,  0,   0,   0,   AM,  AM,  AM,  0}},
    [ACT_QUOTE_APPLY] = {"quote.apply", "申请报价", "apply for a quote",
                                                  {0,   0,   0,   0,   0,   0,   AM,  AM,  0}},
    [ACT_QUOTE_READ] = {"quote.read", "查看报价", "read quotes",
                                                  {AMV, AMV, 0,   0,   0,   AMV, AMV, AMV, 0}},
    [ACT_REFERRAL_DECIDE] = {"referral.decide", "核保决定", "decide a referred quote",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_QUOTE_BIND] = {"quote.bind", "承保出单", "bind a quote",
                                                  {0,   0,   0,   0,   0,   AM,  0,   AM,  0}},
    [ACT_POLICY_READ] = {"policy.read", "查看保单", "read policies",
                                                  {AMV, AMV, 0,   0,   0,   AMV, 0,   AMV, 0}},
    [ACT_POLICY_ENDORSE] = {"policy.endorse", "批改保单", "endorse a policy",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_POLICY_CANCEL] = {"policy.cancel", "退保", "cancel a policy",
                                                  {0,   0,   0,   0,   0,   AM,  0,   A,   0}},
    [ACT_POLICY_RENEW] = {"policy.renew", "申请续保", "apply for a renewal",
                                                  {0,   0,   0,   0,   0,   0,   0,   AM,  0}},

    /* every organisation keeps files and gets notifications; its admin decides where
       they are pushed; only an enterprise engages a service organisation to act for it */
    [ACT_FILE_UPLOAD] = {"file.upload", "上传文件", "upload a file",
                                                  {AM,  AM,  AM,  AM,  AM,  AM,  AM,  AM,  AM}},
    [ACT_FILE_READ] = {"file.read", "查看本机构文件", "read the organisation's files",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV}},
    [ACT_NOTIFICATION_READ] = {"notification.read", "查看通知", "read notifications",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV, AMV}},
    [ACT_WEBHOOK_MANAGE] = {"webhook.manage", "管理 Webhook 推送", "manage webhooks",
                                                  {A,   A,   A,   A,   A,   A,   A,   A,   A}},
    [ACT_ENGAGEMENT_GRANT] = {"engagement.grant", "委托服务机构", "engage a service organisation",
                                                  {0,   0,   0,   0,   0,   0,   0,   A,   0}},
    [ACT_ENGAGEMENT_READ] = {"engagement.read", "查看委托关系", "read engagements",
                                                  {AMV, AMV, 0,   0,   0,   0,   AMV, AMV, 0}},
    /* in-force monitoring: the insured, its engaged service organisation, its insurers and the
       national operators see it; insurers and the operators bring signals in */
    [ACT_MONITOR_READ] = {"monitor.read", "查看保中监测", "read in-force monitoring",
                                                  {AMV, AMV, 0,   0,   0,   AMV, AMV, AMV, 0}},
    [ACT_MONITOR_STACK] = {"monitor.stack", "申报企业技术栈", "declare an enterprise's stack",
                                                  {0,   0,   0,   0,   0,   0,   AM,  AM,  0}},
    [ACT_SIGNAL_INGEST] = {"signal.ingest", "导入威胁信号", "bring threat signals in",
                                                  {AM,  AM,  0,   0,   0,   AM,  0,   0,   0}},
    [ACT_TASK_CLOSE] = {"task.close", "关闭防灾减损任务", "close a loss-prevention task",
                                                  {0,   0,   0,   0,   0,   0,   AM,  AM,  0}},
    [ACT_SERVICE_RECORD] = {"service.record", "登记服务记录", "record a service delivered",
                                                  {0,   0,   0,   0,   0,   0,   AM,  0,   0}},
    /* authorities see their region's aggregates (small buckets withheld), an insurer its own
       book; enterprises, service organisations and experts have no aggregate view */
    [ACT_STATS_READ] = {"stats.read", "查看试点统计", "read the pilot's statistics",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, 0,   0,   0}},
    [ACT_POLICY_ATTRIBUTE] = {"policy.attribute", "登记保单所属试点", "attribute a policy to a pilot",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    /* claims: the insured reports, the insurer adjusts and pays, its responders record their
       work; everyone on a claim writes to its timeline; authorities see figures, not claims */
    [ACT_CLAIM_NOTIFY] = {"claim.notify", "报案", "report an incident",
                                                  {0,   0,   0,   0,   0,   0,   AM,  AM,  0}},
    [ACT_CLAIM_READ] = {"claim.read", "查看理赔", "read claims",
                                                  {AMV, AMV, 0,   0,   0,   AMV, AMV, AMV, 0}},
    [ACT_CLAIM_NOTE] = {"claim.note", "记录理赔进展", "write on a claim's timeline",
                                                  {0,   0,   0,   0,   0,   AM,  AM,  AM,  0}},
    [ACT_CLAIM_ASSIGN] = {"claim.assign", "指派应急处置机构", "assign a service organisation",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_CLAIM_RESPOND] = {"claim.respond", "记录应急处置任务、工时和费用",
                           "record response tasks, hours and costs",
                                                  {0,   0,   0,   0,   0,   0,   AM,  0,   0}},
    [ACT_CLAIM_ADJUST] = {"claim.adjust", "定责定损", "decide liability and adjust the loss",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_CLAIM_SETTLE] = {"claim.settle", "理算赔款", "settle a claim",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_CLAIM_PAY] = {"claim.pay", "支付赔款和登记追偿", "record payments and recoveries",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_CLAIM_CLOSE] = {"claim.close", "结案和重开", "close or reopen a claim",
                                                  {0,   0,   0,   0,   0,   AM,  0,   0,   0}},
    [ACT_CLAIM_EVIDENCE] = {"claim.evidence", "提交证据和登记保管移交", "add evidence and record its custody",
                                                  {0,   0,   0,   0,   0,   AM,  AM,  AM,  0}},
    [ACT_CLAIM_FIGURES] = {"claim.figures", "查看理赔统计", "read claims figures",
                                                  {AMV, AMV, AMV, AMV, AMV, AMV, 0,   0,   0}},
    [ACT_PANEL_READ] = {"panel.read", "查看合作服务机构名录", "read a panel of service organisations",
                                                  {AMV, AMV, 0,   0,   0,   AMV, AMV, 0,   0}},
    [ACT_PANEL_MANAGE] = {"panel.manage", "维护合作服务机构名录", "keep a panel of service organisations",
                                                  {0,   0,   0,   0,   0,   A,   0,   0,   0}},
};
/* clang-format on */

const char *
authz_org_type_name(org_type_t t)
{
    return (unsigned)t < ORG_TYPE_COUNT ? ORG_NAMES[t] : "?";
}

const char *
authz_org_type_name_zh(org_type_t t)
{
    return (unsigned)t < ORG_TYPE_COUNT ? ORG_NAMES_ZH[t] : "?";
}

const char *
authz_role_name(user_role_t r)
{
    return (unsigned)r < ROLE_COUNT ? ROLE_NAMES[r] : "?";
}

const char *
authz_action_name(authz_action_t a)
{
    return (unsigned)a < ACT_COUNT ? TABLE[a].name : "?";
}

const char *
authz_action_label_zh(authz_action_t a)
{
    return (unsigned)a < ACT_COUNT ? TABLE[a].zh : "?";
}

const char *
authz_action_label_en(authz_action_t a)
{
    return (unsigned)a < ACT_COUNT ? TABLE[a].en : "?";
}

int
authz_org_type_parse(const char *s, org_type_t *out)
{
    for (int i = 0; s != NULL && i < ORG_TYPE_COUNT; i++) {
        if (strcmp(s, ORG_NAMES[i]) == 0) {
            *out = (org_type_t)i;
            return 0;
        }
    }
    return -1;
}

int
authz_role_parse(const char *s, user_role_t *out)
{
    for (int i = 0; s != NULL && i < ROLE_COUNT; i++) {
        if (strcmp(s, ROLE_NAMES[i]) == 0) {
            *out = (user_role_t)i;
            return 0;
        }
    }
    return -1;
}

int
authz_allowed(org_type_t t, user_role_t r, authz_action_t a)
{
    if ((unsigned)t >= ORG_TYPE_COUNT || (unsigned)r >= ROLE_COUNT || (unsigned)a >= ACT_COUNT)
        return 0;
    return (TABLE[a].who[t] & (1u << r)) != 0;
}

int
authz_sees_all(org_type_t t)
{
    return t == ORG_MINISTRY || t == ORG_SUPPORT_CENTER;
}

int
authz_is_regional(org_type_t t)
{
    return t == ORG_PROVINCE || t == ORG_CITY || t == ORG_COMM_ADMIN;
}

int
authz_region_prefix(org_type_t t, const char *region_code, char out[7])
{
    out[0] = '\0';
    if (!authz_is_regional(t) || region_code == NULL || strlen(region_code) != 6)
        return 0;
    /* a province-level unit (PP0000) covers PP; a prefecture (PPCC00) covers PPCC */
    size_t n = (t == ORG_CITY && strcmp(region_code + 2, "0000") != 0) ? 4 : 2;
    memcpy(out, region_code, n);
    out[n] = '\0';
    return 1;
}
