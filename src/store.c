#include "store.h"
#include "util/err.h"
struct store *store_open(const char *path, char *err) { (void)path; err_set(err, "not yet"); return 0; }
void store_close(struct store *s) { (void)s; }
int store_sync_subscriptions(struct store *s, const struct sublist *subs, char *err) { (void)s; (void)subs; return err_set(err, "x"); }
int store_feeds(struct store *s, int only_due, int64_t now, struct store_feed **out, size_t *n, char *err) { (void)s; (void)only_due; (void)now; (void)out; (void)n; return err_set(err, "x"); }
void store_feeds_free(struct store_feed *v, size_t n) { (void)v; (void)n; }
int store_record_fetch(struct store *s, int64_t feed_id, const struct store_fetch *f, char *err) { (void)s; (void)feed_id; (void)f; return err_set(err, "x"); }
int store_save_feed(struct store *s, int64_t feed_id, const struct feed *f, int64_t now, size_t *new_entries, char *err) { (void)s; (void)feed_id; (void)f; (void)now; (void)new_entries; return err_set(err, "x"); }
int store_entries(struct store *s, const char *category, size_t limit, store_entry_fn fn, void *arg, char *err) { (void)s; (void)category; (void)limit; (void)fn; (void)arg; return err_set(err, "x"); }
int store_categories(struct store *s, char ***out, size_t *n, char *err) { (void)s; (void)out; (void)n; return err_set(err, "x"); }
void store_strings_free(char **v, size_t n) { (void)v; (void)n; }
int64_t store_entry_count(struct store *s) { (void)s; return 0; }
