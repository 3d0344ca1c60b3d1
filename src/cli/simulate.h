/*
 * simulate.h — cyberins simulate: the portfolio accumulation Monte Carlo
 * from the command line (docs/simulation.md).
 */
#ifndef CY_CLI_SIMULATE_H
#define CY_CLI_SIMULATE_H

/* cli_cmd_simulate runs `cyberins simulate`; returns the exit status (0, 1, 2 usage). */
int cli_cmd_simulate(int argc, char **argv);

#endif
