#include "cmd.h"
static int cmd_status_exec(const struct cmd_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return CMD_FAIL; }
const struct cmd_entry cmd_status_entry = {"status", "", "status", cmd_status_exec};
