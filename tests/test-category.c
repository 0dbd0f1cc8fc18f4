/*
 * test-category.c - category.c and tz.c.
 *
 * Keyword matching comes from data-driven cases in
 * tests/data/category/match.txt (word boundaries for Latin letters, Hangul
 * particles, phrases, other scripts). Then whole rules built from config
 * items: words, terms, per-category and global exclude, the
 * subscription's category, an entry in several categories, and errors for
 * unknown keys naming file and line. Then tz.c: fixed zones, Asia/Seoul,
 * America/New_York across both DST changes (its footer rule), Europe/London,
 * and refused names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "tap.h"
#include "tz.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

static void test_match_file(const char *testdata)
{
	char *path = path_join(testdata, "category/match.txt");
	struct buf b = BUF_INIT;
	char err[ERR_MAX] = "";
	char *line, *save = NULL;
	int n = 0;

	CHECK(file_read(path, 1 << 20, &b, err) == 0, "%s: %s", path, err);
	for (line = strtok_r(b.data ? b.data : (char[]){""}, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *kw, *text;
		int want, got;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		kw = strchr(line, '\t');
		text = kw ? strchr(kw + 1, '\t') : NULL;
		CHECK(kw && text, "bad case line: %s", line);
		if (!kw || !text)
			continue;
		*kw++ = '\0';
		*text++ = '\0';
		want = atoi(line);
		got = category_text_matches(text, kw);
		CHECK(got == want, "keyword [%s] in [%s]: got %d, want %d", kw, text, got, want);
		n++;
	}
	CHECK(n >= 30, "only %d cases read", n);
	buf_free(&b);
	free(path);
}

/* The categories of an entry as "a|b|c", or "BLOCKED". */
static char *assign(const struct category_rules *r, const char *title, const char *excerpt,
                    const char *feed_cat, const char *term)
{
	struct entry *e = entry_new();
	const char *names[16];
	struct buf b = BUF_INIT;
	int n, i;

	text_set(&e->title, title, TEXT_PLAIN, NULL, NULL);
	if (excerpt)
		e->excerpt = xstrdup(excerpt);
	if (feed_cat)
		e->feed_category = xstrdup(feed_cat);
	if (term)
		entry_add_category(e, term, NULL, NULL);
	n = category_assign(r, e, names, 16);
	if (n < 0)
		buf_puts(&b, "BLOCKED");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, names[i]);
	}
	entry_free(e);
	return buf_detach(&b);
}

static void test_rules(void)
{
	struct category_item s[] = {
	    {"K-Pop", NULL, NULL, 10},
	    {"K-Pop", "words", "comeback, 컴백, debut, music video", 11},
	    {"K-Pop", "terms", "K-Pop, kpop, Korean Pop", 12},
	    {"K-Pop", "exclude", "spoiler, 스포", 13},
	    {"Film", NULL, NULL, 30},
	    {"Film", "words", "box office, 영화", 31},
	    {"Drama", NULL, NULL, 40},
	    {"Drama", "exclude", "recap", 41},
	    {"Film", "wrods", "typo", 42}, /* a key item with another name starts a rule */
	    {"", NULL, NULL, 50},
	};
	size_t ns = 8;
	struct category_rules *r;
	char err[ERR_MAX] = "";
	char *got;

	r = category_rules_new(s, ns, "casino, 도박", "test.conf", err);
	CHECK(r != NULL, "rules: %s", err);
	if (r == NULL)
		goto out;
	CHECK(category_rules_count(r) == 3, "%zu rules", category_rules_count(r));
	CHECK_STR(category_rules_name(r, 1), "Film", "second rule");

	got = assign(r, "IVE 컴백을 앞두고", NULL, "News", NULL);
	CHECK_STR(got, "News|K-Pop", "subscription category, then the keyword's");
	free(got);
	got = assign(r, "Plain title", "The comeback film tops the box office", NULL, NULL);
	CHECK_STR(got, "K-Pop|Film", "excerpt words, two categories");
	free(got);
	got = assign(r, "Charts", NULL, "Music", "  KPOP ");
	CHECK_STR(got, "Music|K-Pop", "entry's own term, case and spaces ignored");
	free(got);
	got = assign(r, "Comeback spoiler inside", NULL, "Music", NULL);
	CHECK_STR(got, "Music", "per-category exclude");
	free(got);
	got = assign(r, "Comeback at the CASINO", NULL, "Music", NULL);
	CHECK_STR(got, "BLOCKED", "global exclude");
	free(got);
	got = assign(r, "Episode 3 recap", NULL, "drama", NULL);
	CHECK_STR(got, "", "exclude applies to the subscription's category of the same name");
	free(got);
	got = assign(r, "Episode 3", NULL, "drama", NULL);
	CHECK_STR(got, "drama", "subscription category kept");
	free(got);
	got = assign(r, "k-pop comeback", NULL, "k-pop", NULL);
	CHECK_STR(got, "k-pop", "a category counted once, whatever its case");
	free(got);
	category_rules_free(r);

	err[0] = '\0';
	r = category_rules_new(s, ns + 1, NULL, "test.conf", err);
	CHECK(r == NULL, "unknown key accepted");
	CHECK_STR(err,
	          "test.conf:42: [category Film]: unknown key 'wrods' (words, terms and exclude "
	          "are known)",
	          "unknown key: file, line, section and key");
	category_rules_free(r);

	err[0] = '\0';
	r = category_rules_new(s + ns + 1, 1, NULL, NULL, err);
	CHECK(r == NULL, "nameless category accepted");
	CHECK_STR(err, "config:50: [category] needs a name", "nameless category");
	category_rules_free(r);

	err[0] = '\0';
	r = category_rules_new(NULL, 0, NULL, NULL, err);
	CHECK(r != NULL && category_rules_count(r) == 0, "no rules: %s", err);
	category_rules_free(r);
out:;
}

static void fmt(const struct tz *z, int64_t t, const char *want)
{
	char got[TZ_DATE_MAX];

	tz_format(z, t, got);
	CHECK_STR(got, want, want);
}

static void test_tz(void)
{
	char err[ERR_MAX] = "";
	struct tz *z;

	z = tz_load("UTC", err);
	CHECK(z != NULL, "UTC: %s", err);
	fmt(z, 1714564800, "2024-05-01T12:00:00Z");
	tz_free(z);
	z = tz_load("+05:30", err);
	CHECK(z != NULL, "+05:30: %s", err);
	fmt(z, 1714564800, "2024-05-01T17:30:00+05:30");
	tz_free(z);
	z = tz_load("-0330", err);
	CHECK(z != NULL, "-0330: %s", err);
	fmt(z, 1714564800, "2024-05-01T08:30:00-03:30");
	tz_free(z);

	err[0] = '\0';
	CHECK(tz_load("../etc/passwd", err) == NULL && strstr(err, "not a zone name"),
	      "path refused: %s", err);
	CHECK(tz_load("No/Such_Zone", err) == NULL && strstr(err, "No/Such_Zone"),
	      "missing zone: %s", err);

	if (!file_exists("/usr/share/zoneinfo/Asia/Seoul")) {
		fprintf(stderr, "no tz database: zone files not tested\n");
		return;
	}
	z = tz_load("Asia/Seoul", err);
	CHECK(z != NULL, "Asia/Seoul: %s", err);
	fmt(z, 1714564800, "2024-05-01T21:00:00+09:00");
	fmt(z, 4102444800, "2100-01-01T09:00:00+09:00"); /* past the table: the footer */
	fmt(z, 567964800, "1988-01-01T01:00:00+09:00");
	tz_free(z);

	z = tz_load("America/New_York", err);
	CHECK(z != NULL, "America/New_York: %s", err);
	fmt(z, 1704067200, "2023-12-31T19:00:00-05:00");
	fmt(z, 1719792000, "2024-06-30T20:00:00-04:00");
	/* 2024-03-10 07:00Z is 03:00 EDT (the change); one second before is 01:59:59 EST. */
	fmt(z, 1710054000, "2024-03-10T03:00:00-04:00");
	fmt(z, 1710053999, "2024-03-10T01:59:59-05:00");
	/* 2024-11-03 06:00Z: back to EST. */
	fmt(z, 1730613600, "2024-11-03T01:00:00-05:00");
	fmt(z, 1730613599, "2024-11-03T01:59:59-04:00");
	/* 2060, certainly past any table: the footer's rule. */
	fmt(z, 2855419200, "2060-06-25T16:00:00-04:00");
	fmt(z, 2871576000, "2060-12-29T15:00:00-05:00");
	tz_free(z);

	z = tz_load("Europe/London", err);
	CHECK(z != NULL, "Europe/London: %s", err);
	fmt(z, 1719792000, "2024-07-01T01:00:00+01:00");
	fmt(z, 1704067200, "2024-01-01T00:00:00Z");
	tz_free(z);

	z = tz_load("Australia/Sydney", err); /* southern hemisphere: DST over new year */
	CHECK(z != NULL, "Australia/Sydney: %s", err);
	fmt(z, 2871576000, "2060-12-30T07:00:00+11:00");
	fmt(z, 2855419200, "2060-06-26T06:00:00+10:00");
	tz_free(z);
}

int main(void)
{
	const char *testdata = getenv("TESTDATA");

	test_match_file(testdata ? testdata : "tests/data");
	test_rules();
	test_tz();
	return tap_done();
}
