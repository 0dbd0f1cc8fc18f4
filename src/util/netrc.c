/*
 * netrc.c - reading a netrc file (see netrc.h).
 *
 * Tokens are separated by white space; a token may be double-quoted (with
 * \" and \\ escapes), as curl reads them. `macdef NAME` starts a macro that
 * runs to the next blank line, skipped. The file is read whole and capped:
 * a netrc larger than NETRC_MAX is not read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/file.h"
#include "util/netrc.h"
#include "util/xmalloc.h"

#define NETRC_MAX (1u << 20)

struct tok {
	const char *p; /* the rest of the file */
	struct buf t;  /* the current token */
};

/* The next token into k->t; 0 at the end of the file. */
static int next_token(struct tok *k)
{
	const char *p = k->p;

	buf_reset(&k->t);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '\0') {
		k->p = p;
		return 0;
	}
	if (*p == '"') {
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && p[1])
				p++;
			buf_putc(&k->t, *p);
		}
		if (*p == '"')
			p++;
	} else {
		for (; *p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r'; p++)
			buf_putc(&k->t, *p);
	}
	k->p = p;
	return 1;
}

static const char *text(const struct tok *k)
{
	return k->t.data ? k->t.data : "";
}

static int is(const struct tok *k, const char *word)
{
	return strcmp(text(k), word) == 0;
}

/* After `macdef NAME`: skips to the blank line that ends the macro. */
static void skip_macro(struct tok *k)
{
	const char *end = strstr(k->p, "\n\n");

	k->p = end ? end + 2 : k->p + strlen(k->p);
}

static int read_netrc(const char *path, struct buf *b)
{
	if (path == NULL || file_read(path, NETRC_MAX, b, NULL) != 0)
		return -1;
	buf_putc(b, '\0');
	return 0;
}

char *netrc_default_path(void)
{
	const char *home = getenv("HOME");

	return home && home[0] ? path_join(home, ".netrc") : NULL;
}

int netrc_lookup(const char *path, const char *host, char **login, char **password)
{
	struct buf b = BUF_INIT;
	struct tok k = {NULL, BUF_INIT};
	int state = 0; /* 1: inside the entry for host */
	int found = 0;

	*login = *password = NULL;
	if (host == NULL || read_netrc(path, &b) != 0)
		goto out;
	k.p = b.data;
	while (next_token(&k)) {
		if (is(&k, "machine") || is(&k, "default")) {
			if (state == 1)
				break; /* the first entry that matches wins */
			if (is(&k, "default"))
				state = 1;
			else if (next_token(&k) && strcasecmp(text(&k), host) == 0)
				state = 1;
			found |= state;
		} else if (is(&k, "macdef")) {
			next_token(&k);
			skip_macro(&k);
		} else if (is(&k, "login") || is(&k, "password") || is(&k, "account")) {
			char **to = is(&k, "login") ? login : is(&k, "password") ? password : NULL;

			if (next_token(&k) && state == 1 && to) { /* the value, read either way */
				free(*to);
				*to = xstrdup(text(&k));
			}
		}
	}
out:
	buf_free(&k.t);
	buf_free(&b);
	return found;
}

int netrc_has_password(const char *path)
{
	struct buf b = BUF_INIT;
	struct tok k = {NULL, BUF_INIT};
	int has = 0;

	if (read_netrc(path, &b) != 0)
		goto out;
	k.p = b.data;
	while (!has && next_token(&k)) {
		if (is(&k, "password"))
			has = 1;
		else if (is(&k, "login") || is(&k, "account") || is(&k, "machine"))
			next_token(&k); /* a value, even one spelt "password" */
		else if (is(&k, "macdef")) {
			next_token(&k);
			skip_macro(&k);
		}
	}
out:
	buf_free(&k.t);
	buf_free(&b);
	return has;
}

char *netrc_guard_warning(const char *path)
{
	struct stat st;

	if (path == NULL || stat(path, &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) == 0)
		return NULL;
	return xasprintf("%s holds a password and can be read by %s: chmod 600 %s", path,
	                 (st.st_mode & S_IRWXO) ? "every user" : "its group", path);
}
