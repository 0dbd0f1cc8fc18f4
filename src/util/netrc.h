/*
 * netrc.h - the netrc file (ftp(1), curl, git): logins kept out of URLs
 * and configuration, one `machine HOST login USER password SECRET` entry
 * per host, `default` for any other.
 *
 * The crawler hands the file to libcurl (CURLOPT_NETRC); the mail sender
 * reads it here so that it knows, before it connects, whether it will
 * log in (and so must insist on TLS); config reads it to warn when it
 * holds a password and others can read it (netrc_guard_warning()).
 */
#ifndef AGG_UTIL_NETRC_H
#define AGG_UTIL_NETRC_H

/* $HOME/.netrc (malloc'd), or NULL without HOME. */
char *netrc_default_path(void);

/*
 * The login and password for host (case-insensitive) in the netrc file at
 * path: its `machine host` entry, else its `default` entry. Returns 1 with
 * *login and *password malloc'd (either may be NULL), 0 when the file has
 * no entry for host or cannot be read.
 */
int netrc_lookup(const char *path, const char *host, char **login, char **password);

/* Non-zero when the netrc file at path has a password token. */
int netrc_has_password(const char *path);

/*
 * When the file at path can be read by its group or by others, the one
 * warning line (malloc'd, no newline) that says so and how to fix it:
 * "PATH holds a password and is readable by others: chmod 600 PATH";
 * NULL when it is private or cannot be examined.
 */
char *netrc_guard_warning(const char *path);

#endif
