#include "publish.h"
#include "util/err.h"
#include "util/xmalloc.h"
int publish_run(struct store *s, const struct publish_opts *o, struct publish_stats *st, char *err) { (void)s; (void)o; (void)st; return err_set(err, "x"); }
char *publish_slug(const char *name) { return xstrdup(name); }
