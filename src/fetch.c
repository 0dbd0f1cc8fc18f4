#include "fetch.h"
#include "util/err.h"
int fetch_run(const struct fetch_opts *o, const struct fetch_req *reqs, size_t n, fetch_done_fn done, void *arg, char *err) { (void)o; (void)reqs; (void)n; (void)done; (void)arg; return err_set(err, "not yet"); }
void fetch_opts_default(struct fetch_opts *o) { (void)o; }
