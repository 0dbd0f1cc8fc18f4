#include "opml.h"
#include "util/err.h"
#include "util/xmalloc.h"
int opml_read(const char *path, struct sublist *out, char *err) { (void)path; (void)out; return err_set(err, "x"); }
int opml_read_memory(const char *data, size_t len, const char *base, struct sublist *out, char *err) { (void)data; (void)len; (void)base; (void)out; return err_set(err, "x"); }
char *opml_write(const struct sublist *l, const char *title) { (void)l; (void)title; return xstrdup(""); }
void sublist_add(struct sublist *l, const char *url, const char *title, const char *html_url, const char *category) { (void)l; (void)url; (void)title; (void)html_url; (void)category; }
void sublist_free(struct sublist *l) { (void)l; }
