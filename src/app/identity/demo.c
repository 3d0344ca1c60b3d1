/*
 * demo.c — the demo organisations and users of data/demo/demo.json, through
 * app_org_create and app_user_create.
 */
#include <jansson.h>
#include <string.h>

#include "app/identity/identity.h"

static const char *
s(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The organisation o of the demo file as the use case's input. */
static void
org_input_of(json_t *o, org_input_t *in)
{
    *in = (org_input_t){
        .name = s(o, "name"),
        .type = s(o, "type"),
        .uscc = s(o, "uscc"),
        .region_code = s(o, "region_code"),
        .industry_section = s(o, "industry_section"),
        .industry_division = s(o, "industry_division"),
        .nature = s(o, "nature"),
        .founded_on = s(o, "founded_on"),
        .address = s(o, "address"),
        .contact = s(o, "contact"),
        .phone = s(o, "phone"),
        .email = s(o, "email"),
        .licence_no = s(o, "licence_no"),
    };
    json_t *cap = json_object_get(o, "registered_capital_fen");
    if (cap != NULL) {
        in->has_capital = 1;
        in->registered_capital_fen = json_integer_value(cap);
    }
}

/* The users of the demo organisation o (org_id), each unless it exists. */
static cy_status_t
load_users(app_t *app, const actor_t *op, int64_t now, json_t *o, int64_t org_id, FILE *logins,
           demo_result_t *out, cy_error_t *err)
{
    size_t k;
    json_t *u;
    json_array_foreach(json_object_get(o, "users"), k, u)
    {
        int64_t uid;
        const char *name = s(u, "username");
        if (name != NULL && app_user_find(app, name, &uid, err) != CY_OK) {
            user_input_t ui = {org_id, name, s(u, "display_name"), s(u, "role"), out->password,
                               NULL,   NULL};
            user_t created;
            cy_status_t st = app_user_create(app, op, now, &ui, &created, err);
            if (st != CY_OK)
                return st;
            out->users_added++;
        }
        if (logins)
            fprintf(logins, "  %-16s %s（%s, %s）\n", name ? name : "?", s(o, "name"), s(o, "type"),
                    s(u, "role"));
    }
    return CY_OK;
}

cy_status_t
app_demo_load(app_t *app, const actor_t *op, int64_t now, const char *path, FILE *logins,
              demo_result_t *out, cy_error_t *err)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (doc == NULL)
        return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                            "演示数据 %s 第 %d 行：%s / demo data %s line %d: %s", path, je.line,
                            je.text, path, je.line, je.text);
    const char *pw = s(doc, "password");
    json_t *orgs = json_object_get(doc, "organisations");
    if (pw == NULL || !json_is_array(orgs)) {
        json_decref(doc);
        return cy_error_set(err, CY_EINVAL, "demo_invalid", path,
                            "演示数据缺少 password 或 organisations / demo data lacks password "
                            "or organisations");
    }
    snprintf(out->password, sizeof out->password, "%s", pw);
    cy_status_t st = CY_OK;
    size_t i;
    json_t *o;
    json_array_foreach(orgs, i, o)
    {
        org_input_t in;
        org_input_of(o, &in);
        org_t org;
        int64_t org_id = 0;
        if (in.uscc == NULL || app_org_find_uscc(app, in.uscc, &org_id, err) != CY_OK) {
            if ((st = app_org_create(app, op, now, &in, &org, err)) != CY_OK)
                break;
            org_id = org.id;
            out->orgs_added++;
        }
        if ((st = load_users(app, op, now, o, org_id, logins, out, err)) != CY_OK)
            break;
    }
    json_decref(doc);
    return st;
}
