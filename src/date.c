/*
 * date.c - feed dates to UTC seconds, and back (see date.h).
 * (date_parse is being written; the formatting below is final.)
 */
#include <stdio.h>

#include "date.h"

int date_parse(const char *s, int64_t *out)
{
	(void)s;
	(void)out;
	return -1;
}

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

struct civil {
	int64_t year;
	unsigned mon, day, hour, min, sec, wday;
};

static void civil_from_time(int64_t t, struct civil *c)
{
	int64_t days = t / 86400, rem = t % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &c->year, &c->mon, &c->day);
	c->hour = (unsigned)(rem / 3600);
	c->min = (unsigned)(rem / 60 % 60);
	c->sec = (unsigned)(rem % 60);
	c->wday = (unsigned)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
}

void date_format_rfc3339(int64_t t, char *buf)
{
	struct civil c;

	civil_from_time(t, &c);
	snprintf(buf, DATE_MAX, "%04lld-%02u-%02uT%02u:%02u:%02uZ", (long long)c.year, c.mon, c.day,
		 c.hour, c.min, c.sec);
}

void date_format_rfc822(int64_t t, char *buf)
{
	static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct civil c;

	civil_from_time(t, &c);
	snprintf(buf, DATE_MAX, "%s, %02u %s %04lld %02u:%02u:%02u +0000", wdays[c.wday], c.day,
		 months[c.mon - 1], (long long)c.year, c.hour, c.min, c.sec);
}
