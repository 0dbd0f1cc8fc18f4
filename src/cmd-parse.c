#include "cmd.h"
static int cmd_parse_exec(const struct cmd_ctx *ctx, int argc, char **argv) { (void)ctx; (void)argc; (void)argv; return CMD_FAIL; }
const struct cmd_entry cmd_parse_entry = {"parse", "", "parse", cmd_parse_exec};
