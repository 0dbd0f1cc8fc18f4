/*
 * date.h - dates as feeds write them, to seconds since the epoch (UTC).
 *
 * date_parse() reads RFC 822/1123 with the variants seen in the wild
 * (two-digit years, no seconds, no or wrong weekday, named and military
 * zones, numeric zones), W3C-DTF / ISO 8601 / RFC 3339 (reduced precision,
 * fractions, no zone = UTC), asctime, and the Korean blog formats. Garbage
 * gives no date, never a wrong one. The formatters write the forms feeds
 * and mail use; this is the one place dates and durations are parsed and
 * formatted (time zones are tz.h's).
 */
#ifndef AGG_DATE_H
#define AGG_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Returns 0 and sets *out, or -1 when s is not a date we can trust. */
int date_parse(const char *s, int64_t *out);
/*
 * The same, and *zoned says whether s named its zone: when it did not, *out
 * is its wall-clock time read as UTC, for the caller to place in the
 * publisher's zone (parse.c: a subscription's zone, or the feed language's).
 */
int date_parse_naive(const char *s, int64_t *out, int *zoned);

/* "2024-05-01T12:00:00Z" (RFC 3339, UTC). buf must hold DATE_MAX bytes. */
#define DATE_MAX 40
void date_format_rfc3339(int64_t t, char *buf);
/* "Wed, 01 May 2024 12:00:00 +0000" (RFC 822/1123, for RSS). */
void date_format_rfc822(int64_t t, char *buf);
/*
 * "Wed, 01 May 2024 21:00:00 +0900" (RFC 5322, 3.3, for a mail's Date:):
 * t as seen at offset seconds east of UTC (beyond a day: taken as 0).
 */
void date_format_rfc5322(int64_t t, long offset, char *buf);
/* Days since 1970-01-01 for a proleptic Gregorian date (timegm without libc). */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d);
/* "2024-05-01" (a real day, years 1970 to 9999) to days since 1970-01-01: 0 or -1. */
int date_parse_day(const char *s, int64_t *days);

/*
 * A duration, the one syntax of every config key and command-line flag
 * that takes one: a number and a unit, s m h d or w ("90s", "15m", "2h",
 * "1d", "1w"; blanks may separate them), as seconds in *out. Returns 0;
 * DATE_DURATION_BARE for a number without a unit (*out is then that many
 * seconds: the config file warns and takes it, a flag refuses it); -1 when
 * s is not a duration; -2 when it does not fit 64-bit seconds. Ranges are
 * the caller's.
 */
#define DATE_DURATION_BARE 1
int date_duration(const char *s, int64_t *out);

#endif
