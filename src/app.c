#include "app.h"
#include "util/err.h"
int app_open(struct app *a, const struct cmd_ctx *ctx, int lock, char *err) { (void)a; (void)ctx; (void)lock; return err_set(err, "x"); }
void app_close(struct app *a) { (void)a; }
int app_fetch(struct app *a, int all, struct app_fetch_stats *st, char *err) { (void)a; (void)all; (void)st; return err_set(err, "x"); }
int app_publish(struct app *a, struct publish_stats *st, char *err) { (void)a; (void)st; return err_set(err, "x"); }
void app_publish_opts(const struct app *a, struct publish_opts *o) { (void)a; (void)o; }
