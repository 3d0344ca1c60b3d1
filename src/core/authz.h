/*
 * authz.h — who may do what: organisation types (DOMAIN.md §1), user roles
 * inside an organisation, the actions of every capability, the one role ×
 * action table, and the visibility scope of an organisation. Pure: libc only. app/
 * asks these questions; http/ never does.
 */
#ifndef CY_CORE_AUTHZ_H
#define CY_CORE_AUTHZ_H

#include <stddef.h>

typedef enum {
    ORG_MINISTRY,
    ORG_SUPPORT_CENTER,
    ORG_PROVINCE,
    ORG_CITY,
    ORG_COMM_ADMIN,
    ORG_INSURER,
    ORG_SERVICE_ORG,
    ORG_ENTERPRISE,
    ORG_EXPERT,
    ORG_TYPE_COUNT
} org_type_t;

typedef enum { ROLE_ADMIN, ROLE_MEMBER, ROLE_VIEWER, ROLE_COUNT } user_role_t;

/*
 * Every action of the platform, one enum for every capability: a new
 * capability adds its actions here and its rows in authz.c's one table.
 */
typedef enum {
    /* identity and the platform */
    ACT_ORG_CREATE,    /* register an organisation on the platform */
    ACT_ORG_READ,      /* read an organisation visible to the caller */
    ACT_ORG_UPDATE,    /* change one's own organisation's profile (contact details etc.) */
    ACT_ORG_REGISTER,  /* correct the registry's fields: name, region (type, USCC: operators) */
    ACT_ORG_DIRECTORY, /* list the organisations of one's scope */
    ACT_USER_READ,     /* list and read users of an organisation */
    ACT_USER_MANAGE,   /* add users, change roles, disable, reset passwords */
    ACT_TOKEN_MANAGE,  /* one's own API tokens */
    ACT_AUDIT_READ,    /* the audit log of one's scope */
    ACT_AUDIT_VERIFY,  /* walk the whole chain */
    /* portfolio simulation */
    ACT_SIM_RUN,  /* start a portfolio simulation */
    ACT_SIM_READ, /* read simulations of one's scope */
    /* the pilot programme */
    ACT_SCHEME_WRITE, /* draft, edit and submit an Annex 1 scheme as its lead */
    ACT_UNIT_CONFIRM, /* confirm 真实性承诺 and 申报主体责任声明 for one's own unit */
    ACT_SCHEME_RECOMMEND,  /* attach a 推荐意见 to a scheme of one's region */
    ACT_REVIEW_ASSIGN,     /* assign review experts */
    ACT_REVIEW_SCORE,      /* score a scheme one is assigned to */
    ACT_CATALOGUE_PUBLISH, /* number reviewed schemes into the catalogue */
    ACT_PLAN2_WRITE,       /* Annex 2: a city or provincial authority's plan */
    ACT_PLAN3_WRITE,       /* Annex 3: a catalogued service institution's plan */
    ACT_PLAN4_WRITE,       /* Annex 4: an industry enterprise's plan */
    ACT_PLAN_ROUTE,        /* assemble, forward and return packages and plans one holds */
    ACT_EXTENSION_GRANT,   /* grant an extension of a deadline one receives under */
    ACT_PILOT_SELECT,      /* select pilots from the plans received */
    ACT_PILOT_EXIT,        /* 试点退出 */
    ACT_REPORT_WRITE,      /* progress reports of one's own pilot */
    ACT_SUMMARY_WRITE,     /* annual summaries */
    ACT_TELECOM_FLAG,      /* mark an organisation as a 基础电信企业 */
    ACT_PAPER_RECEIVE,     /* record the arrival of the paper copies sent to one's authority */
    ACT_WAIVER_GRANT,      /* let a scheme or plan exceed a 原则上 limit, with a reason */
    ACT_EXTENSION_ASK,     /* ask the receiving authority for more time */
    /* underwriting */
    ACT_PRODUCT_READ,     /* list and read products (others' drafts stay hidden) */
    ACT_PRODUCT_MANAGE,   /* create products, edit drafts, open new versions */
    ACT_PRODUCT_FILE,     /* record the filing (备案号) and put a version on sale */
    ACT_ASSESSMENT_READ,  /* read assessments in one's scope */
    ACT_ASSESSMENT_WRITE, /* start, answer, import evidence, submit */
    ACT_QUOTE_PRICE,      /* indicative prices: nothing is stored */
    ACT_QUOTE_APPLY,      /* apply for a quote that is stored and may be bound */
    ACT_QUOTE_READ,       /* read quotes in one's scope */
    ACT_REFERRAL_DECIDE,  /* approve or decline a referred quote (核保) */
    ACT_QUOTE_BIND,       /* bind a quote into a policy (承保) */
    ACT_POLICY_READ,      /* read policies in one's scope */
    ACT_POLICY_ENDORSE,   /* mid-term change of the terms */
    ACT_POLICY_CANCEL,    /* cancel with a pro-rata return premium */
    ACT_POLICY_RENEW,     /* apply for the renewal quote */
    /* the platform's shared pieces (docs/platform.md) */
    ACT_FILE_UPLOAD,       /* upload a file to one's organisation */
    ACT_FILE_READ,         /* list, read and download one's organisation's files */
    ACT_NOTIFICATION_READ, /* read one's notifications and mark them read */
    ACT_WEBHOOK_MANAGE,    /* the organisation's webhooks and their deliveries */
    ACT_ENGAGEMENT_GRANT,  /* engage a service organisation, and end the engagement */
    ACT_ENGAGEMENT_READ,   /* read the engagements one granted or was given */
    /* in-force monitoring (docs/monitoring.md) */
    ACT_MONITOR_READ,   /* read the monitoring of enterprises in one's scope: score, tasks */
    ACT_MONITOR_STACK,  /* declare an enterprise's stack (its own, or as its engaged service org) */
    ACT_SIGNAL_INGEST,  /* bring threat signals in (JSON, STIX, KEV) */
    ACT_TASK_CLOSE,     /* close a loss-prevention task with evidence */
    ACT_SERVICE_RECORD, /* record a service delivered to an engaged enterprise */
    /* statistics (docs/statistics.md) */
    ACT_STATS_READ,       /* the figures of one's scope: region, or one's own book */
    ACT_POLICY_ATTRIBUTE, /* attribute a policy to a pilot and scheme, or change it */
    /* claims */
    ACT_CLAIM_NOTIFY,   /* report an incident (报案) */
    ACT_CLAIM_READ,     /* read claims one is a party to */
    ACT_CLAIM_NOTE,     /* append to a claim's timeline */
    ACT_CLAIM_ASSIGN,   /* assign a service organisation to a claim */
    ACT_CLAIM_RESPOND,  /* record a responder's tasks, hours and costs */
    ACT_CLAIM_ADJUST,   /* liability, line items, reserves (定责定损) */
    ACT_CLAIM_SETTLE,   /* settle a claim through the terms engine (理算) */
    ACT_CLAIM_PAY,      /* record payments and recoveries */
    ACT_CLAIM_CLOSE,    /* close and reopen a claim */
    ACT_CLAIM_EVIDENCE, /* add evidence to a claim and record its custody (溯源取证) */
    ACT_CLAIM_FIGURES,  /* the claims figures of one's scope */
    ACT_PANEL_READ,     /* read an insurer's panel of service organisations */
    ACT_PANEL_MANAGE,   /* keep one's panel */
    ACT_COUNT
} authz_action_t;

/* Names as they appear in the API and the database ("city", "admin", "org.read"). */
const char *authz_org_type_name(org_type_t t);
const char *authz_org_type_name_zh(org_type_t t);
const char *authz_role_name(user_role_t r);
const char *authz_action_name(authz_action_t a);
/*
 * What the action is, in words for a person ("编写附件2试点工作方案" /
 * "write an Annex 2 pilot plan"): refusals say this, never the internal name.
 */
const char *authz_action_label_zh(authz_action_t a);
const char *authz_action_label_en(authz_action_t a);
/* Parse a name; return 0 and set *out, or -1 when unknown. */
int authz_org_type_parse(const char *s, org_type_t *out);
int authz_role_parse(const char *s, user_role_t *out);

/* 1 if an organisation of type t may hold a user of role r doing action a. */
int authz_allowed(org_type_t t, user_role_t r, authz_action_t a);

/* 1 if type t sees every record (ministry, support center). */
int authz_sees_all(org_type_t t);

/*
 * authz_region_prefix writes the region-code prefix that bounds what a
 * regional authority sees: a province (and its communications
 * administration) its first two digits, a city its first four ("4401"); a
 * province-level city acting as a city (直辖市, 110000) its first two. For
 * other types it writes "" and returns 0 (their scope is their own
 * organisation, or everything).
 */
int authz_region_prefix(org_type_t t, const char *region_code, char out[7]);

/* 1 if an org of type t may be a regional authority (province, city, comm_admin). */
int authz_is_regional(org_type_t t);

#endif
