/*
 * quote.h — cyberins quote: the bulk quote of a CSV of enterprises
 * (quote.c).
 */
#ifndef CY_CLI_QUOTE_H
#define CY_CLI_QUOTE_H

int cli_cmd_quote(int argc, char **argv);

#endif
