/*
 * digest-mail.c - a built digest as a message, its delivery and its
 * archive copy (see digest.h).
 *
 * digest_build() gives the subject and the two bodies; here they become one
 * message through mail_build() with the profile's addresses, the Date: at
 * the config's UTC offset and a Message-ID on the site's host
 * (url_host()), which digest_send() hands to mail_send() with the
 * profile's server. The archive copy is the HTML part, kept under
 * output_dir/digest/SLUG/DAY.html so the text part can link to it, and
 * pruned by digest_archive_prune() after the profile's archive_keep.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "url.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

char *digest_message(const struct digest_profile *p, const struct digest_list *to,
                     const struct digest *d, const char *site_link, int64_t now, long offset,
                     size_t *len, char *err)
{
	struct mail_msg m;
	char *host = url_host(site_link), *msg;

	memset(&m, 0, sizeof m);
	m.from = p->from;
	m.to = (const char *const *)to->v;
	m.nto = to->n;
	m.subject = d->subject;
	m.list_unsubscribe = p->list_unsubscribe;
	m.id_host = host;
	m.date = now;
	m.offset = offset;
	m.text = d->text;
	m.html = d->html;
	msg = mail_build(&m, len, err);
	free(host);
	return msg;
}

int digest_write(const char *msg, size_t len, const char *output, char *err)
{
	if (output && strcmp(output, "-") != 0)
		return file_write_atomic(output, msg, len, err) < 0 ? -1 : 0;
	if (fwrite(msg, 1, len, stdout) != len || fflush(stdout) != 0)
		return err_set(err, "writing the message to stdout failed");
	return 0;
}

static void smtp_settings(const struct digest_profile *p, struct mail_smtp *smtp)
{
	memset(smtp, 0, sizeof *smtp);
	smtp->url = p->smtp_url;
	smtp->user = p->smtp_user;
	smtp->password = p->smtp_password;
	smtp->tls = p->tls;
	smtp->netrc = p->netrc;
	smtp->ca_file = p->ca_file;
	smtp->ca_path = p->ca_path;
}

int digest_login_in_clear(const struct digest_profile *p)
{
	struct mail_smtp smtp;

	smtp_settings(p, &smtp);
	return mail_login_in_clear(&smtp);
}

int digest_send(const struct digest_profile *p, const struct digest_list *to, long timeout,
                long connect_timeout, const char *msg, size_t len, char *err)
{
	struct mail_smtp smtp;

	smtp_settings(p, &smtp);
	smtp.timeout = timeout;
	smtp.connect_timeout = connect_timeout;
	return mail_send(&smtp, p->from, (const char *const *)to->v, to->n, msg, len, err);
}

void digest_archive_path(const char *output_dir, const char *site_link, const char *slug,
                         const char *day, char **path, char **url)
{
	char *dir, *name;
	int k;

	dir = path_join(output_dir, "digest");
	name = path_join(dir, slug);
	free(dir);
	dir = name;
	for (k = 1; k < 1000; k++) {
		name = k == 1 ? xasprintf("%s.html", day) : xasprintf("%s-%d.html", day, k);
		*path = path_join(dir, name);
		if (!file_exists(*path))
			break;
		free(*path);
		free(name);
		name = NULL;
	}
	if (name == NULL) { /* a thousand digests in a day: reuse the last */
		name = xasprintf("%s-999.html", day);
		*path = path_join(dir, name);
	}
	*url = xasprintf("%sdigest/%s/%s", site_link ? site_link : "", slug, name);
	free(name);
	free(dir);
}

/* Whether name is "YYYY-MM-DD.html" or "YYYY-MM-DD-N.html", a digest's archive copy. */
static int archive_name(const char *name)
{
	size_t i, n = strlen(name);

	if (n < 15 || strcmp(name + n - 5, ".html") != 0)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? name[i] != '-' : name[i] < '0' || name[i] > '9')
			return 0;
	return name[10] == '.' || name[10] == '-';
}

int digest_archive_prune(const char *dir, const char *before, size_t *removed, char *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *path;
	int rc = 0;

	*removed = 0;
	if (d == NULL)
		return errno == ENOENT ? 0 : err_set(err, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!archive_name(de->d_name) || strncmp(de->d_name, before, 10) >= 0)
			continue;
		path = path_join(dir, de->d_name);
		if (unlink(path) == 0)
			(*removed)++;
		else if (rc == 0)
			rc = err_set(err, "%s: %s", path, strerror(errno));
		free(path);
	}
	closedir(d);
	return rc;
}

int digest_archive_write(const char *path, const struct digest *d, char *err)
{
	char *dir = path_dirname(path);
	int rc = 0;

	if (file_mkdirs(dir, err) != 0 ||
	    file_write_atomic(path, d->html, strlen(d->html), err) < 0)
		rc = -1;
	free(dir);
	return rc;
}

int digest_record(struct store *s, const char *profile, const struct digest *d, int64_t now,
                  const char *archive_path, char *err)
{
	char why[ERR_MAX];

	if (store_digest_mark_sent(s, profile, d->ids, d->count, now, d->cursor, why) != 0)
		return err_set(
		    err, "sent, but recording it failed (the stories may be sent again): %s", why);
	if (archive_path && d->count > 0 && digest_archive_write(archive_path, d, why) != 0)
		return err_set(err, "archive: %s", why);
	return 0;
}
