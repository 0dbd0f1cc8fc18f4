#include "cmd.h"
static int cmd_run_exec(const struct cmd_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return CMD_FAIL; }
const struct cmd_entry cmd_run_entry = {"run", "", "run", cmd_run_exec};
