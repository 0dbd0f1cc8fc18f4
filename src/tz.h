/*
 * tz.h - UTC offsets of a named time zone, without touching TZ.
 *
 * Pages and the digest show times in the configured time zone (the one
 * time zone path: nothing sets TZ). localtime_r() would need
 * the process-global TZ variable, so publish reads the zone itself: the
 * TZif file /usr/share/zoneinfo/NAME (or $TZDIR/NAME), its transition
 * table, and for times after the last transition its POSIX TZ footer
 * ("EST5EDT,M3.2.0,M11.1.0"). "UTC", "Z" and fixed offsets "+09:00" /
 * "-0330" need no file.
 */
#ifndef AGG_TZ_H
#define AGG_TZ_H

#include <stdint.h>

struct tz;

/* The zone called name, or NULL with err set ("time zone NAME: ..."). */
struct tz *tz_load(const char *name, char *err);
void tz_free(struct tz *z);

/* The offset from UTC in seconds at time t (local = t + offset). */
int tz_offset(const struct tz *z, int64_t t);

/* "2024-05-01T21:00:00+09:00" for t in zone z (out has TZ_DATE_MAX bytes). */
#define TZ_DATE_MAX 40
void tz_format(const struct tz *z, int64_t t, char *out);

/*
 * The zone's abbreviation at time t ("KST", "CET", "CEST", "UTC"), or ""
 * when it has none (a numeric one such as "+09" in the zone's rule, a
 * fixed offset, an offset the rule does not name).
 */
const char *tz_abbrev(const struct tz *z, int64_t t);

#endif
