/*
 * encoding.c - deciding a feed's encoding and converting it to UTF-8
 * with iconv (see encoding.h).
 *
 * Valid UTF-8 is taken as it is; UTF-8 with a few bad bytes stays UTF-8,
 * each bad sequence replaced by U+FFFD as browsers do; only a document
 * that is not UTF-8 as a whole goes to the fallback encodings.
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
	    {"shift_jis", "SHIFT_JIS"},
	    {"shift-jis", "SHIFT_JIS"},
	    {"sjis", "SHIFT_JIS"},
	    {"x-sjis", "SHIFT_JIS"},
	    {"ms_kanji", "SHIFT_JIS"},
	    {"csshiftjis", "SHIFT_JIS"},
	    {"ms932", "SHIFT_JIS"},
	    {"windows-31j", "SHIFT_JIS"},
	    {"cp932", "SHIFT_JIS"},
	    {"iso-8859-1", "WINDOWS-1252"},
	    {"iso8859-1", "WINDOWS-1252"},
	    {"latin1", "WINDOWS-1252"},
	    {"l1", "WINDOWS-1252"},
	    {"us-ascii", "WINDOWS-1252"},
	    {"ascii", "WINDOWS-1252"},
	    {"cp1252", "WINDOWS-1252"},
	    {"x-cp1252", "WINDOWS-1252"},
	    {"tis-620", "WINDOWS-874"},
	    {"tis620", "WINDOWS-874"},
	    {"iso-8859-11", "WINDOWS-874"},
	    {"iso8859-11", "WINDOWS-874"},
	    {"windows-874", "WINDOWS-874"},
	    {"cp874", "WINDOWS-874"},
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

/* Length of the invalid sequence at s, its maximal subpart as WHATWG's
 * UTF-8 decoder counts it (one U+FFFD each): a lead byte and the
 * continuation bytes that could still have completed it. */
static size_t utf8_bad_len(const unsigned char *s, size_t avail)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3;
	else
		return 1;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	for (i = 1; i <= need && i < avail && s[i] >= lo && s[i] <= hi; i++)
		lo = 0x80, hi = 0xBF;
	return i;
}

/*
 * Whether the document as a whole is UTF-8 with a few bad bytes: its
 * valid multi-byte sequences outnumber its invalid ones at least two to
 * one. Text in a legacy encoding almost never forms valid UTF-8 sequences
 * (windows-1252 letters stand between ASCII; of CP949's Hangul pairs a
 * tenth happen to), so one bad byte in a UTF-8 feed garbles nothing.
 */
static int mostly_utf8(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	size_t good = 0, bad = 0, n;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = utf8_seq(p, (size_t)(end - p));
		if (n) {
			good++;
			p += n;
		} else {
			bad++;
			p += utf8_bad_len(p, (size_t)(end - p));
		}
	}
	return good >= 2 * bad && good > 0;
}

/* Appends data as UTF-8, each invalid sequence replaced by U+FFFD. */
static void utf8_repair(const char *data, size_t len, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len, *run = p;
	size_t n;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = utf8_seq(p, (size_t)(end - p));
		if (n) {
			p += n;
			continue;
		}
		buf_append(out, (const char *)run, (size_t)(p - run));
		buf_append(out, "\xEF\xBF\xBD", 3);
		p += utf8_bad_len(p, (size_t)(end - p));
		run = p;
	}
	buf_append(out, (const char *)run, (size_t)(end - run));
}

/*
 * Whether the high bytes read as Korean: pairs of two bytes in A1-FE (KS
 * X 1001, where every Hangul syllable of EUC-KR lies) outnumber the other
 * high bytes four to one. A Latin-1 letter next to ASCII ("\xC0s") is a
 * valid CP949 extended pair too, so CP949 decoding alone proves nothing.
 */
static int looks_korean(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i, pairs = 0, other = 0;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			continue;
		if (p[i] >= 0xA1 && p[i] <= 0xFE && i + 1 < len && p[i + 1] >= 0xA1 &&
		    p[i + 1] <= 0xFE) {
			pairs++;
			i++;
		} else {
			other++;
		}
	}
	return pairs > 0 && pairs >= 4 * other;
}

static int utf8_or_fallback(const char *data, size_t len, struct buf *out, char *used,
                            struct view *view)
{
	static const char *const fallbacks[] = {"CP949", "WINDOWS-1252", "CP949"};
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
	if (mostly_utf8(data, len)) {
		utf8_repair(data, len, out);
		snprintf(used, ENCODING_NAME_MAX, "%s", "UTF-8");
		return 0;
	}
	/* CP949 first only when the bytes look Korean (else last but one) */
	for (i = looks_korean(data, len) ? 0 : 1; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
		if (convert(fallbacks[i], data, len, 1, out) == 0) {
			snprintf(used, ENCODING_NAME_MAX, "%s", fallbacks[i]);
			return 0;
		}
	}
	snprintf(used, ENCODING_NAME_MAX, "%s", "ISO-8859-1");
	return convert("ISO-8859-1", data, len, 0, out);
}

/* Whether data has a byte over 0x7F. */
static int has_high(const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)data[i] >= 0x80)
			return 1;
	return 0;
}

/*
 * One Shift_JIS byte pair through iconv's CP932, appended as UTF-8, or -1
 * when it maps to nothing. glibc's CP932 table is WHATWG's index-jis0208
 * pointer for pointer (0x8160 is U+FF5E, the user-defined rows F040-F9FC
 * are U+E000-U+E757): checked over all 11,280 pairs against
 * index-jis0208.txt.
 */
static int sjis_pair(iconv_t cd, const unsigned char *p, struct buf *out)
{
	char o[8], *op = o, *in = (char *)p;
	size_t inleft = 2, oleft = sizeof o;

	if (iconv(cd, &in, &inleft, &op, &oleft) == (size_t)-1 || inleft != 0) {
		iconv(cd, NULL, NULL, NULL, NULL);
		return -1;
	}
	buf_append(out, o, sizeof o - oleft);
	return 0;
}

/*
 * Shift_JIS (and its aliases windows-31j, CP932) decoded as WHATWG's
 * Encoding Standard does, byte for byte: ASCII and 0x80 as themselves,
 * A1-DF the halfwidth katakana, a lead byte (81-9F, E0-FC) and a trail
 * (40-7E, 80-FC) through index-jis0208 (sjis_pair()). An error (a pair that
 * maps to nothing, a lone lead, A0, FD-FF) fails a strict decoding; else it
 * becomes one U+FFFD, and an ASCII trail byte after a bad lead is read
 * again as itself.
 */
static int convert_sjis(const char *data, size_t len, int strict, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)data;
	iconv_t cd;
	size_t i = 0, run;
	int rc = 0;

	cd = iconv_open("UTF-8", "CP932");
	if (cd == (iconv_t)-1)
		return -1;
	while (i < len) {
		unsigned b = p[i];
		if (b < 0x80) {
			for (run = i; i < len && p[i] < 0x80; i++)
				;
			buf_append(out, data + run, i - run);
			continue;
		}
		if (b == 0x80) {
			buf_append(out, "\xC2\x80", 2);
			i++;
			continue;
		}
		if (b >= 0xA1 && b <= 0xDF) {
			unsigned cp = 0xFF61 + b - 0xA1;
			char k[3] = {(char)0xEF, (char)(0x80 | ((cp >> 6) & 0x3F)),
			             (char)(0x80 | (cp & 0x3F))};
			buf_append(out, k, 3);
			i++;
			continue;
		}
		if (((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)) && i + 1 < len &&
		    ((p[i + 1] >= 0x40 && p[i + 1] <= 0x7E) ||
		     (p[i + 1] >= 0x80 && p[i + 1] <= 0xFC)) &&
		    sjis_pair(cd, p + i, out) == 0) {
			i += 2;
			continue;
		}
		if (strict) {
			rc = -1;
			break;
		}
		buf_append(out, "\xEF\xBF\xBD", 3);
		/* a bad lead takes its trail along unless the trail is ASCII */
		if (((b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)) && i + 1 < len &&
		    p[i + 1] >= 0x80)
			i++;
		i++;
	}
	iconv_close(cd);
	if (rc != 0)
		buf_reset(out);
	return rc;
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
	/* Latin-1, windows-1252 or ASCII declared over bytes that are all
	 * well-formed UTF-8 (and some not ASCII): the declaration is wrong */
	if (strcmp(name, "WINDOWS-1252") == 0 && has_high(data, len) &&
	    encoding_valid_utf8(data, len))
		return utf8_or_fallback(data, len, out, used, view);
	if ((strcmp(name, "SHIFT_JIS") == 0 ? convert_sjis(data, len, 1, out)
	                                    : convert(name, data, len, 1, out)) == 0) {
		snprintf(used, ENCODING_NAME_MAX, "%s", name);
		return 0;
	}
	/* Shift_JIS with a few bad bytes stays Shift_JIS (one U+FFFD each, as
	 * WHATWG decodes it) unless the bytes are UTF-8 as a whole. */
	if (strcmp(name, "SHIFT_JIS") == 0 && !encoding_valid_utf8(data, len)) {
		snprintf(used, ENCODING_NAME_MAX, "%s", name);
		return convert_sjis(data, len, 0, out);
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
