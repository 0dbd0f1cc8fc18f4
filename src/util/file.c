/*
 * file.c - capped reads, atomic writes and path helpers (see file.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

int file_read(const char *path, size_t cap, struct buf *out, char *err)
{
	char chunk[65536];
	int fd, rc = -1;
	ssize_t n;

	fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_set(err, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > cap) {
			err_set(err, "%s: larger than the %zu byte limit", path, cap);
			goto out;
		}
		buf_append(out, chunk, (size_t)n);
	}
	if (out->data == NULL)
		buf_append(out, "", 0);
	rc = 0;
out:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int same_content(const char *path, const void *data, size_t len)
{
	struct buf old = BUF_INIT;
	struct stat st;
	int same = 0;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len)
		return 0;
	if (file_read(path, len, &old, NULL) == 0)
		same = old.len == len && (len == 0 || memcmp(old.data, data, len) == 0);
	buf_free(&old);
	return same;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void remove_stale_in(const char *dir, const char *base);

/*
 * Removes PATH.tmp.PID files that a killed writer left beside path: those
 * whose PID is not a live process (a live one may be writing right now).
 */
static void remove_stale_tmp(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char *dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) : xstrdup("./");

	remove_stale_in(dir, base);
	free(dir);
}

/* In dir (ending in '/'), the stale BASE.tmp.PID files, or any NAME.tmp.PID (base NULL). */
static void remove_stale_in(const char *dir, const char *base)
{
	size_t blen = base ? strlen(base) : 0;
	struct dirent *d;
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp)) != NULL) {
		const char *p = d->d_name, *tmp;
		char *end, *victim;
		long pid;

		if (base ? strncmp(p, base, blen) != 0 || strncmp(p + blen, ".tmp.", 5) != 0
		         : (tmp = strstr(p, ".tmp.")) == NULL || tmp == p)
			continue;
		p = base ? p + blen + 5 : strstr(p, ".tmp.") + 5;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (end == p || *end != '\0' || errno || pid <= 0 || pid == (long)getpid() ||
		    pid > INT32_MAX || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		victim = xasprintf("%s%s", dir, d->d_name);
		unlink(victim);
		free(victim);
	}
	if (dp)
		closedir(dp);
}

int file_write_atomic(const char *path, const void *data, size_t len, char *err)
{
	return file_write_atomic_ex(path, data, len, 0, err);
}

int file_write_atomic_ex(const char *path, const void *data, size_t len, int flags, char *err)
{
	char *tmp;
	int fd, rc = -1;

	if (!(flags & FILE_BATCH))
		remove_stale_tmp(path);
	if (same_content(path, data, len))
		return 0;
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(err, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(fd, data, len) != 0 || (!(flags & FILE_BATCH) && fsync(fd) != 0)) {
		err_set(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		err_set(err, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 1;
out:
	free(tmp);
	return rc;
}

void file_remove_stale(const char *dir)
{
	char *slashed = xasprintf("%s/", dir);

	remove_stale_in(slashed, NULL);
	free(slashed);
}

int file_batch_done(char *const *dirs, size_t n, char *err)
{
	int fd, rc = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		char *slashed = xasprintf("%s/", dirs[i]);

		remove_stale_in(slashed, NULL);
		free(slashed);
	}
	fd = open(dirs[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || syncfs(fd) != 0)
		rc = err_set(err, "%s: cannot flush to disk: %s", dirs[0], strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

int file_mkdirs(const char *dir, char *err)
{
	char *p = xstrdup(dir), *s;
	int rc = 0;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			rc = err_set(err, "%s: %s", p, strerror(errno));
			goto out;
		}
		*s = '/';
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = err_set(err, "%s: %s", p, strerror(errno));
out:
	free(p);
	return rc;
}

char *path_join(const char *dir, const char *name)
{
	size_t n;

	if (name[0] == '/' || dir == NULL || dir[0] == '\0')
		return xstrdup(name);
	n = strlen(dir);
	if (dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
