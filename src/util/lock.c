/*
 * lock.c - exclusive run lock with flock(2) (see lock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/err.h"
#include "util/lock.h"
#include "util/xmalloc.h"

struct lock {
	int fd;
	char *path;
};

struct lock *lock_acquire(const char *path, char *err)
{
	struct lock *l;
	char pid[32];
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(err, "lock %s: %s", path, strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			err_set(err,
			        "another aggregator is running on this database (lock %s is held)",
			        path);
		else
			err_set(err, "lock %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	/* The pid is for people reading the file; the flock is what counts. */
	if (ftruncate(fd, 0) == 0) {
		int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
		if (write(fd, pid, (size_t)n) < 0) {
			/* informative only */
		}
	}
	l = xmalloc(sizeof *l);
	l->fd = fd;
	l->path = xstrdup(path);
	return l;
}

void lock_release(struct lock *l)
{
	if (l == NULL)
		return;
	close(l->fd);
	free(l->path);
	free(l);
}
