/*
 * file.h - files and paths: capped reads, atomic writes, directories.
 *
 * Every published file goes through file_write_atomic(): the bytes are
 * written to a temporary file beside the target, flushed, and renamed over
 * it, so a reader (or a run killed half-way) never sees a truncated file.
 * A target whose content is already identical is left alone, so web
 * servers keep their ETags and feed readers get 304s.
 */
#ifndef AGG_UTIL_FILE_H
#define AGG_UTIL_FILE_H

#include <stddef.h>

#include "util/buf.h"

/* Reads a whole file (or "-" for stdin) into out; fails past cap bytes. */
int file_read(const char *path, size_t cap, struct buf *out, char *err);

/*
 * Writes data to path atomically. Returns 1 when the file was written, 0 when
 * it already held exactly these bytes (nothing touched), -1 on error.
 */
int file_write_atomic(const char *path, const void *data, size_t len, char *err);

/*
 * file_write_atomic() with flags. FILE_BATCH, for many files at once (a
 * site's story pages): no fsync and no look for a killed writer's leftover
 * beside each file; the caller then calls file_batch_done() with the
 * folders it wrote in, which removes the leftovers there and flushes the
 * whole filesystem once (syncfs). A reader still never sees a half-written
 * file.
 */
#define FILE_BATCH 1
int file_write_atomic_ex(const char *path, const void *data, size_t len, int flags, char *err);
int file_batch_done(char *const *dirs, size_t n, char *err);
/* Removes the NAME.tmp.PID files a killed writer left in dir (PID not a live process). */
void file_remove_stale(const char *dir);

/* Like mkdir -p. */
int file_mkdirs(const char *dir, char *err);

/* dir + "/" + name, or name alone when it is absolute or dir is NULL/"". */
char *path_join(const char *dir, const char *name);

/* The directory part of path ("." when there is none). */
char *path_dirname(const char *path);

/* Non-zero when path exists and is a regular file. */
int file_exists(const char *path);

#endif
