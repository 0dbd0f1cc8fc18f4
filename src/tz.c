/*
 * tz.c - a small TZif (RFC 8536) reader and POSIX TZ rule evaluator (see tz.h).
 *
 * Only what offsets need is kept: the transition times with the offset
 * each one starts, and the footer rule. Version 1 files use their 32-bit
 * table; version 2+ files skip it for the 64-bit one. Sizes are checked
 * against the file length before anything is read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "tz.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

#define TZ_FILE_MAX (256 * 1024)
#define TZ_TRANS_MAX 5000

struct rule_date {
	char kind; /* 'M' month.week.day, 'J' Julian 1..365 without Feb 29, 'n' 0..365 */
	int m, w, d, n;
	int secs; /* local time of day of the change */
};

struct tz {
	int64_t *trans;
	int *trans_off;
	size_t ntrans;
	int first_off; /* before the first transition */
	int has_rule;
	int std_off, dst_off; /* seconds east of UTC */
	int has_dst;
	struct rule_date start, end;
	char std_abbr[8], dst_abbr[8]; /* "KST", "EST"/"EDT" from the footer; "" when numeric */
};

/* --- POSIX TZ strings ----------------------------------------------------------- */

static const char *skip_name(const char *p)
{
	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p == '>' ? p + 1 : NULL;
	}
	{
		const char *q = p;
		while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z'))
			q++;
		return q - p >= 3 ? q : NULL;
	}
}

/* [+-]hh[:mm[:ss]] as seconds; hours up to 167 (RFC 8536 extension). */
static const char *parse_hms(const char *p, int *out)
{
	int sign = 1, h = 0, m = 0, s = 0, digits = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9' && digits < 3)
		h = h * 10 + (*p++ - '0'), digits++;
	if (digits == 0 || h > 167)
		return NULL;
	if (*p == ':') {
		p++;
		if (!(p[0] >= '0' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9'))
			return NULL;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':') {
			p++;
			if (!(p[0] >= '0' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9'))
				return NULL;
			s = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *parse_num(const char *p, int *out, int lo, int hi)
{
	int v = 0, digits = 0;

	while (*p >= '0' && *p <= '9' && digits < 4)
		v = v * 10 + (*p++ - '0'), digits++;
	if (digits == 0 || v < lo || v > hi)
		return NULL;
	*out = v;
	return p;
}

static const char *parse_date(const char *p, struct rule_date *d)
{
	memset(d, 0, sizeof *d);
	d->secs = 7200;
	if (*p == 'M') {
		d->kind = 'M';
		if (!(p = parse_num(p + 1, &d->m, 1, 12)) || *p++ != '.' ||
		    !(p = parse_num(p, &d->w, 1, 5)) || *p++ != '.' ||
		    !(p = parse_num(p, &d->d, 0, 6)))
			return NULL;
	} else if (*p == 'J') {
		d->kind = 'J';
		if (!(p = parse_num(p + 1, &d->n, 1, 365)))
			return NULL;
	} else {
		d->kind = 'n';
		if (!(p = parse_num(p, &d->n, 0, 365)))
			return NULL;
	}
	if (*p == '/') {
		if (!(p = parse_hms(p + 1, &d->secs)))
			return NULL;
	}
	return p;
}

/* The name at p (ending at end) into out when it is letters ("KST"), else "". */
static void keep_abbr(const char *p, const char *end, char out[8])
{
	size_t n = (size_t)(end - p);

	out[0] = '\0';
	if (*p != '<' && n < 8) {
		memcpy(out, p, n);
		out[n] = '\0';
	}
}

/* Reads a footer like "CET-1CEST,M3.5.0,M10.5.0/3" into z. */
static int parse_rule(struct tz *z, const char *p)
{
	const char *name = p;
	int off;

	if (!(p = skip_name(p)))
		return -1;
	keep_abbr(name, p, z->std_abbr);
	if (!(p = parse_hms(p, &off)) || off <= -93600 || off >= 93600)
		return -1;
	z->std_off = -off;
	z->dst_off = z->std_off + 3600;
	z->has_dst = 0;
	if (*p == '\0')
		goto done;
	name = p;
	if (!(p = skip_name(p)))
		return -1;
	keep_abbr(name, p, z->dst_abbr);
	z->has_dst = 1;
	if (*p && *p != ',') {
		if (!(p = parse_hms(p, &off)) || off <= -93600 || off >= 93600)
			return -1;
		z->dst_off = -off;
	}
	if (*p != ',' || !(p = parse_date(p + 1, &z->start)) || *p != ',' ||
	    !(p = parse_date(p + 1, &z->end)) || *p != '\0')
		return -1;
done:
	z->has_rule = 1;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since the epoch of rule date d in year y. */
static int64_t rule_day(const struct rule_date *d, int64_t y)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t jan1 = date_days_from_civil(y, 1, 1);

	if (d->kind == 'J')
		return jan1 + d->n - 1 + (is_leap(y) && d->n >= 60);
	if (d->kind == 'n')
		return jan1 + d->n;
	{
		int64_t first = date_days_from_civil(y, (unsigned)d->m, 1);
		int dow = (int)(((first % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
		int day = 1 + (d->d - dow + 7) % 7 + (d->w - 1) * 7;
		int len = mdays[d->m - 1] + (d->m == 2 && is_leap(y));

		while (day > len)
			day -= 7;
		return first + day - 1;
	}
}

static int64_t year_of(int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t y = 1970 + days / 366, yy;

	/* Walk to the year whose Jan 1 is the last one not after days. */
	for (yy = y - 1; yy <= y + 2; yy++)
		if (date_days_from_civil(yy + 1, 1, 1) > days)
			return yy;
	return y;
}

static int rule_offset(const struct tz *z, int64_t t)
{
	int64_t y, start, end;

	if (!z->has_dst)
		return z->std_off;
	y = year_of(t + z->std_off);
	start = rule_day(&z->start, y) * 86400 + z->start.secs - z->std_off;
	end = rule_day(&z->end, y) * 86400 + z->end.secs - z->dst_off;
	if (start < end)
		return t >= start && t < end ? z->dst_off : z->std_off;
	return t >= end && t < start ? z->std_off : z->dst_off;
}

/* --- TZif -------------------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parses one data block (time size 4 or 8) at p; *used gets its length. */
static int read_block(struct tz *z, const unsigned char *p, size_t len, int tsize, size_t *used)
{
	uint32_t isut, isstd, leap, timecnt, typecnt, charcnt;
	size_t need, i;
	const unsigned char *times, *idx, *types;

	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	isut = be32(p + 20);
	isstd = be32(p + 24);
	leap = be32(p + 28);
	timecnt = be32(p + 32);
	typecnt = be32(p + 36);
	charcnt = be32(p + 40);
	if (timecnt > TZ_TRANS_MAX || typecnt == 0 || typecnt > 256 || charcnt > 4096 ||
	    leap > 1000 || isut > typecnt || isstd > typecnt)
		return -1;
	need = 44 + (size_t)timecnt * (size_t)tsize + timecnt + (size_t)typecnt * 6 + charcnt +
	       (size_t)leap * (size_t)(tsize + 4) + isstd + isut;
	if (need > len)
		return -1;
	*used = need;
	times = p + 44;
	idx = times + (size_t)timecnt * (size_t)tsize;
	types = idx + timecnt;
	free(z->trans);
	free(z->trans_off);
	z->trans = xcalloc(timecnt ? timecnt : 1, sizeof *z->trans);
	z->trans_off = xcalloc(timecnt ? timecnt : 1, sizeof *z->trans_off);
	z->ntrans = timecnt;
	for (i = 0; i < timecnt; i++) {
		if (idx[i] >= typecnt)
			return -1;
		z->trans[i] = tsize == 8 ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
		z->trans_off[i] = (int32_t)be32(types + (size_t)idx[i] * 6);
		if (z->trans_off[i] <= -90000 || z->trans_off[i] >= 93600) /* RFC 8536 3.2 */
			return -1;
		if (i > 0 && z->trans[i] <= z->trans[i - 1])
			return -1;
	}
	/* Before the first transition: the first standard-time type (RFC 8536 3.2), else type 0. */
	z->first_off = (int32_t)be32(types);
	for (i = 0; i < typecnt; i++)
		if (types[i * 6 + 4] == 0) {
			z->first_off = (int32_t)be32(types + i * 6);
			break;
		}
	return z->first_off <= -90000 || z->first_off >= 93600 ? -1 : 0;
}

static int read_tzif(struct tz *z, const unsigned char *p, size_t len)
{
	size_t used = 0;

	if (read_block(z, p, len, 4, &used) != 0)
		return -1;
	if (p[4] >= '2') {
		const unsigned char *q = p + used, *nl;
		size_t rest = len - used;

		if (read_block(z, q, rest, 8, &used) != 0)
			return -1;
		q += used;
		rest -= used;
		if (rest >= 2 && q[0] == '\n' && (nl = memchr(q + 1, '\n', rest - 1)) != NULL &&
		    nl > q + 1) {
			char footer[128];
			size_t n = (size_t)(nl - q - 1);

			if (n < sizeof footer) {
				memcpy(footer, q + 1, n);
				footer[n] = '\0';
				if (parse_rule(z, footer) != 0)
					return -1;
			}
		}
	}
	return 0;
}

static int fixed_offset(const char *s, int *off)
{
	int h, m, sign = s[0] == '-' ? -1 : 1;

	if ((s[0] != '+' && s[0] != '-') ||
	    !(s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'))
		return -1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	s += 3;
	if (*s == ':')
		s++;
	if (!(s[0] >= '0' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9') || s[2] != '\0' || h > 23)
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

struct tz *tz_load(const char *name, char *err)
{
	struct tz *z = xcalloc(1, sizeof *z);
	struct buf data = BUF_INIT;
	const char *dir = getenv("TZDIR");
	char *path = NULL;
	char why[ERR_MAX];
	const char *p;
	int off;

	if (name == NULL || name[0] == '\0' || strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    strcmp(name, "Etc/UTC") == 0) {
		memcpy(z->std_abbr, "UTC", 4);
		return z;
	}
	if (fixed_offset(name, &off) == 0) {
		z->first_off = off;
		return z;
	}
	for (p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			break;
	if (*p || name[0] == '/' || strstr(name, "..") || strlen(name) > 128) {
		err_set(err, "time zone %.100s: not a zone name (like Asia/Seoul or +09:00)", name);
		goto fail;
	}
	path = path_join(dir && dir[0] ? dir : "/usr/share/zoneinfo", name);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		err_set(err,
		        "time zone %.100s: no such zone in %.200s (names are like Asia/Seoul or "
		        "Europe/Berlin, offsets like +09:00)",
		        name, dir && dir[0] ? dir : "/usr/share/zoneinfo");
		goto fail;
	}
	if (file_read(path, TZ_FILE_MAX, &data, why) != 0) {
		err_set(err, "time zone %.100s: %s", name, why);
		goto fail;
	}
	if (read_tzif(z, (const unsigned char *)(data.data ? data.data : ""), data.len) != 0) {
		err_set(err, "time zone %.100s: %s is not a valid TZif file", name, path);
		goto fail;
	}
	free(path);
	buf_free(&data);
	return z;
fail:
	free(path);
	buf_free(&data);
	tz_free(z);
	return NULL;
}

void tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->trans);
	free(z->trans_off);
	free(z);
}

int tz_offset(const struct tz *z, int64_t t)
{
	size_t lo, hi;

	if (z == NULL)
		return 0;
	if (z->ntrans == 0 || t < z->trans[0])
		return z->ntrans == 0 && z->has_rule ? rule_offset(z, t) : z->first_off;
	if (t >= z->trans[z->ntrans - 1] && z->has_rule)
		return rule_offset(z, t);
	lo = 0;
	hi = z->ntrans; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->trans_off[lo];
}

void tz_format(const struct tz *z, int64_t t, char *out)
{
	int off = tz_offset(z, t);
	char utc[DATE_MAX];
	int a = off < 0 ? -off : off;

	if (off == 0) {
		date_format_rfc3339(t, out);
		return;
	}
	date_format_rfc3339(t + off, utc);
	utc[strlen(utc) - 1] = '\0'; /* drop the Z */
	snprintf(out, TZ_DATE_MAX, "%.25s%c%02d:%02d", utc, off < 0 ? '-' : '+', a / 3600 % 100,
	         a / 60 % 60);
}

const char *tz_abbrev(const struct tz *z, int64_t t)
{
	int off = tz_offset(z, t);

	if (z == NULL)
		return "UTC";
	if (z->has_rule && z->has_dst && off == z->dst_off && off != z->std_off)
		return z->dst_abbr;
	if ((z->has_rule && off == z->std_off) || (!z->has_rule && off == 0 && z->std_abbr[0]))
		return z->std_abbr;
	return "";
}
