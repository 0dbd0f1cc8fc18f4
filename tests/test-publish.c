/*
 * test-publish.c - publish.c: planet documents through the templates to files.
 *
 * The store is replaced by a small fake defined here (store_entries,
 * store_categories, store_strings_free: the only store functions publish.c
 * calls, so the linker never pulls store.o from libaggregator.a). Checks:
 * every page and feed is written for "everything" and for each category
 * (slug directories), the Atom outputs validate against atom.rng, a second
 * publish (even at another time) rewrites nothing and keeps mtimes, names
 * with quotes reach the templates intact, a broken template is reported
 * with its file and line, and templates cannot read files. Also publish_slug().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publish.h"
#include "tap.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

/* --- the fake store ------------------------------------------------------ */

struct store {
	struct feed *sources[2];
	struct entry *entries[3];
	size_t nentries;
	int calls;
};

int store_entries(struct store *s, const char *category, size_t limit, store_entry_fn fn, void *arg,
                  char *err)
{
	size_t i, n = 0;

	(void)err;
	s->calls++;
	for (i = 0; i < s->nentries && n < limit; i++) {
		const struct entry *e = s->entries[i];
		if (category && strcmp(category, e->feed_category) != 0)
			continue;
		n++;
		if (fn(arg, e, s->sources[i % 2]) != 0)
			break;
	}
	return 0;
}

int store_categories(struct store *s, char ***out, size_t *n, char *err)
{
	(void)s;
	(void)err;
	*out = xcalloc(3, sizeof **out);
	(*out)[0] = xstrdup("K-Pop & Idols");
	(*out)[1] = xstrdup("K-POP idols"); /* the same slug: gets "-2" */
	(*out)[2] = xstrdup("드라마");
	*n = 3;
	return 0;
}

void store_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void store_fill(struct store *s)
{
	static const char *cats[3] = {"K-Pop & Idols", "드라마", "K-Pop & Idols"};
	size_t i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < 2; i++) {
		struct feed *f = feed_new();
		f->url = xasprintf("https://src%zu.example/feed", i);
		f->link = xasprintf("https://src%zu.example/", i);
		text_set(&f->title, i ? "드라마 블로그" : "Idol News", TEXT_PLAIN, NULL, NULL);
		s->sources[i] = f;
	}
	for (i = 0; i < 3; i++) {
		struct entry *e = entry_new();
		char title[64];
		e->id = xasprintf("urn:test:%zu", i);
		e->link = xasprintf("https://src%zu.example/post/%zu", i % 2, i);
		snprintf(title, sizeof title, "Entry %zu <b> & 제목", i);
		text_set(&e->title, title, TEXT_PLAIN, NULL, NULL);
		text_set(&e->content, "<p>a &lt; b</p>", TEXT_HTML, NULL, NULL);
		e->excerpt = xstrdup("a < b");
		e->updated = 1714564800 - (int64_t)i * 3600;
		e->first_seen = e->updated + 60;
		e->feed_category = xstrdup(cats[i]);
		if (i == 0)
			e->thumbnail = xstrdup("https://img.example/0.jpg");
		s->entries[i] = e;
	}
	s->nentries = 3;
}

static void store_clear(struct store *s)
{
	size_t i;

	for (i = 0; i < 2; i++)
		feed_free(s->sources[i]);
	for (i = 0; i < s->nentries; i++)
		entry_free(s->entries[i]);
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
}

/* --- tests ------------------------------------------------------------------- */

static const char *const pages[] = {"atom.xml", "rss.xml", "index.html"};

static void test_publish(const char *tmp)
{
	struct publish_opts o;
	struct publish_stats st = {99, 99};
	struct store s;
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
	store_fill(&s);
	opts_init(&o, out);
	CHECK(publish_run(&s, &o, &st, err) == 0, "publish_run failed: %s", err);
	CHECK(st.written == 13 && st.unchanged == 0, "first run: written %zu unchanged %zu",
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
	free(text);

	text = slurp(kpop, "atom.xml");
	CHECK(text && count(text, "<entry") == 2, "k-pop has 2 entries");
	CHECK(text && strstr(text,
	                     "<title type=\"text\">Tom's \"K\" Planet: K-Pop &amp; Idols</title>"),
	      "category title");
	CHECK(text && strstr(text, "<id>https://planet.example/k-pop-idols/</id>"), "category id");
	free(text);
	text = slurp(kpop2, "atom.xml");
	CHECK(text && count(text, "<entry") == 0, "K-POP idols has no entries");
	CHECK(text && strstr(text, "<updated>1970-01-01T00:00:00Z</updated>"),
	      "empty planet dated 1970, not now");
	free(text);
	text = slurp(drama, "rss.xml");
	CHECK(text && count(text, "<item>") == 1, "drama rss has 1 item");
	CHECK(text &&
	          strstr(text, "<lastBuildDate>Wed, 01 May 2024 11:00:00 +0000</lastBuildDate>"),
	      "drama lastBuildDate: %.400s", text ? text : "");
	free(text);

	text = slurp(drama, "index.html");
	CHECK(text && strstr(text, "href=\"../style.css\""), "category page links ../style.css");
	CHECK(text && strstr(text, "Tom's \"K\" Planet"), "site name with quotes reaches html");
	CHECK(text && strstr(text,
	                     "<li class=\"current\"><a href=\"../%EB%93%9C%EB%9D%BC%EB%A7%88/\">"),
	      "drama is the current category: %.2000s", text ? text : "");
	CHECK(text && count(text, "<script") == 0, "no script");
	free(text);
	text = slurp(out, "index.html");
	CHECK(text && count(text, "class=\"entry\"") == 3, "home page has 3 entries");
	CHECK(text && strstr(text, "loading=\"lazy\""), "thumbnail shown");
	CHECK(text && strstr(text, "href=\"k-pop-idols-2/\""), "nav links the second slug");
	CHECK(text && !strstr(text, "2024-05-01T21:46"), "generated time not printed");
	free(text);

	/* Again, later, with nothing new: nothing is rewritten. */
	o.now += 3600;
	CHECK(publish_run(&s, &o, &st, err) == 0, "second publish_run failed: %s", err);
	CHECK(st.written == 0 && st.unchanged == 13, "second run: written %zu unchanged %zu",
	      st.written, st.unchanged);
	for (d = 0; d < 4; d++)
		for (i = 0; i < 3; i++)
			CHECK(mtime_ns(dirs[d], pages[i]) == before[d][i], "%s/%s mtime kept",
			      dirs[d], pages[i]);

	/* A new entry changes the planet: its pages are rewritten. */
	s.entries[2]->updated = 1714600000;
	CHECK(publish_run(&s, &o, &st, err) == 0, "third publish_run failed: %s", err);
	CHECK(st.written == 6 && st.unchanged == 7, "third run: written %zu unchanged %zu",
	      st.written, st.unchanged);

	store_clear(&s);
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
	struct store s;
	char err[ERR_MAX] = "";
	char *out = path_join(tmp, "out2"), *tpl = path_join(tmp, "tpl");
	char *text, *secret = path_join(tmp, "secret.txt"), *sheet;

	store_fill(&s);
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
	CHECK(publish_run(&s, &o, &st, err) == 0, "custom template: %s", err);
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
	publish_run(&s, &o, &st, err);
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
	CHECK(publish_run(&s, &o, &st, err) != 0, "broken template accepted");
	CHECK(strstr(err, "tpl/html.xsl") != NULL, "error names the file: %s", err);
	CHECK(strstr(err, "line 3") != NULL, "error names the line: %s", err);
	CHECK(strchr(err, '\n') == NULL, "error is one line: %s", err);
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "broken template: %s\n", err);

	/* Not well-formed at all. */
	write_text(tpl, "html.xsl", "<xsl:stylesheet version=\"1.0\"\n\n<oops");
	err[0] = '\0';
	CHECK(publish_run(&s, &o, &st, err) != 0, "non-XML template accepted");
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "non-XML template: %s\n", err);
	CHECK(strstr(err, "tpl/html.xsl") != NULL && strstr(err, ":3:") != NULL,
	      "XML error names file and line: %s", err);

	store_clear(&s);
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
