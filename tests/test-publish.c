/*
 * test-publish.c - publish.c: planet documents from the real store through
 * the templates to files.
 *
 * Each test opens an SQLite store in a temporary directory, subscribes a few
 * feeds in three categories (names with an ampersand, a quote, Korean text,
 * two of them with the same slug) and saves feeds shaped as normalize leaves
 * them (plain-text titles, sanitized HTML, ids, dates, a thumbnail) with
 * dedupe_save_feed(), then publishes. Checks: every page and feed is written
 * for "everything" and for each category (slug directories), the Atom
 * outputs validate against atom.rng, a second publish (even at another time)
 * rewrites nothing and keeps mtimes, a new entry saved to the store rewrites
 * only the pages it is on, names with quotes reach the templates intact,
 * user templates come first, a broken template is reported with its file
 * and line, and templates cannot read files. Also publish_slug().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dedupe.h"
#include "opml.h"
#include "publish.h"
#include "store.h"
#include "tap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

/* --- the store, as fetch and normalize leave it ------------------------------ */

/*
 * The subscriptions. "k-pop 'idols'" sorts after "K-Pop & Idols" and has
 * the same slug, so its directory is k-pop-idols-2; its feed has not been
 * fetched yet, so it has no entries.
 */
static const struct {
	const char *title, *category;
} subs_tab[] = {
    {"Idol News", "K-Pop & Idols"},
    {"드라마 블로그", "드라마"},
    {"Tom's & Jerry's \"Fan\" Page", "K-Pop & Idols"},
    {"Quiet 'idols'", "k-pop 'idols'"},
};
#define NSUBS (sizeof subs_tab / sizeof subs_tab[0])

#define T0 1714564800 /* 2024-05-01T12:00:00Z, the newest entry at first */

struct fixture {
	struct store *s;
	int64_t ids[NSUBS]; /* the store's feed id of each subscription */
};

static char *src_url(size_t k)
{
	return xasprintf("https://src%zu.example/feed", k);
}

/* Feed k's document as normalize leaves it, without entries. */
static struct feed *source_new(size_t k, int64_t updated)
{
	struct feed *f = feed_new();

	f->url = src_url(k);
	f->id = xasprintf("tag:src%zu.example,2024:feed", k);
	f->link = xasprintf("https://src%zu.example/", k);
	text_set(&f->title, k == 1 ? "드라마 블로그" : "Source & Co", TEXT_PLAIN, NULL, NULL);
	text_set(&f->subtitle, "<p>News &amp; more</p>", TEXT_HTML, NULL, NULL);
	f->updated = updated;
	f->lang = xstrdup(k == 1 ? "ko" : "en");
	feed_add_link(f, f->link, "alternate", "text/html");
	return f;
}

/* Entry i of feed k, as normalize leaves it. */
static void entry_fill(struct feed *f, size_t i, size_t k, int64_t updated)
{
	struct entry *e = feed_add_entry(f);
	char title[64];

	e->id = xasprintf("urn:test:%zu", i);
	e->link = xasprintf("https://src%zu.example/post/%zu", k, i);
	entry_add_link(e, e->link, "alternate", "text/html");
	snprintf(title, sizeof title, "Entry %zu <b> & 제목", i);
	text_set(&e->title, title, TEXT_PLAIN, NULL, NULL);
	text_set(&e->summary, "<p>a &lt; b</p>", TEXT_HTML, e->link, NULL);
	text_set(&e->content, "<p>a &lt; b <em>and</em> more</p>", TEXT_HTML, e->link, NULL);
	e->excerpt = xstrdup("a < b and more");
	e->published = updated - 600;
	e->updated = updated;
	entry_add_author(e, i % 2 ? "홍길동" : "Kim \"K\" O'Neil", NULL, NULL);
	entry_add_category(e, "news & views", NULL, NULL);
	if (i == 0)
		e->thumbnail = xstrdup("https://img.example/0.jpg");
}

/* Saves f (and frees it); checks how many entries were new. */
static int save(struct fixture *fx, size_t k, struct feed *f, int64_t now, size_t want_new)
{
	char err[ERR_MAX] = "";
	size_t n = 99;
	static const struct dedupe_params dp = {34, 48}; /* cluster_threshold, _window_hours */
	int rc = dedupe_save_feed(fx->s, fx->ids[k], f, now, &dp, &n, err);

	CHECK(rc == 0, "dedupe_save_feed %s: %s", f->url, err);
	CHECK(rc != 0 || n == want_new, "%s: %zu new entries, want %zu", f->url, n, want_new);
	feed_free(f);
	return rc;
}

/* Opens DIR/NAME and fills it: entries 0 and 2 in K-Pop & Idols, 1 in 드라마. */
static int fixture_open(struct fixture *fx, const char *dir, const char *name)
{
	struct sublist subs = {0};
	struct store_feed *feeds = NULL;
	struct feed *f;
	char err[ERR_MAX] = "";
	char *db = path_join(dir, name), *url, *html;
	size_t i, k, n = 0;
	int rc = -1;

	memset(fx, 0, sizeof *fx);
	fx->s = store_open(db, err);
	CHECK(fx->s != NULL, "store_open %s: %s", db, err);
	if (fx->s == NULL)
		goto out;
	for (k = 0; k < NSUBS; k++) {
		url = src_url(k);
		html = xasprintf("https://src%zu.example/", k);
		sublist_add(&subs, url, subs_tab[k].title, html, subs_tab[k].category);
		free(html);
		free(url);
	}
	if (store_sync_subscriptions(fx->s, &subs, err) != 0) {
		CHECK(0, "store_sync_subscriptions: %s", err);
		goto out;
	}
	if (store_feeds(fx->s, 0, 0, &feeds, &n, err) != 0) {
		CHECK(0, "store_feeds: %s", err);
		goto out;
	}
	CHECK(n == NSUBS, "%zu feeds in the store, want %zu", n, NSUBS);
	for (k = 0; k < NSUBS; k++) {
		url = src_url(k);
		for (i = 0; i < n; i++)
			if (strcmp(feeds[i].url, url) == 0)
				fx->ids[k] = feeds[i].id;
		CHECK(fx->ids[k] > 0, "no feed id for %s", url);
		free(url);
		if (fx->ids[k] <= 0)
			goto out;
	}

	f = source_new(0, T0);
	entry_fill(f, 0, 0, T0);
	if (save(fx, 0, f, T0 + 60, 1) != 0)
		goto out;
	f = source_new(1, T0 - 3600);
	entry_fill(f, 1, 1, T0 - 3600);
	if (save(fx, 1, f, T0 + 60, 1) != 0)
		goto out;
	f = source_new(2, T0 - 7200);
	entry_fill(f, 2, 2, T0 - 7200);
	if (save(fx, 2, f, T0 + 60, 1) != 0)
		goto out;
	CHECK(store_entry_count(fx->s) == 3, "%lld entries stored",
	      (long long)store_entry_count(fx->s));
	rc = 0;
out:
	store_feeds_free(feeds, n);
	sublist_free(&subs);
	free(db);
	return rc;
}

static void fixture_close(struct fixture *fx)
{
	store_close(fx->s);
	fx->s = NULL;
}

/* --- helpers ----------------------------------------------------------------- */

static const char *testdata, *xmllint, *xsldir;

static char *slurp(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct buf b = BUF_INIT;

	if (file_read(path, 1 << 20, &b, NULL) != 0) {
		buf_free(&b);
		free(path);
		return NULL;
	}
	free(path);
	return buf_detach(&b);
}

static int64_t mtime_ns(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct stat st;
	int64_t t = -1;

	if (stat(path, &st) == 0)
		t = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	free(path);
	return t;
}

static int validates(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	char *cmd = xasprintf("'%s' --noout --relaxng '%s/atom.rng' '%s' 2>/dev/null", xmllint,
	                      testdata, path);
	int rc = system(cmd);

	if (rc != 0) {
		free(cmd);
		cmd =
		    xasprintf("'%s' --noout --relaxng '%s/atom.rng' '%s'", xmllint, testdata, path);
		if (system(cmd) != 0)
			fprintf(stderr, "(%s does not validate)\n", path);
	}
	free(cmd);
	free(path);
	return rc == 0;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	const char *p = hay;

	while (p && (p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char *path = path_join(dir, name);
	FILE *fp = fopen(path, "w");

	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
	free(path);
}

static void opts_init(struct publish_opts *o, const char *out)
{
	memset(o, 0, sizeof *o);
	o->output_dir = out;
	o->default_templates = xsldir;
	o->name = "Tom's \"K\" Planet";
	o->link = "https://planet.example/";
	o->timezone = "Asia/Seoul";
	o->max_entries = 10;
	o->now = 1714600000;
	o->archive_days = 3;
}

/* --- tests ------------------------------------------------------------------- */

static const char *const pages[] = {"atom.xml", "rss.xml", "index.html"};

static void test_publish(const char *tmp)
{
	struct publish_opts o;
	struct publish_stats st;
	struct fixture fx;
	struct feed *f;
	char err[ERR_MAX] = "";
	char *out = path_join(tmp, "out"), *kpop = path_join(out, "k-pop-idols");
	char *kpop2 = path_join(out, "k-pop-idols-2"), *drama = path_join(out, "드라마");
	const char *dirs[4];
	int64_t before[4][3];
	char *text;
	size_t d, i;

	dirs[0] = out;
	dirs[1] = kpop;
	dirs[2] = kpop2;
	dirs[3] = drama;
	if (fixture_open(&fx, tmp, "publish.db") != 0)
		goto out;
	opts_init(&o, out);
	CHECK(publish_run(fx.s, &o, &st, err) == 0, "publish_run failed: %s", err);
	/* The feed files that changed, for the hub: 4 directories x Atom, RSS, JSON. */
	CHECK(st.nchanged == 12, "changed feeds listed: %zu", st.nchanged);
	CHECK_STR(st.nchanged ? st.changed[0] : NULL, "https://planet.example/atom.xml",
	          "first changed feed");
	CHECK_STR(st.nchanged > 4 ? st.changed[4] : NULL,
	          "https://planet.example/k-pop-idols/rss.xml", "a category's changed feed");
	CHECK(st.pinged == 0 && st.warning[0] == '\0', "publish_run pings nobody");
	publish_stats_free(&st);
	/* 4 directories x 4 files, opml.xml, sources.html, style.css, favicon.svg, one day page,
	 * archive.html and the 3 stories' pages; each with .gz. */
	CHECK(st.written == 50 && st.unchanged == 0, "first run: written %zu unchanged %zu",
	      st.written, st.unchanged);
	for (d = 0; d < 4; d++)
		for (i = 0; i < 3; i++) {
			char *p = path_join(dirs[d], pages[i]);
			CHECK(file_exists(p), "%s written", p);
			free(p);
			before[d][i] = mtime_ns(dirs[d], pages[i]);
		}
	text = path_join(out, "style.css");
	CHECK(file_exists(text), "style.css copied");
	free(text);
	for (d = 0; d < 4; d++)
		CHECK(validates(dirs[d], "atom.xml"), "%s/atom.xml validates", dirs[d]);

	text = slurp(out, "atom.xml");
	CHECK(text && count(text, "<entry") == 3, "everything has 3 entries");
	CHECK(text && strstr(text, "<updated>2024-05-01T12:00:00Z</updated>"),
	      "planet updated is the newest entry's");
	CHECK(text && strstr(text, "<link rel=\"self\" type=\"application/atom+xml\" "
	                           "href=\"https://planet.example/atom.xml\"/>"),
	      "atom self link: %.300s", text ? text : "");
	CHECK(text && strstr(text, "<title type=\"text\">Tom's \"K\" Planet</title>"),
	      "planet title is the site name");
	CHECK(text && strstr(text, "Entry 0 &lt;b&gt; &amp; 제목"), "entry title escaped");
	CHECK(text && strstr(text, "<source>"), "entries carry atom:source");
	CHECK(text && strstr(text, "<title type=\"text\">Tom's &amp; Jerry's \"Fan\" "
	                           "Page</title>"),
	      "subscription title in atom:source");
	free(text);

	text = slurp(kpop, "atom.xml");
	CHECK(text && count(text, "<entry") == 2, "k-pop has 2 entries");
	CHECK(text && strstr(text,
	                     "<title type=\"text\">Tom's \"K\" Planet: K-Pop &amp; Idols</title>"),
	      "category title");
	CHECK(text && strstr(text, "<id>https://planet.example/k-pop-idols/</id>"), "category id");
	free(text);
	text = slurp(kpop2, "atom.xml");
	CHECK(text && count(text, "<entry") == 0, "k-pop 'idols' has no entries");
	CHECK(text &&
	          strstr(text, "<title type=\"text\">Tom's \"K\" Planet: k-pop 'idols'</title>"),
	      "second category's title: %.300s", text ? text : "");
	/* 1714600000 = 2024-05-01T21:46:40Z, the first publish: never 1970 */
	CHECK(text && strstr(text, "<updated>2024-05-01T21:46:40Z</updated>"),
	      "empty planet dated by its first publish, not 1970: %.400s", text ? text : "");
	free(text);
	text = slurp(drama, "rss.xml");
	CHECK(text && count(text, "<item>") == 1, "drama rss has 1 item");
	CHECK(text &&
	          strstr(text, "<lastBuildDate>Wed, 01 May 2024 10:50:00 +0000</lastBuildDate>"),
	      "drama lastBuildDate: %.400s", text ? text : "");
	free(text);

	text = slurp(drama, "index.html");
	CHECK(text && strstr(text, "href=\"../style.css\""), "category page links ../style.css");
	CHECK(text && strstr(text, "Tom's \"K\" Planet"), "site name with quotes reaches html");
	CHECK(
	    text &&
	        strstr(
	            text,
	            "<li class=\"current\"><a href=\"../%EB%93%9C%EB%9D%BC%EB%A7%88/index.html\">"),
	    "drama is the current category: %.2000s", text ? text : "");
	CHECK(text && count(text, "<script") == 0, "no script");
	free(text);
	text = slurp(out, "index.html");
	CHECK(text && count(text, "class=\"entry\"") == 3,
	      "home page: the 3 latest, not repeated in their categories' groups");
	CHECK(text && strstr(text, "<h2 class=\"group-title\">Latest</h2>"), "latest group");
	CHECK(text && strstr(text, "2024-05-01 20:50 KST"),
	      "time in Asia/Seoul (the place: published, earlier than updated)");
	CHECK(text && strstr(text, "2 h before the latest"), "relative time");
	CHECK(text && strstr(text, "href=\"archive.html\""), "archive link");
	CHECK(text && strstr(text, "<h3 class=\"title\"><a href=\"2024/05/01/"),
	      "stories link their pages");
	CHECK(text && strstr(text, "loading=\"lazy\""), "thumbnail shown");
	CHECK(text && strstr(text, "<a href=\"k-pop-idols-2/index.html\">k-pop 'idols'</a>"),
	      "nav links the second slug");
	CHECK(text && strstr(text, ">Tom's &amp; Jerry's \"Fan\" Page</a>"),
	      "source title reaches html");
	CHECK(text && !strstr(text, "2024-05-01T21:46"), "generated time not printed");
	free(text);

	/* Again, later, with nothing new: nothing is rewritten. */
	o.now += 3600;
	CHECK(publish_run(fx.s, &o, &st, err) == 0, "second publish_run failed: %s", err);
	CHECK(st.nchanged == 0, "nothing changed, nothing listed: %zu", st.nchanged);
	publish_stats_free(&st);
	CHECK(st.written == 0 && st.unchanged == 50, "second run: written %zu unchanged %zu",
	      st.written, st.unchanged);
	for (d = 0; d < 4; d++)
		for (i = 0; i < 3; i++)
			CHECK(mtime_ns(dirs[d], pages[i]) == before[d][i], "%s/%s mtime kept",
			      dirs[d], pages[i]);

	/*
	 * Idol News is fetched again with a new entry: only everything and
	 * K-Pop & Idols are rewritten.
	 */
	f = source_new(0, T0 + 3600);
	entry_fill(f, 3, 0, T0 + 3600);
	entry_fill(f, 0, 0, T0);
	if (save(&fx, 0, f, T0 + 7200, 1) != 0)
		goto out;
	CHECK(publish_run(fx.s, &o, &st, err) == 0, "third publish_run failed: %s", err);
	publish_stats_free(&st);
	/* everything and K-Pop (4 files each), the day page and sources.html (entry counts),
	 * archive.html (the day's count), the new story's page and the three others (it is
	 * among their related stories), x2. */
	CHECK(st.written == 30 && st.unchanged == 22, "third run: written %zu unchanged %zu",
	      st.written, st.unchanged);
	for (d = 2; d < 4; d++)
		for (i = 0; i < 3; i++)
			CHECK(mtime_ns(dirs[d], pages[i]) == before[d][i], "%s/%s mtime kept",
			      dirs[d], pages[i]);
	text = slurp(out, "atom.xml");
	CHECK(text && count(text, "<entry") == 4, "everything has 4 entries");
	CHECK(text && strstr(text, "urn:test:3") && strstr(text, "urn:test:0") &&
	          strstr(text, "urn:test:3") < strstr(text, "urn:test:0"),
	      "the new entry comes first");
	CHECK(text && strstr(text, "<updated>2024-05-01T13:00:00Z</updated>"),
	      "planet updated is the new entry's");
	free(text);
	text = slurp(kpop, "atom.xml");
	CHECK(text && count(text, "<entry") == 3, "k-pop has 3 entries");
	free(text);
	CHECK(validates(out, "atom.xml"), "%s/atom.xml validates", out);

	/* The same feed fetched once more, unchanged: nothing is rewritten. */
	f = source_new(0, T0 + 3600);
	entry_fill(f, 3, 0, T0 + 3600);
	entry_fill(f, 0, 0, T0);
	if (save(&fx, 0, f, T0 + 10800, 0) != 0)
		goto out;
	CHECK(publish_run(fx.s, &o, &st, err) == 0, "fourth publish_run failed: %s", err);
	publish_stats_free(&st);
	CHECK(st.written == 0 && st.unchanged == 52, "fourth run: written %zu unchanged %zu",
	      st.written, st.unchanged);

out:
	fixture_close(&fx);
	free(out);
	free(kpop);
	free(kpop2);
	free(drama);
}

/* User templates: looked up first; errors name file and line; no file access. */
static void test_templates(const char *tmp)
{
	struct publish_opts o;
	struct publish_stats st;
	struct fixture fx;
	char err[ERR_MAX] = "";
	char *out = path_join(tmp, "out2"), *tpl = path_join(tmp, "tpl");
	char *text, *secret = path_join(tmp, "secret.txt"), *sheet;

	if (fixture_open(&fx, tmp, "templates.db") != 0)
		goto out;
	opts_init(&o, out);
	o.templates = tpl;
	CHECK(file_mkdirs(tpl, err) == 0, "mkdir %s: %s", tpl, err);

	/* A user html.xsl (with common.xsl beside it, as the docs say) is used. */
	write_text(tpl, "common.xsl",
	           "<xsl:stylesheet version=\"1.0\" "
	           "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
	           "<xsl:param name=\"site_name\"/>\n</xsl:stylesheet>\n");
	write_text(tpl, "html.xsl",
	           "<xsl:stylesheet version=\"1.0\" "
	           "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
	           "<xsl:import href=\"common.xsl\"/>\n"
	           "<xsl:output method=\"text\"/>\n"
	           "<xsl:template match=\"/\">custom <xsl:value-of "
	           "select=\"$site_name\"/></xsl:template>\n"
	           "</xsl:stylesheet>\n");
	CHECK(publish_run(fx.s, &o, &st, err) == 0, "custom template: %s", err);
	publish_stats_free(&st);
	text = slurp(out, "index.html");
	CHECK_STR(text, "custom Tom's \"K\" Planet", "custom index.html");
	free(text);

	/* A template that tries to read a file gets nothing (and the run fails). */
	write_text(tmp, "secret.txt", "<secret>TOP SECRET</secret>");
	sheet = xasprintf("<xsl:stylesheet version=\"1.0\" "
	                  "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
	                  "<xsl:output method=\"text\"/>\n"
	                  "<xsl:template match=\"/\">[<xsl:value-of "
	                  "select=\"document('file://%s')\"/>]</xsl:template>\n"
	                  "</xsl:stylesheet>\n",
	                  secret);
	write_text(tpl, "html.xsl", sheet);
	free(sheet);
	err[0] = '\0';
	publish_run(fx.s, &o, &st, err);
	publish_stats_free(&st);
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "reading template: %s\n", err);
	text = slurp(out, "index.html");
	CHECK(text && !strstr(text, "SECRET"), "template read a file: %s", text ? text : "(none)");
	free(text);

	/* A broken template: the error names the file and the line. */
	write_text(tpl, "html.xsl",
	           "<xsl:stylesheet version=\"1.0\" "
	           "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
	           "<xsl:template match=\"/\">\n"
	           "<xsl:value-of select=\"count(((\"/>\n"
	           "</xsl:template>\n"
	           "</xsl:stylesheet>\n");
	err[0] = '\0';
	CHECK(publish_run(fx.s, &o, &st, err) != 0, "broken template accepted");
	CHECK(strstr(err, "tpl/html.xsl") != NULL, "error names the file: %s", err);
	CHECK(strstr(err, "line 3") != NULL, "error names the line: %s", err);
	CHECK(strchr(err, '\n') == NULL, "error is one line: %s", err);
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "broken template: %s\n", err);

	/* Not well-formed at all. */
	write_text(tpl, "html.xsl", "<xsl:stylesheet version=\"1.0\"\n\n<oops");
	err[0] = '\0';
	CHECK(publish_run(fx.s, &o, &st, err) != 0, "non-XML template accepted");
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "non-XML template: %s\n", err);
	CHECK(strstr(err, "tpl/html.xsl") != NULL && strstr(err, ":3:") != NULL,
	      "XML error names file and line: %s", err);

out:
	fixture_close(&fx);
	free(secret);
	free(out);
	free(tpl);
}

static void test_slug(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"K-Pop & Idols", "k-pop-idols"},
	    {"  --Hello,  World--  ", "hello-world"},
	    {"드라마", "드라마"},
	    {"연예 News!", "연예-news"},
	    {"TV/영화", "tv-영화"},
	    {"..", "category"},
	    {".", "category"},
	    {"", "category"},
	    {"!!!", "category"},
	    {"a/../b", "a-b"},
	    {"\xff\xfe"
	     "abc\xc3",
	     "abc"},
	    {"\xed\xa0\x80x", "x"}, /* a UTF-16 surrogate is not UTF-8 */
	    {"\xc2\x85y", "y"},     /* C1 control */
	    {"Café Über", "café-Über"} /* only ASCII is lowered */,
	};
	char longname[400];
	size_t i;
	char *s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = publish_slug(cases[i].in);
		CHECK_STR(s, cases[i].want, cases[i].in);
		free(s);
	}
	s = publish_slug(NULL);
	CHECK_STR(s, "category", "NULL");
	free(s);

	for (i = 0; i + 3 < sizeof longname; i += 3)
		memcpy(longname + i, "가", 3);
	longname[i] = '\0';
	s = publish_slug(longname);
	CHECK(strlen(s) > 0 && strlen(s) <= 96 && strlen(s) % 3 == 0,
	      "long slug cut on a character boundary: %zu bytes", strlen(s));
	free(s);
}

int main(void)
{
	char tmp[] = "/tmp/test-publish-XXXXXX";
	char *cmd;

	testdata = getenv("TESTDATA");
	xmllint = getenv("XMLLINT");
	xsldir = getenv("XSLDIR");
	if (testdata == NULL)
		testdata = "tests/data";
	if (xsldir == NULL)
		xsldir = "xsl";
	if (xmllint == NULL || xmllint[0] == '\0' || strcmp(xmllint, "no") == 0)
		xmllint = "xmllint";
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_slug();
	test_publish(tmp);
	test_templates(tmp);
	if (getenv("TEST_KEEP")) {
		fprintf(stderr, "kept %s\n", tmp);
		return tap_done();
	}
	cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	free(cmd);
	return tap_done();
}
