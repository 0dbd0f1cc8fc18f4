/*
 * lock.h - one run at a time per database.
 *
 * An exclusive flock(2) on "DATABASE.lock". The kernel drops it when the
 * process dies, however it dies, so a run killed with SIGKILL leaves no stale
 * lock behind: the lock file may remain, but it is not held.
 */
#ifndef AGG_UTIL_LOCK_H
#define AGG_UTIL_LOCK_H

struct lock;

/* Takes the lock without waiting; fails with a clear message if it is held. */
struct lock *lock_acquire(const char *path, char *err);
void lock_release(struct lock *l);

#endif
