#include "url.h"
#include "util/xmalloc.h"
char *url_resolve(const char *base, const char *ref) { (void)base; return xstrdup(ref); }
void url_scheme(const char *url, char *buf) { (void)url; buf[0] = 0; }
int url_is_safe_link(const char *url) { (void)url; return 1; }
int url_is_http(const char *url) { (void)url; return 1; }
char *url_host(const char *url) { (void)url; return 0; }
