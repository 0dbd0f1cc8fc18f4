/*
 * test-date.c - unit test for src/date.c.
 *
 * Data-driven: every vector of $TESTDATA/date_vectors.tsv (feedparser's date
 * tests, a copy of ../shared/conformance/date_vectors.tsv) and of
 * $TESTDATA/dates/extra.tsv (our own: each zone family, military letters,
 * two- and three-digit years, out-of-range fields, garbage). Both are
 * "input<TAB>expected RFC 3339 UTC instant or empty (must fail)<TAB>...".
 * Then cases a TSV cannot hold (NULL, white space only, long junk) and
 * round trips through date_format_rfc3339() and date_format_rfc822(),
 * date_format_rfc5322() at offsets, durations (date_duration()) and days
 * (date_parse_day()).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "tap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

/* Checks one string: want is the RFC 3339 instant, or NULL for "no date". */
static void check_one(const char *in, const char *want, const char *where)
{
	int64_t t = INT64_MIN;
	char got[DATE_MAX];
	int rc = date_parse(in, &t);

	if (rc == 0)
		date_format_rfc3339(t, got);
	else
		snprintf(got, sizeof(got), "(no date)");
	if (want == NULL) {
		CHECK(rc == -1 && t == INT64_MIN, "%s: [%s] should give no date, got %s (rc %d)",
		      where, in, got, rc);
	} else {
		CHECK(rc == 0 && strcmp(got, want) == 0, "%s: [%s] gave %s, want %s", where, in,
		      got, want);
	}
}

/* Runs every vector of a TSV file; returns how many there were. */
static int run_file(const char *name)
{
	const char *dir = getenv("TESTDATA");
	char err[ERR_MAX], where[600];
	struct buf b = BUF_INIT;
	char *path, *line, *next;
	int lineno = 0, count = 0;

	path = path_join(dir ? dir : "tests/data", name);
	if (file_read(path, 1 << 20, &b, err) < 0) {
		CHECK(0, "reading %s: %s", path, err);
		goto out;
	}
	for (line = b.data; line && *line; line = next) {
		char *tab, *want, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (line[0] == '#' || line[0] == 0)
			continue;
		tab = strchr(line, '\t');
		if (tab == NULL) {
			CHECK(0, "%s:%d: no tab in [%s]", name, lineno, line);
			continue;
		}
		*tab = 0;
		want = tab + 1;
		end = strchr(want, '\t');
		if (end)
			*end = 0;
		snprintf(where, sizeof(where), "%s:%d", name, lineno);
		check_one(line, *want ? want : NULL, where);
		count++;
	}
out:
	buf_free(&b);
	free(path);
	return count;
}

static void check_round_trips(void)
{
	static const int64_t times[] = {
	    0,
	    951782400, /* 2000-02-29 */
	    1714564800,
	    253402300799, /* 9999-12-31T23:59:59Z */
	    -62135596800, /* 0001-01-01T00:00:00Z */
	    -1,
	    1234567890,
	    4102444800,
	    68169600,
	};
	char buf[DATE_MAX], b2[DATE_MAX];
	size_t i;

	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		int64_t t = -42;

		date_format_rfc3339(times[i], buf);
		CHECK(date_parse(buf, &t) == 0 && t == times[i],
		      "rfc3339 round trip of %" PRId64 " via [%s] gave %" PRId64, times[i], buf, t);
		t = -42;
		date_format_rfc822(times[i], buf);
		CHECK(date_parse(buf, &t) == 0 && t == times[i],
		      "rfc822 round trip of %" PRId64 " via [%s] gave %" PRId64, times[i], buf, t);
	}
	/* every day of a leap year (2024) and a common one (2023) at 12:34:56 */
	for (i = 0; i < 366 + 365; i++) {
		int64_t t0 = (i < 366 ? 1704067200 + (int64_t)i * 86400
		                      : 1672531200 + (int64_t)(i - 366) * 86400) +
		             45296,
		        t1 = -42, t2 = -42;
		date_format_rfc822(t0, buf);
		date_format_rfc3339(t0, b2);
		if (date_parse(buf, &t1) != 0 || t1 != t0 || date_parse(b2, &t2) != 0 || t2 != t0)
			break;
	}
	CHECK(i == 366 + 365, "daily round trip failed at day %zu: [%s] or [%s]", i, buf, b2);
}

static void check_special(void)
{
	struct buf b = BUF_INIT;
	int64_t t = 7;
	size_t i;

	CHECK(date_parse(NULL, &t) == -1 && t == 7, "NULL string");
	CHECK(date_parse("2024-05-01", NULL) == -1, "NULL out");
	check_one(" \t\r\n ", NULL, "white space only");
	check_one("\xc2\xa0"
	          "2024-05-01T12:00:00Z\xc2\xa0",
	          "2024-05-01T12:00:00Z", "no-break spaces");
	check_one("Wed,\xc2\xa0"
	          "01\xc2\xa0May 2024 12:00:00 GMT",
	          "2024-05-01T12:00:00Z", "no-break spaces inside");
	check_one("\xff\xfe\xfd", NULL, "invalid UTF-8");
	check_one("Wed, 01 May 2024 12:00:00 \xce", NULL, "truncated UTF-8 zone");

	/* long junk: a valid date followed by 100 KB, and 100 KB of digits or words */
	buf_puts(&b, "Wed, 01 May 2024 12:00:00 GMT");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, "ab 1:,-+("[i % 9]);
	check_one(b.data, NULL, "date then 100 KB of junk");
	buf_reset(&b);
	for (i = 0; i < 100000; i++)
		buf_putc(&b, '9');
	check_one(b.data, NULL, "100 KB of digits");
	buf_reset(&b);
	buf_puts(&b, "2024-05-01T12:00:00.");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, '5');
	buf_putc(&b, 'Z');
	check_one(b.data, "2024-05-01T12:00:00Z", "100 KB fraction");
	buf_reset(&b);
	buf_puts(&b, "Wed, 01 May 2024 12:00:00 -0700 (");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	check_one(b.data, NULL, "100 KB unclosed comment");
	buf_free(&b);
}

/* The mail Date: header form, at an offset, and its round trip. */
static void check_rfc5322(void)
{
	char d[DATE_MAX];
	int64_t t = -42;

	date_format_rfc5322(1795896000, 9 * 3600, d); /* 2026-11-28T20:00:00Z */
	CHECK_STR(d, "Sun, 29 Nov 2026 05:00:00 +0900", "RFC 5322 date at +0900");
	CHECK(date_parse(d, &t) == 0 && t == 1795896000, "+0900 round trip gave %" PRId64, t);
	date_format_rfc5322(0, 0, d);
	CHECK_STR(d, "Thu, 01 Jan 1970 00:00:00 +0000", "the epoch");
	date_format_rfc5322(1795896000, -(3 * 3600 + 1800), d);
	CHECK_STR(d, "Sat, 28 Nov 2026 16:30:00 -0330", "negative offset");
	date_format_rfc5322(-1, 0, d);
	CHECK_STR(d, "Wed, 31 Dec 1969 23:59:59 +0000", "before the epoch");
	date_format_rfc5322(1795896000, 86400, d);
	CHECK_STR(d, "Sat, 28 Nov 2026 20:00:00 +0000", "an offset beyond a day is 0");
	date_format_rfc822(1795896000, d);
	CHECK_STR(d, "Sat, 28 Nov 2026 20:00:00 +0000", "rfc822 is rfc5322 at +0000");
}

/* date_duration(): units s m h d w, a bare number flagged, junk and overflow refused. */
static void check_durations(void)
{
	static const struct {
		const char *in;
		int rc;
		int64_t want;
	} cases[] = {
	    {"90s", 0, 90},
	    {"15m", 0, 900},
	    {"2h", 0, 7200},
	    {"1d", 0, 86400},
	    {"1w", 0, 604800},
	    {"2 w", 0, 1209600},
	    {"3\tm", 0, 180},
	    {"0s", 0, 0},
	    {"007m", 0, 420},
	    {"300", DATE_DURATION_BARE, 300},
	    {"0", DATE_DURATION_BARE, 0},
	    {"15 ", DATE_DURATION_BARE, 15},
	    {"9223372036854775807s", 0, INT64_MAX},
	    {"9223372036854775807", DATE_DURATION_BARE, INT64_MAX},
	    {"9223372036854775808s", -2, 0},
	    {"99999999999999999999999", -2, 0},
	    {"15250284452471w", 0, INT64_C(15250284452471) * 604800},
	    {"15250284452472w", -2, 0},
	    {"", -1, 0},
	    {"m", -1, 0},
	    {"5x", -1, 0},
	    {"5mm", -1, 0},
	    {"5 m s", -1, 0},
	    {"5M", -1, 0},
	    {"5min", -1, 0},
	    {"1.5h", -1, 0},
	    {"-5m", -1, 0},
	    {"+5m", -1, 0},
	    {" 5m", -1, 0},
	    {"5m ", -1, 0},
	    {"1y", -1, 0},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t got = -42;
		int rc = date_duration(cases[i].in, &got);

		CHECK(rc == cases[i].rc && (rc < 0 ? got == -42 : got == cases[i].want),
		      "date_duration [%s]: rc %d (want %d), %" PRId64 " (want %" PRId64 ")",
		      cases[i].in, rc, cases[i].rc, got, cases[i].want);
	}
	CHECK(date_duration(NULL, NULL) == -1, "date_duration(NULL)");
}

/* date_parse_day(): real days only. */
static void check_days(void)
{
	static const char *const bad[] = {
	    "2026-02-29", "2026-13-01", "2026-00-10",  "2026-04-31", "1969-12-31", "2026-1-01",
	    "2026/01/01", " 2026-01-1", "2026-01-01T", "20260101",   "",           "abcd-ef-gh",
	};
	int64_t d = -42;
	size_t i;

	CHECK(date_parse_day("1970-01-01", &d) == 0 && d == 0, "1970-01-01 is day 0: %" PRId64, d);
	CHECK(date_parse_day("2026-12-01", &d) == 0 && d * 86400 == 1796083200,
	      "2026-12-01: %" PRId64, d);
	CHECK(date_parse_day("2024-02-29", &d) == 0 && d == 19782, "leap day: %" PRId64, d);
	CHECK(date_parse_day("9999-12-31", &d) == 0 && d == 2932896, "9999-12-31: %" PRId64, d);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		d = -42;
		CHECK(date_parse_day(bad[i], &d) == -1 && d == -42, "date_parse_day [%s] refused",
		      bad[i]);
	}
	CHECK(date_parse_day(NULL, &d) == -1, "date_parse_day(NULL)");
}

int main(void)
{
	int n;

	n = run_file("date_vectors.tsv");
	CHECK(n == 68, "date_vectors.tsv: %d vectors, want 68", n);
	n = run_file("dates/extra.tsv");
	CHECK(n >= 30, "dates/extra.tsv: %d vectors, want at least 30", n);
	check_special();
	check_round_trips();
	check_rfc5322();
	check_durations();
	check_days();
	return tap_done();
}
