/*
 * org.c — cyberins org add|list|show, acting as the platform operator.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/identity/org.h"
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
print_org(const org_t *o, void *arg)
{
    (void)arg;
    printf("%-5" PRId64 " %-14s %s %s %s%s\n", o->id, authz_org_type_name(o->type), o->uscc,
           o->region_code, o->name, o->uscc_warning[0] ? "  [!] 组织机构代码校验不符" : "");
}

int
cli_cmd_org(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(ORG_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    argc--;
    argv++;
    cli_common_t c = {0};
    cli_common_defaults(&c);
    org_input_t in = {0};
    const char *region_prefix = NULL;
    static const struct option opts[] = {
        {"db", required_argument, 0, 'd'},      {"data", required_argument, 0, 'D'},
        {"type", required_argument, 0, 't'},    {"name", required_argument, 0, 'n'},
        {"uscc", required_argument, 0, 'u'},    {"region", required_argument, 0, 'r'},
        {"nature", required_argument, 0, 'N'},  {"licence", required_argument, 0, 'l'},
        {"section", required_argument, 0, 's'}, {"division", required_argument, 0, 'v'},
        {"address", required_argument, 0, 'a'}, {"contact", required_argument, 0, 'c'},
        {"phone", required_argument, 0, 'p'},   {"email", required_argument, 0, 'e'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            c.db = optarg;
            break;
        case 'D':
            c.data = optarg;
            break;
        case 't':
            in.type = optarg;
            break;
        case 'n':
            in.name = optarg;
            break;
        case 'u':
            in.uscc = optarg;
            break;
        case 'r':
            in.region_code = region_prefix = optarg;
            break;
        case 'N':
            in.nature = optarg;
            break;
        case 'l':
            in.licence_no = optarg;
            break;
        case 's':
            in.industry_section = optarg;
            break;
        case 'v':
            in.industry_division = optarg;
            break;
        case 'a':
            in.address = optarg;
            break;
        case 'c':
            in.contact = optarg;
            break;
        case 'p':
            in.phone = optarg;
            break;
        case 'e':
            in.email = optarg;
            break;
        case 'h':
            fputs(ORG_HELP, stdout);
            return 0;
        default:
            fputs(ORG_HELP, stderr);
            return 2;
        }
    }
    int add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
    int show = strcmp(sub, "show") == 0;
    if (!(add && optind == argc) && !(list && optind == argc) && !(show && optind + 1 == argc)) {
        fputs(ORG_HELP, stderr);
        return 2;
    }
    app_t *app;
    int rc = cli_open_app(&c, 1, &app);
    if (rc != 0)
        return rc;
    actor_t cli;
    cli_actor(&cli);
    cy_error_t err;
    org_t o;
    if (add) {
        if (app_org_create(app, &cli, &in, &o, &err) != CY_OK)
            rc = cli_fail(&err);
        else
            print_org(&o, NULL);
        if (rc == 0 && o.uscc_warning[0])
            fprintf(stderr, "warning: %s\n", o.uscc_warning);
    } else if (list) {
        int64_t next = 0;
        org_filter_t f = {in.type, region_prefix, 0, 200};
        do {
            f.cursor = next;
            if (app_org_list(app, &cli, &f, print_org, NULL, &next, &err) != CY_OK) {
                rc = cli_fail(&err);
                break;
            }
        } while (next > 0);
    } else {
        char *end;
        long long id = strtoll(argv[optind], &end, 10);
        if (*end != '\0' || id <= 0) {
            fputs(ORG_HELP, stderr);
            rc = 2;
        } else if (app_org_get(app, &cli, id, &o, &err) != CY_OK) {
            rc = cli_fail(&err);
        } else {
            printf("id %" PRId64 "\nname %s\ntype %s\nuscc %s%s%s\nregion %s %s\nnature %s\n"
                   "licence %s\naddress %s\ncontact %s %s %s\ncreated %s\n",
                   o.id, o.name, authz_org_type_name(o.type), o.uscc,
                   o.uscc_warning[0] ? "\nwarning " : "", o.uscc_warning, o.region_code,
                   o.region_name, o.nature, o.licence_no, o.address, o.contact, o.phone, o.email,
                   o.created_at);
        }
    }
    app_close(app);
    return rc;
}
