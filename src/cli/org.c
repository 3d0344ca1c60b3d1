/*
 * org.c — cyberins org add|list|show, acting as the platform operator.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/identity/identity.h"
#include "cli/cli.h"

static const char ORG_HELP[] =
    "usage: cyberins org add --type TYPE --name NAME --uscc CODE --region CODE --nature NATURE\n"
    "                        [--licence NO] [--section A-T] [--division NN] [--address A]\n"
    "                        [--contact C] [--phone P] [--email E] [--db URL]\n"
    "       cyberins org list [--type TYPE] [--region PREFIX] [--db URL]\n"
    "       cyberins org show ID [--db URL]\n"
    "TYPE: ministry support_center province city comm_admin insurer service_org\n"
    "      enterprise expert\n"
    "NATURE: public_institution state_owned private joint_venture state_controlled\n"
    "        state_participated other\n";

static void
print_org(const org_t *o)
{
    printf("%-5" PRId64 " %-14s %s %s %s%s\n", o->id, authz_org_type_name(o->type), o->uscc,
           o->region_code, o->name, o->uscc_warning[0] ? "  [!] 组织机构代码校验不符" : "");
}

/* Parses the options after the subcommand: -1 to go on, else the exit status. */
static int
org_parse(int argc, char **argv, cli_common_t *c, org_input_t *in)
{
    const cli_text_opt_t opts[] = {{"db", &c->db},
                                   {"data", &c->data},
                                   {"type", &in->type},
                                   {"name", &in->name},
                                   {"uscc", &in->uscc},
                                   {"region", &in->region_code},
                                   {"nature", &in->nature},
                                   {"licence", &in->licence_no},
                                   {"section", &in->industry_section},
                                   {"division", &in->industry_division},
                                   {"address", &in->address},
                                   {"contact", &in->contact},
                                   {"phone", &in->phone},
                                   {"email", &in->email}};
    return cli_parse_texts(argc, argv, opts, sizeof opts / sizeof opts[0], ORG_HELP);
}

static int
org_add(app_t *app, const actor_t *cli, const org_input_t *in)
{
    org_t o;
    cy_error_t err;
    if (app_org_create(app, cli, cli_now(), in, &o, &err) != CY_OK)
        return cli_fail(&err);
    print_org(&o);
    if (o.uscc_warning[0])
        fprintf(stderr, "warning: %s\n", o.uscc_warning);
    return 0;
}

static int
org_list(app_t *app, const actor_t *cli, const char *type, const char *region)
{
    org_filter_t f = {type, region};
    app_page_t pg = {0, APP_PAGE_MAX};
    cy_error_t err;
    do {
        org_list_t l;
        if (app_org_list(app, cli, &f, &pg, &l, &err) != CY_OK)
            return cli_fail(&err);
        for (size_t i = 0; i < l.n; i++)
            print_org(&l.items[i]);
        pg.cursor = l.next;
        org_list_free(&l);
    } while (pg.cursor > 0);
    return 0;
}

static int
org_show(app_t *app, const actor_t *cli, const char *arg)
{
    char *end;
    long long id = strtoll(arg, &end, 10);
    if (*end != '\0' || id <= 0) {
        fputs(ORG_HELP, stderr);
        return EXIT_USAGE;
    }
    org_t o;
    cy_error_t err;
    if (app_org_get(app, cli, id, &o, &err) != CY_OK)
        return cli_fail(&err);
    printf("id %" PRId64 "\nname %s\ntype %s\nuscc %s%s%s\nregion %s %s\nnature %s\n"
           "licence %s\naddress %s\ncontact %s %s %s\ncreated %s\n",
           o.id, o.name, authz_org_type_name(o.type), o.uscc, o.uscc_warning[0] ? "\nwarning " : "",
           o.uscc_warning, o.region_code, o.region_name, o.nature, o.licence_no, o.address,
           o.contact, o.phone, o.email, o.created_at);
    return 0;
}

int
cli_cmd_org(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(ORG_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    cli_common_t c = {0};
    cli_common_defaults(&c);
    org_input_t in = {0};
    int rc = org_parse(argc - 1, argv + 1, &c, &in);
    if (rc >= 0)
        return rc;
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
    int show = strcmp(sub, "show") == 0, rest = argc - 1 - optind;
    if (!((add || list) && rest == 0) && !(show && rest == 1)) {
        fputs(ORG_HELP, stderr);
        return EXIT_USAGE;
    }
    app_t *app;
    if ((rc = cli_open_app(&c, 1, &app)) != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    rc = add    ? org_add(app, &cli, &in)
         : list ? org_list(app, &cli, in.type, in.region_code)
                : org_show(app, &cli, argv[1 + optind]);
    app_close(app);
    return rc;
}
