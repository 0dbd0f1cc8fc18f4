/*
 * xslt.c - templates loaded and applied with no network and no file access
 * (see xslt.h).
 *
 * While a template is loaded or applied, libxml2's and libxslt's messages
 * go to a buffer of the sheet (and the previous handlers come back after),
 * so a failure reads "template PATH: FILE:LINE: message; message" instead
 * of noise on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"
#include "xslt.h"

#define XSLT_ERRORS_MAX 4096 /* bytes of library messages kept */
#define XSLT_PARAMS_MAX 64   /* name/value pairs */

struct xslt_sheet {
	xsltStylesheetPtr style;
	char *path;
	struct buf msgs;
};

/* The library error handlers in force before ours. */
struct handlers {
	xmlGenericErrorFunc generic;
	void *generic_ctx;
	xmlStructuredErrorFunc structured;
	void *structured_ctx;
	xmlGenericErrorFunc xslt;
	void *xslt_ctx;
};

static void collect(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void collect(void *ctx, const char *fmt, ...)
{
	struct buf *b = ctx;
	char line[1024];
	va_list ap;

	if (b == NULL || b->len >= XSLT_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_puts(b, line);
}

static void collect_structured(void *ctx, xmlErrorPtr e)
{
	if (e == NULL || e->message == NULL)
		return;
	if (e->file && e->line > 0)
		collect(ctx, "%s:%d: %s", e->file, e->line, e->message);
	else
		collect(ctx, "%s", e->message);
}

static void handlers_push(struct handlers *h, struct buf *b)
{
	h->generic = xmlGenericError;
	h->generic_ctx = xmlGenericErrorContext;
	h->structured = xmlStructuredError;
	h->structured_ctx = xmlStructuredErrorContext;
	h->xslt = xsltGenericError;
	h->xslt_ctx = xsltGenericErrorContext;
	xmlSetGenericErrorFunc(b, collect);
	xmlSetStructuredErrorFunc(b, collect_structured);
	xsltSetGenericErrorFunc(b, collect);
}

static void handlers_pop(const struct handlers *h)
{
	xmlSetGenericErrorFunc(h->generic_ctx, h->generic);
	xmlSetStructuredErrorFunc(h->structured_ctx, h->structured);
	xsltSetGenericErrorFunc(h->xslt_ctx, h->xslt);
}

/* The collected messages as one line ("; " between them), or the fallback. */
static void report(struct xslt_sheet *s, char *err, const char *fallback)
{
	struct buf line = BUF_INIT;
	const char *p = s->msgs.data ? s->msgs.data : "";
	int sep = 0;

	for (; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			sep = line.len > 0;
			continue;
		}
		if (sep) {
			buf_puts(&line, "; ");
			sep = 0;
		}
		buf_putc(&line, (unsigned char)*p < 0x20 ? ' ' : *p);
	}
	err_set(err, "template %s: %s", s->path, line.len ? line.data : fallback);
	buf_free(&line);
	buf_reset(&s->msgs);
}

char *xslt_find(const char *user_dir, const char *default_dir, const char *name)
{
	if (user_dir && user_dir[0]) {
		char *p = path_join(user_dir, name);
		if (file_exists(p))
			return p;
		free(p);
	}
	return path_join(default_dir, name);
}

struct xslt_sheet *xslt_load(const char *user_dir, const char *default_dir, const char *name,
                             char *err)
{
	struct xslt_sheet *s = xcalloc(1, sizeof *s);
	xmlExternalEntityLoader saved = xmlGetExternalEntityLoader();
	struct handlers h;
	xmlDocPtr doc;

	s->path = xslt_find(user_dir, default_dir, name);
	if (!file_exists(s->path)) {
		err_set(err, "template %s: not found", s->path);
		goto fail;
	}
	handlers_push(&h, &s->msgs);
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
	doc = xmlReadFile(s->path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (doc != NULL) {
		/* xsl:import and xsl:include are read here, with the same loader. */
		s->style = xsltParseStylesheetDoc(doc);
		if (s->style == NULL)
			xmlFreeDoc(doc);
	}
	xmlSetExternalEntityLoader(saved);
	handlers_pop(&h);
	if (doc == NULL) {
		report(s, err, "not well-formed XML");
		goto fail;
	}
	if (s->style == NULL || s->style->errors > 0) {
		report(s, err, "not a valid XSLT stylesheet");
		goto fail;
	}
	buf_reset(&s->msgs); /* warnings are not failures */
	return s;
fail:
	xslt_free(s);
	return NULL;
}

void xslt_free(struct xslt_sheet *s)
{
	if (s == NULL)
		return;
	if (s->style)
		xsltFreeStylesheet(s->style);
	free(s->path);
	buf_free(&s->msgs);
	free(s);
}

const char *xslt_version(void)
{
	return xsltEngineVersion;
}

const char *xslt_path(const struct xslt_sheet *s)
{
	return s->path;
}

static xsltSecurityPrefsPtr forbid_all(void)
{
	xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();

	if (sec == NULL)
		return NULL;
	if (xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid)) {
		xsltFreeSecurityPrefs(sec);
		return NULL;
	}
	return sec;
}

int xslt_apply(struct xslt_sheet *s, xmlDocPtr doc, const char *const *params, char **out,
               size_t *len, char *err)
{
	xsltTransformContextPtr tctxt = NULL;
	xsltSecurityPrefsPtr sec = NULL;
	const char *p[2 * XSLT_PARAMS_MAX + 1];
	xmlDocPtr res = NULL;
	xmlChar *bytes = NULL;
	struct handlers h;
	int n = 0, blen = 0, rc = -1;

	*out = NULL;
	*len = 0;
	for (; params && params[n] && n < 2 * XSLT_PARAMS_MAX; n += 2) {
		p[n] = params[n];
		p[n + 1] = params[n + 1] ? params[n + 1] : "";
	}
	p[n] = NULL;
	sec = forbid_all();
	if (sec == NULL)
		return err_set(err, "template %s: cannot set up XSLT security preferences",
		               s->path);
	handlers_push(&h, &s->msgs);
	tctxt = xsltNewTransformContext(s->style, doc);
	if (tctxt == NULL) {
		err_set(err, "template %s: cannot start a transformation", s->path);
		goto out;
	}
	xsltSetTransformErrorFunc(tctxt, &s->msgs, collect);
	if (xsltSetCtxtSecurityPrefs(sec, tctxt) != 0 || xsltQuoteUserParams(tctxt, p) != 0) {
		report(s, err, "bad parameters");
		goto out;
	}
	res = xsltApplyStylesheetUser(s->style, doc, NULL, NULL, NULL, tctxt);
	if (res == NULL || tctxt->state == XSLT_STATE_ERROR || tctxt->state == XSLT_STATE_STOPPED) {
		report(s, err, "transformation failed");
		goto out;
	}
	if (xsltSaveResultToString(&bytes, &blen, res, s->style) != 0 || blen < 0) {
		err_set(err, "template %s: cannot serialize the result", s->path);
		goto out;
	}
	buf_reset(&s->msgs);
	*len = bytes ? (size_t)blen : 0;
	*out = xmalloc(*len + 1);
	if (*len > 0)
		memcpy(*out, bytes, *len);
	(*out)[*len] = '\0';
	rc = 0;
out:
	handlers_pop(&h);
	xmlFree(bytes);
	xmlFreeDoc(res);
	if (tctxt)
		xsltFreeTransformContext(tctxt);
	xsltFreeSecurityPrefs(sec);
	return rc;
}
