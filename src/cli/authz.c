/*
 * authz.c — cyberins authz [--json]: the one role × action table of
 * core/authz.c, printed whole: for every action, which roles of which
 * organisation types may take it. Reads no database: the table is code, and
 * this is how an operator (or the role-matrix test) sees it without asking a
 * running server.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/authz.h"

static const char AUTHZ_HELP[] =
    "usage: cyberins authz [--json]\n"
    "Print the role x action table of core/authz.c: for every action, the roles\n"
    "(admin, member, viewer) of each organisation type that may take it.\n"
    "--json  {\"org_types\": [...], \"roles\": [...], \"actions\": [{\"name\", \"zh\", \"en\",\n"
    "        \"allowed\": {ORG_TYPE: [ROLE, ...]}}]} in the table's order\n";

static json_t *
table_json(void)
{
    json_t *types = json_array(), *roles = json_array(), *actions = json_array();
    for (int t = 0; t < ORG_TYPE_COUNT; t++)
        json_array_append_new(types, json_string(authz_org_type_name((org_type_t)t)));
    for (int r = 0; r < ROLE_COUNT; r++)
        json_array_append_new(roles, json_string(authz_role_name((user_role_t)r)));
    for (int a = 0; a < ACT_COUNT; a++) {
        json_t *allowed = json_object();
        for (int t = 0; t < ORG_TYPE_COUNT; t++) {
            json_t *who = json_array();
            for (int r = 0; r < ROLE_COUNT; r++)
                if (authz_allowed((org_type_t)t, (user_role_t)r, (authz_action_t)a))
                    json_array_append_new(who, json_string(authz_role_name((user_role_t)r)));
            json_object_set_new(allowed, authz_org_type_name((org_type_t)t), who);
        }
        json_array_append_new(
            actions, json_pack("{s:s, s:s, s:s, s:o}", "name", authz_action_name((authz_action_t)a),
                               "zh", authz_action_label_zh((authz_action_t)a), "en",
                               authz_action_label_en((authz_action_t)a), "allowed", allowed));
    }
    return json_pack("{s:o, s:o, s:o}", "org_types", types, "roles", roles, "actions", actions);
}

/* One line per action: its name, then per type the roles' initials (A M V) or "-". */
static void
print_table(void)
{
    printf("%-20s", "action");
    for (int t = 0; t < ORG_TYPE_COUNT; t++)
        printf(" %-4.4s", authz_org_type_name((org_type_t)t));
    printf("\n");
    for (int a = 0; a < ACT_COUNT; a++) {
        printf("%-20s", authz_action_name((authz_action_t)a));
        for (int t = 0; t < ORG_TYPE_COUNT; t++) {
            char who[4] = "", *w = who;
            for (int r = 0; r < ROLE_COUNT; r++)
                if (authz_allowed((org_type_t)t, (user_role_t)r, (authz_action_t)a))
                    *w++ = "AMV"[r];
            *w = '\0';
            printf(" %-4s", who[0] ? who : "-");
        }
        printf("  %s\n", authz_action_label_en((authz_action_t)a));
    }
}

int
cli_cmd_authz(int argc, char **argv)
{
    int json = argc == 2 && strcmp(argv[1], "--json") == 0;
    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(AUTHZ_HELP, stdout);
        return 0;
    }
    if (argc > 2 || (argc == 2 && !json)) {
        fputs(AUTHZ_HELP, stderr);
        return EXIT_USAGE;
    }
    if (!json) {
        print_table();
        return 0;
    }
    json_t *j = table_json();
    char *s = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (s == NULL) {
        fputs("cyberins authz: out of memory\n", stderr);
        return 1;
    }
    puts(s);
    free(s);
    return 0;
}
