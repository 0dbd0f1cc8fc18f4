#include "cmd.h"
static int cmd_fetch_exec(const struct cmd_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return CMD_FAIL; }
const struct cmd_entry cmd_fetch_entry = {"fetch", "", "fetch", cmd_fetch_exec};
