#include "cmd.h"
static int cmd_publish_exec(const struct cmd_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return CMD_FAIL; }
const struct cmd_entry cmd_publish_entry = {"publish", "", "publish", cmd_publish_exec};
