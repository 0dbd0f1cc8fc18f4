/*
 * encoding.c - deciding a feed's encoding and converting it to UTF-8
 * with iconv (see encoding.h).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xml/encoding.h"
#include "util/err.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is invalid. */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0; /* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0; /* surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

int encoding_valid_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n;
		if (*p < 0x80) {
			/* ASCII, eight bytes at a time while no high bit is set */
			uint64_t v;
			p++;
			while ((size_t)(end - p) >= 8) {
				memcpy(&v, p, 8);
				if (v & UINT64_C(0x8080808080808080))
					break;
				p += 8;
			}
			while (p < end && *p < 0x80)
				p++;
			continue;
		}
		if (*p >= 0xE1 && *p <= 0xEC && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
		    (p[2] & 0xC0) == 0x80) {
			p += 3; /* U+1000..U+CFFF (Hangul, CJK): every continuation is valid */
			continue;
		}
		n = utf8_seq(p, (size_t)(end - p));
		if (n == 0)
			return 0;
		p += n;
	}
	return 1;
}

/* Copies the encoding name that follows key (e.g. "charset=") in s into name. */
static int param_value(const char *s, size_t len, const char *key, char *name)
{
	size_t klen = strlen(key), i, n = 0;
	const char *p;

	for (i = 0; i + klen <= len; i++) {
		if (strncasecmp(s + i, key, klen) != 0)
			continue;
		p = s + i + klen;
		while (p < s + len && (*p == ' ' || *p == '=' || *p == '"' || *p == '\''))
			p++;
		while (p < s + len && n + 1 < ENCODING_NAME_MAX &&
		       (((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
		        *p == '-' || *p == '_' || *p == '.' || *p == ':'))
			name[n++] = *p++;
		name[n] = '\0';
		return n > 0;
	}
	return 0;
}

/* The encoding named in an XML declaration at the start of s, if any. */
static int declared_encoding(const char *s, size_t len, char *name)
{
	size_t i = 0, end;

	while (i < len && i < 1024 && s[i] != '<')
		i++;
	if (i + 5 > len || strncmp(s + i, "<?xml", 5) != 0)
		return 0;
	for (end = i; end < len && end < i + 512 && s[end] != '>'; end++)
		;
	return param_value(s + i, end - i, "encoding", name);
}

/* Maps a declared name onto the name iconv should use. */
static void canonical_name(const char *in, char *out)
{
	static const struct {
		const char *alias;
		const char *name;
	} map[] = {
	    {"utf-8", "UTF-8"},
	    {"utf8", "UTF-8"},
	    {"unicode-1-1-utf-8", "UTF-8"},
	    {"euc-kr", "CP949"},
	    {"euckr", "CP949"},
	    {"ks_c_5601-1987", "CP949"},
	    {"ks_c_5601", "CP949"},
	    {"ksc5601", "CP949"},
	    {"ksc_5601", "CP949"},
	    {"windows-949", "CP949"},
	    {"x-windows-949", "CP949"},
	    {"cp949", "CP949"},
	    {"uhc", "CP949"},
	    {"shift_jis", "CP932"},
	    {"shift-jis", "CP932"},
	    {"sjis", "CP932"},
	    {"x-sjis", "CP932"},
	    {"ms_kanji", "CP932"},
	    {"windows-31j", "CP932"},
	    {"cp932", "CP932"},
	    {"iso-8859-1", "WINDOWS-1252"},
	    {"iso8859-1", "WINDOWS-1252"},
	    {"latin1", "WINDOWS-1252"},
	    {"l1", "WINDOWS-1252"},
	    {"us-ascii", "WINDOWS-1252"},
	    {"ascii", "WINDOWS-1252"},
	    {"gb2312", "GB18030"},
	    {"gbk", "GB18030"},
	    {"x-gbk", "GB18030"},
	    {"utf-16", "UTF-16"},
	    {"utf-32", "UTF-32"},
	};
	size_t i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (strcasecmp(in, map[i].alias) == 0) {
			snprintf(out, ENCODING_NAME_MAX, "%s", map[i].name);
			return;
		}
	}
	for (i = 0; in[i] && i + 1 < ENCODING_NAME_MAX; i++)
		out[i] = (char)((in[i] >= 'a' && in[i] <= 'z') ? in[i] - 32 : in[i]);
	out[i] = '\0';
}

/* Which BOM (or BOM-less UTF-16/32 "<?" pattern) starts s; sets *skip to its size. */
static const char *sniff_bom(const unsigned char *s, size_t len, size_t *skip)
{
	*skip = 0;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
		*skip = 3;
		return "UTF-8";
	}
	if (len >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) {
		*skip = 4;
		return "UTF-32LE";
	}
	if (len >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
		*skip = 4;
		return "UTF-32BE";
	}
	if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
		*skip = 2;
		return "UTF-16LE";
	}
	if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
		*skip = 2;
		return "UTF-16BE";
	}
	if (len >= 4 && s[0] == '<' && s[1] == 0 && s[2] == '?' && s[3] == 0)
		return "UTF-16LE";
	if (len >= 4 && s[0] == 0 && s[1] == '<' && s[2] == 0 && s[3] == '?')
		return "UTF-16BE";
	return NULL;
}

/*
 * Converts with iconv. strict: fail on the first invalid sequence; else
 * replace each invalid byte by U+FFFD. Returns 0, or -1 (out reset).
 */
static int convert(const char *from, const char *data, size_t len, int strict, struct buf *out)
{
	char chunk[8192];
	iconv_t cd;
	char *in = (char *)data;
	size_t inleft = len;
	int rc = 0;

	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -1;
	while (inleft > 0) {
		char *o = chunk;
		size_t oleft = sizeof chunk;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);

		buf_append(out, chunk, sizeof chunk - oleft);
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		if (strict) {
			rc = -1;
			break;
		}
		/* EILSEQ or EINVAL (truncated at the end): skip one byte. */
		buf_append(out, "\xEF\xBF\xBD", 3);
		in++;
		inleft--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv_close(cd);
	if (rc != 0)
		buf_reset(out);
	return rc;
}

/*
 * Where the UTF-8 text is left when it needs no conversion: view NULL
 * means appended to out, else data itself is the text (view->p, view->len).
 */
struct view {
	const char *p;
	size_t len;
};

static int utf8_or_fallback(const char *data, size_t len, struct buf *out, char *used,
                            struct view *view)
{
	static const char *const fallbacks[] = {"CP949", "WINDOWS-1252"};
	size_t i;

	if (encoding_valid_utf8(data, len)) {
		if (view) {
			view->p = data;
			view->len = len;
		} else {
			buf_append(out, data, len);
		}
		snprintf(used, ENCODING_NAME_MAX, "%s", "UTF-8");
		return 0;
	}
	for (i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
		if (convert(fallbacks[i], data, len, 1, out) == 0) {
			snprintf(used, ENCODING_NAME_MAX, "%s", fallbacks[i]);
			return 0;
		}
	}
	snprintf(used, ENCODING_NAME_MAX, "%s", "ISO-8859-1");
	return convert("ISO-8859-1", data, len, 0, out);
}

static int decode(const char *data, size_t len, const char *content_type, struct buf *out,
                  char *used, char *err, struct view *view)
{
	char declared[ENCODING_NAME_MAX] = "", name[ENCODING_NAME_MAX], dummy[ENCODING_NAME_MAX];
	const char *bom;
	size_t skip;

	if (used == NULL)
		used = dummy;
	bom = sniff_bom((const unsigned char *)data, len, &skip);
	data += skip;
	len -= skip;
	if (bom) {
		snprintf(used, ENCODING_NAME_MAX, "%s", bom);
		if (strcmp(bom, "UTF-8") == 0)
			return utf8_or_fallback(data, len, out, used, view);
		if (convert(bom, data, len, 0, out) != 0)
			return err_set(err, "cannot decode %s", bom);
		return 0;
	}
	if (content_type == NULL ||
	    !param_value(content_type, strlen(content_type), "charset=", declared))
		declared_encoding(data, len, declared);
	if (declared[0] == '\0')
		return utf8_or_fallback(data, len, out, used, view);
	canonical_name(declared, name);
	/* UTF-16/32 named without a BOM: the declaration alone can't be read
	 * unless it is in that encoding; trust the bytes. */
	if (strcmp(name, "UTF-8") == 0 || strncmp(name, "UTF-16", 6) == 0 ||
	    strncmp(name, "UTF-32", 6) == 0)
		return utf8_or_fallback(data, len, out, used, view);
	if (convert(name, data, len, 1, out) == 0) {
		snprintf(used, ENCODING_NAME_MAX, "%s", name);
		return 0;
	}
	/* The declaration lied, or iconv does not know the name. */
	return utf8_or_fallback(data, len, out, used, view);
}

int encoding_decode(const char *data, size_t len, const char *content_type, struct buf *out,
                    const char **text, size_t *textlen, char *used, char *err)
{
	struct view v = {NULL, 0};

	if (decode(data, len, content_type, out, used, err, &v) != 0)
		return -1;
	*text = v.p ? v.p : out->data;
	*textlen = v.p ? v.len : out->len;
	return 0;
}
