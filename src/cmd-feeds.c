#include "cmd.h"
static int cmd_feeds_exec(const struct cmd_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return CMD_FAIL; }
const struct cmd_entry cmd_feeds_entry = {"feeds", "", "feeds", cmd_feeds_exec};
