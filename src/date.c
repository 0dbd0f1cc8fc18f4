/*
 * date.c - feed dates to UTC seconds, and back (see date.h).
 *
 * date_parse() is a small hand-written scanner, not a list of formats tried
 * with sscanf/strptime: it never depends on the locale, the TZ variable or
 * the clock. Two strict grammars are tried in turn on the trimmed string:
 *
 *   parse_iso()  W3C-DTF / ISO 8601 / RFC 3339 (reduced precision, basic and
 *                extended forms, ordinal dates, the old two-digit-year forms,
 *                fractions, 'T' or space), MSSQL-style "date time -hh:mm",
 *                Hungarian month names, and the Korean blog formats (Nate's
 *                "YYYY-MM-DD 오후 hh:mm:ss", OnBlog's "YYYY년 MM월 DD일
 *                hh:mm:ss"; both Korean local time, +09:00, unless zoned).
 *   parse_rfc()  RFC 822/1123/2822 and the variants seen in feeds: optional
 *                or wrong weekday (any word before the day number, so a
 *                weekday in any language), missing or stray commas, long
 *                month names, month names in Greek, Portuguese, Spanish,
 *                Italian, French, German, Dutch and Thai (a Thai name with
 *                a year past 2442: the Buddhist era), Korean "4월",
 *                two- and three-digit years, no seconds
 *                or no time, named/military/numeric zones with a trailing
 *                "(comment)", asctime, JavaScript's toString(), Perforce's
 *                "YYYY/MM/DD".
 *
 * Both fill a struct fields; fields_to_time() range-checks every field
 * (never rolls over: month 13, hour 24, day 31 of a 30-day month, minute 60
 * are errors) and applies the offset. A result outside years 1..9999 UTC is
 * refused. Every number is bounded by its digit count before use.
 *
 * The formatting functions below date_parse() are final.
 */
#include <stdio.h>
#include <string.h>

#include "date.h"

struct fields {
	int year, mon, day, hour, min, sec;
	int off;  /* seconds east of UTC */
	int thai; /* a Thai month name: a year past 2400 is the Buddhist era's */
};

/* f->off until a zone is read: a date without one is naive (date_parse_naive()). */
#define NO_ZONE (-999999)

/* A cursor over the trimmed input [p, end). */
struct cur {
	const char *p, *end;
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int at_end(const struct cur *c)
{
	return c->p >= c->end;
}

static int peek(const struct cur *c)
{
	return c->p < c->end ? (unsigned char)*c->p : 0;
}

/* UTF-8 NO-BREAK SPACE, which HTML-minded generators put between fields. */
static int at_nbsp(const struct cur *c)
{
	return c->end - c->p >= 2 && (unsigned char)c->p[0] == 0xc2 &&
	       (unsigned char)c->p[1] == 0xa0;
}

/* Skips white space; returns how many bytes were skipped. */
static size_t skip_ws(struct cur *c)
{
	const char *start = c->p;

	for (;;) {
		if (c->p < c->end && is_ws((unsigned char)*c->p))
			c->p++;
		else if (at_nbsp(c))
			c->p += 2;
		else
			break;
	}
	return (size_t)(c->p - start);
}

static int eat(struct cur *c, int ch)
{
	if (peek(c) != ch)
		return 0;
	c->p++;
	return 1;
}

static int eat_str(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/*
 * Reads a run of digits; returns its length (0: none). *val holds the value
 * of the first 9 digits at most, so it cannot overflow; every caller checks
 * the length before trusting the value.
 */
static int read_num(struct cur *c, int *val)
{
	int n = 0, v = 0;

	while (c->p < c->end && is_digit((unsigned char)*c->p)) {
		if (n < 9)
			v = v * 10 + (*c->p - '0');
		n++;
		c->p++;
	}
	*val = v;
	return n;
}

/* Reads a word: ASCII letters and non-ASCII bytes (Greek, Hungarian, Korean). */
static size_t read_word(struct cur *c, const char **w)
{
	const char *start = c->p;

	while (c->p < c->end && !at_nbsp(c) &&
	       (is_alpha((unsigned char)*c->p) || (unsigned char)*c->p >= 0x80))
		c->p++;
	*w = start;
	return (size_t)(c->p - start);
}

/* Word equality, ASCII letters compared without case, other bytes exactly. */
static int word_eq(const char *w, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int a = (unsigned char)w[i], b = (unsigned char)name[i];

		if (b == 0)
			return 0;
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (a != b)
			return 0;
	}
	return name[n] == 0;
}

struct name_val {
	const char *name; /* lower case */
	int val;
};

static int lookup(const struct name_val *tab, size_t count, const char *w, size_t n, int *val)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < count; i++) {
		if (word_eq(w, n, tab[i].name)) {
			*val = tab[i].val;
			return 1;
		}
	}
	return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct name_val month_names[] = {
    {"jan", 1},
    {"feb", 2},
    {"mar", 3},
    {"apr", 4},
    {"may", 5},
    {"jun", 6},
    {"jul", 7},
    {"aug", 8},
    {"sep", 9},
    {"oct", 10},
    {"nov", 11},
    {"dec", 12},
    {"january", 1},
    {"february", 2},
    {"march", 3},
    {"april", 4},
    {"june", 6},
    {"july", 7},
    {"august", 8},
    {"september", 9},
    {"sept", 9},
    {"october", 10},
    {"november", 11},
    {"december", 12},
    /* Greek, as feedparser's Greek parser knows them (with variant accents) */
    {"Ιαν", 1},
    {"Φεβ", 2},
    {"Μάώ", 3},
    {"Μαώ", 3},
    {"Μάρ", 3},
    {"Μαρ", 3},
    {"Απρ", 4},
    {"Μάι", 5},
    {"Μαϊ", 5},
    {"Μαι", 5},
    {"Ιούν", 6},
    {"Ιον", 6},
    {"Ιουν", 6},
    {"Ιούλ", 7},
    {"Ιολ", 7},
    {"Ιουλ", 7},
    {"Αύγ", 8},
    {"Αυγ", 8},
    {"Σεπ", 9},
    {"Οκτ", 10},
    {"Νοέ", 11},
    {"Νοε", 11},
    {"Δεκ", 12},
    /* Hungarian (lower case, as the language writes them) */
    {"január", 1},
    {"február", 2},
    {"március", 3},
    {"április", 4},
    {"május", 5},
    {"június", 6},
    {"július", 7},
    {"augusztus", 8},
    {"szeptember", 9},
    {"október", 10},
    /* Portuguese, Spanish, Italian, French, German, Dutch (abbreviated and
     * full; "mar", "set", "ago"... mean the same month in all of them) */
    {"fev", 2},
    {"abr", 4},
    {"mai", 5},
    {"ago", 8},
    {"set", 9},
    {"out", 10},
    {"dez", 12},
    {"janeiro", 1},
    {"fevereiro", 2},
    {"março", 3},
    {"abril", 4},
    {"maio", 5},
    {"junho", 6},
    {"julho", 7},
    {"agosto", 8},
    {"setembro", 9},
    {"outubro", 10},
    {"novembro", 11},
    {"dezembro", 12},
    {"ene", 1},
    {"dic", 12},
    {"enero", 1},
    {"febrero", 2},
    {"marzo", 3},
    {"mayo", 5},
    {"junio", 6},
    {"julio", 7},
    {"septiembre", 9},
    {"setiembre", 9},
    {"octubre", 10},
    {"noviembre", 11},
    {"diciembre", 12},
    {"gen", 1},
    {"mag", 5},
    {"giu", 6},
    {"lug", 7},
    {"ott", 10},
    {"gennaio", 1},
    {"febbraio", 2},
    {"aprile", 4},
    {"maggio", 5},
    {"giugno", 6},
    {"luglio", 7},
    {"settembre", 9},
    {"ottobre", 10},
    {"dicembre", 12},
    {"janv", 1},
    {"févr", 2},
    {"fév", 2},
    {"mars", 3},
    {"avr", 4},
    {"juin", 6},
    {"juil", 7},
    {"août", 8},
    {"déc", 12},
    {"janvier", 1},
    {"février", 2},
    {"avril", 4},
    {"juillet", 7},
    {"septembre", 9},
    {"octobre", 10},
    {"novembre", 11},
    {"décembre", 12},
    {"mär", 3},
    {"mrz", 3},
    {"okt", 10},
    {"januar", 1},
    {"februar", 2},
    {"märz", 3},
    {"juni", 6},
    {"juli", 7},
    {"oktober", 10},
    {"dezember", 12},
    {"mrt", 3},
    {"mei", 5},
    {"januari", 1},
    {"februari", 2},
    {"maart", 3},
    {"augustus", 8},
    /* Thai, full and abbreviated (the abbreviations carry dots) */
    {"มกราคม", 1},
    {"กุมภาพันธ์", 2},
    {"มีนาคม", 3},
    {"เมษายน", 4},
    {"พฤษภาคม", 5},
    {"มิถุนายน", 6},
    {"กรกฎาคม", 7},
    {"สิงหาคม", 8},
    {"กันยายน", 9},
    {"ตุลาคม", 10},
    {"พฤศจิกายน", 11},
    {"ธันวาคม", 12},
    {"ม.ค.", 1},
    {"ก.พ.", 2},
    {"มี.ค.", 3},
    {"เม.ย.", 4},
    {"พ.ค.", 5},
    {"มิ.ย.", 6},
    {"ก.ค.", 7},
    {"ส.ค.", 8},
    {"ก.ย.", 9},
    {"ต.ค.", 10},
    {"พ.ย.", 11},
    {"ธ.ค.", 12},
};

/* Weekdays are recognised only to be skipped: a wrong one is ignored. */
static const struct name_val weekdays[] = {
    {"sun", 0},       {"mon", 1},      {"tue", 2},    {"wed", 3},      {"thu", 4},
    {"fri", 5},       {"sat", 6},      {"sunday", 0}, {"monday", 1},   {"tuesday", 2},
    {"wednesday", 3}, {"thursday", 4}, {"friday", 5}, {"saturday", 6}, {"tues", 2},
    {"thur", 4},      {"thurs", 4},    {"Κυρ", 0},    {"Δευ", 1},      {"Τρι", 2},
    {"Τετ", 3},       {"Πεμ", 4},      {"Παρ", 5},    {"Σαβ", 6},
};

/*
 * Zone names, minutes east of UTC. RFC 822's US zones, the one-letter
 * "AT/ET/CT/MT/PT" some publishers write (standard time, as feedparser),
 * and the abbreviations common in feeds. Ambiguous ones take the reading
 * RFC 822 or feeds make overwhelmingly likely: CST is US Central, BST is
 * British Summer Time, IST is India.
 */
static const struct name_val zones[] = {
    {"ut", 0},      {"utc", 0},    {"gmt", 0},    {"uct", 0},    {"z", 0},      {"zulu", 0},
    {"wet", 0},     {"west", 60},  {"bst", 60},   {"cet", 60},   {"cest", 120}, {"met", 60},
    {"mest", 120},  {"mez", 60},   {"mesz", 120}, {"eet", 120},  {"eest", 180}, {"msk", 180},
    {"ist", 330},   {"hkt", 480},  {"sgt", 480},  {"awst", 480}, {"kst", 540},  {"jst", 540},
    {"acst", 570},  {"acdt", 630}, {"aest", 600}, {"aedt", 660}, {"nzst", 720}, {"nzdt", 780},
    {"nst", -210},  {"ndt", -150}, {"ast", -240}, {"adt", -180}, {"at", -240},  {"est", -300},
    {"edt", -240},  {"et", -300},  {"cst", -360}, {"cdt", -300}, {"ct", -360},  {"mst", -420},
    {"mdt", -360},  {"mt", -420},  {"pst", -480}, {"pdt", -420}, {"pt", -480},  {"akst", -540},
    {"akdt", -480}, {"hst", -600},
};

/*
 * Military zones with their real meaning (Alpha = UTC+1 ... Mike = +12,
 * November = -1 ... Yankee = -12), as RFC 1123 section 5.2.14 corrects
 * RFC 822's inverted table. J (local time) is not a zone.
 */
static int military_zone(const char *w, size_t n, int *min)
{
	int ch;

	if (n != 1)
		return 0;
	ch = (unsigned char)w[0] | 0x20;
	if (ch >= 'a' && ch <= 'i')
		*min = (ch - 'a' + 1) * 60;
	else if (ch >= 'k' && ch <= 'm')
		*min = (ch - 'k' + 10) * 60;
	else if (ch >= 'n' && ch <= 'y')
		*min = -(ch - 'n' + 1) * 60;
	else if (ch == 'z')
		*min = 0;
	else
		return 0;
	return 1;
}

/* "+hhmm", "+hh:mm", "+hh", "+h" (and '-'): hours 0..23, minutes 0..59. */
static int parse_numeric_zone(struct cur *c, int *off)
{
	int sign, k, v, hh, mm = 0;

	if (eat(c, '+'))
		sign = 1;
	else if (eat(c, '-'))
		sign = -1;
	else
		return -1;
	k = read_num(c, &v);
	if (k == 4) {
		hh = v / 100;
		mm = v % 100;
	} else if (k == 1 || k == 2) {
		hh = v;
		if (eat(c, ':')) {
			if (read_num(c, &mm) != 2)
				return -1;
		}
	} else {
		return -1;
	}
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 0;
}

/*
 * A zone: numeric, "GMT+hh:mm", "Etc/GMT", a name, or (when military is
 * set) a military letter. On failure the cursor may have moved.
 */
static int parse_zone(struct cur *c, int *off, int military)
{
	const char *w;
	size_t n;
	int min;

	if (peek(c) == '+' || peek(c) == '-')
		return parse_numeric_zone(c, off);
	n = read_word(c, &w);
	if (n == 0)
		return -1;
	if (word_eq(w, n, "etc") && eat(c, '/')) {
		n = read_word(c, &w);
		if (!word_eq(w, n, "gmt") && !word_eq(w, n, "utc") && !word_eq(w, n, "uct") &&
		    !word_eq(w, n, "zulu") && !word_eq(w, n, "universal"))
			return -1;
		/* tzdata's Etc/GMT+5 means UTC-5: too easily misread; refuse it */
		if (peek(c) == '+' || peek(c) == '-')
			return -1;
		*off = 0;
		return 0;
	}
	if ((word_eq(w, n, "gmt") || word_eq(w, n, "utc") || word_eq(w, n, "ut")) &&
	    (peek(c) == '+' || peek(c) == '-'))
		return parse_numeric_zone(c, off);
	if (lookup(zones, COUNT(zones), w, n, &min) || (military && military_zone(w, n, &min))) {
		*off = min * 60;
		return 0;
	}
	return -1;
}

/* "h:mm", "hh:mm:ss", with an optional ".fraction" (ignored). */
static int parse_time(struct cur *c, struct fields *f)
{
	int v;

	if (read_num(c, &v) - 1u > 1u) /* 1 or 2 digits */
		return -1;
	f->hour = v;
	if (!eat(c, ':') || read_num(c, &v) != 2)
		return -1;
	f->min = v;
	f->sec = 0;
	if (eat(c, ':')) {
		if (read_num(c, &v) != 2)
			return -1;
		f->sec = v;
		if ((peek(c) == '.' || peek(c) == ',') && c->p + 1 < c->end &&
		    is_digit((unsigned char)c->p[1])) {
			c->p++;
			read_num(c, &v);
		}
	}
	return peek(c) == ':' ? -1 : 0; /* "1:2:3:4" */
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

/* Day of year (1-based) to month and day; -1 when past the year's end. */
static int set_ordinal(struct fields *f, int yday)
{
	int m;

	if (yday < 1 || yday > (is_leap(f->year) ? 366 : 365))
		return -1;
	for (m = 1; yday > days_in_month(f->year, m); m++)
		yday -= days_in_month(f->year, m);
	f->mon = m;
	f->day = yday;
	return 0;
}

/* Two-digit years: 00-49 are 20xx, 50-99 19xx. */
static int pivot_year(int yy)
{
	return yy < 50 ? 2000 + yy : 1900 + yy;
}

/*
 * Checks every field and converts. A leap second (:60, only at minute 59)
 * is read as :59 of the same minute; nothing else is ever rolled over.
 */
static int fields_to_time(const struct fields *f, int64_t *out)
{
	int64_t t;
	int sec = f->sec;

	if (f->year < 0 || f->year > 9999 || f->mon < 1 || f->mon > 12 || f->day < 1 ||
	    f->day > days_in_month(f->year, f->mon) || f->hour < 0 || f->hour > 23 || f->min < 0 ||
	    f->min > 59 || sec < 0 || sec > 60)
		return -1;
	if (sec == 60) {
		if (f->min != 59)
			return -1;
		sec = 59;
	}
	t = date_days_from_civil(f->year, (unsigned)f->mon, (unsigned)f->day) * 86400 +
	    f->hour * 3600 + f->min * 60 + sec - f->off;
	if (t < date_days_from_civil(1, 1, 1) * 86400 ||
	    t > date_days_from_civil(9999, 12, 31) * 86400 + 86399)
		return -1;
	*out = t;
	return 0;
}

/* Which 12-hour marker parse_ampm() read. */
enum { AMPM_NONE, AMPM_LATIN, AMPM_KOREAN };

/*
 * An optional 12-hour marker after optional white space: AM/PM or Korean
 * 오전/오후. Returns which and sets *pm, or AMPM_NONE with the cursor kept.
 */
static int parse_ampm(struct cur *c, int *pm)
{
	const char *save = c->p, *w;
	size_t n;

	skip_ws(c);
	n = read_word(c, &w);
	if (word_eq(w, n, "am") || word_eq(w, n, "pm")) {
		*pm = (w[0] | 0x20) == 'p';
		return AMPM_LATIN;
	}
	if (word_eq(w, n, "오전") || word_eq(w, n, "오후")) {
		*pm = word_eq(w, n, "오후");
		return AMPM_KOREAN;
	}
	c->p = save;
	return AMPM_NONE;
}

/* 12-hour clock to 24: 12 AM is midnight, 12 PM noon; hour 0 or >12 is wrong. */
static int apply_ampm(struct fields *f, int pm)
{
	if (f->hour < 1 || f->hour > 12)
		return -1;
	if (f->hour == 12)
		f->hour = 0;
	if (pm)
		f->hour += 12;
	return 0;
}

/* One or two digits (days, months, 12/24-hour hours). */
static int read_num12(struct cur *c, int *val)
{
	int k = read_num(c, val);

	return k == 1 || k == 2 ? 0 : -1;
}

/* Korean "4월": a month number and 월. */
static int read_korean_month(struct cur *c, struct fields *f)
{
	if (read_num12(c, &f->mon) < 0 || !eat_str(c, "\xEC\x9B\x94"))
		return -1;
	return 0;
}

/* A Thai abbreviation: letters with dots inside ("ม.ค."). */
static int read_dotted_month(struct cur *c, struct fields *f)
{
	const char *w = c->p;

	while (c->p < c->end && ((unsigned char)*c->p >= 0x80 || *c->p == '.'))
		c->p++;
	if (!lookup(month_names, COUNT(month_names), w, (size_t)(c->p - w), &f->mon))
		return -1;
	f->thai = 1;
	return 0;
}

static int read_month(struct cur *c, struct fields *f)
{
	const char *save = c->p, *w;
	size_t n;

	if (is_digit(peek(c)))
		return read_korean_month(c, f);
	n = read_word(c, &w);
	if (!lookup(month_names, COUNT(month_names), w, n, &f->mon)) {
		c->p = save;
		return read_dotted_month(c, f);
	}
	if (n > 2 && (unsigned char)w[0] == 0xE0 &&
	    ((unsigned char)w[1] == 0xB8 || (unsigned char)w[1] == 0xB9))
		f->thai = 1; /* U+0E00..U+0E7F */
	eat(c, '.');         /* "Sept. 5" */
	return 0;
}

/*
 * The date part of W3C-DTF / ISO 8601 and its relatives. Sets *full when
 * the date is complete (a time may follow) and *korean for OnBlog's form.
 *
 * A string of five digits is ambiguous: ISO 8601:2000's YYDDD or a year
 * past 9999. It reads as YYDDD only with a leading zero ("03335" is
 * 2003-12-01) and is refused otherwise ("22013"), as feedparser's own
 * parsers do for these two strings.
 */
static int parse_iso_date(struct cur *c, struct fields *f, int *full, int *korean)
{
	const char *start = c->p, *q;
	int k, v;

	if (eat(c, '-')) {
		/* "-YYMM", "-YY-MM": ISO 8601:2000's year-and-month forms */
		k = read_num(c, &v);
		if (k == 4) {
			f->year = pivot_year(v / 100);
			f->mon = v % 100;
		} else if (k == 2 && eat(c, '-')) {
			f->year = pivot_year(v);
			if (read_num(c, &v) != 2)
				return -1;
			f->mon = v;
		} else {
			return -1;
		}
		return 0;
	}
	k = read_num(c, &v);
	switch (k) {
	case 4:
		f->year = v;
		if (eat_str(c, "년")) {
			/* OnBlog: "2004년 05월 28일" */
			skip_ws(c);
			if (read_num12(c, &f->mon) < 0 || !eat_str(c, "월"))
				return -1;
			skip_ws(c);
			if (read_num12(c, &f->day) < 0 || !eat_str(c, "일"))
				return -1;
			*full = *korean = 1;
		} else if (eat(c, '-')) {
			q = c->p;
			k = read_num(c, &v);
			if (k == 1 || k == 2 || (k == 3 && *q == '0' && peek(c) == '-')) {
				/* YYYY-MM[-DD]; "2003-012-31" is Google's extra zero */
				f->mon = v;
				if (eat(c, '-')) {
					if (read_num12(c, &f->day) < 0)
						return -1;
					*full = 1;
				}
			} else if (k == 3) {
				if (set_ordinal(f, v) < 0)
					return -1;
				*full = 1;
			} else if (k == 0) {
				/* a month name: Hungarian "2004-július-13" */
				if (read_month(c, f) < 0 || !eat(c, '-') ||
				    read_num12(c, &f->day) < 0)
					return -1;
				*full = 1;
			} else {
				return -1;
			}
		}
		return 0;
	case 8:
		f->year = v / 10000;
		f->mon = v / 100 % 100;
		f->day = v % 100;
		break;
	case 7:
		f->year = v / 1000;
		if (set_ordinal(f, v % 1000) < 0)
			return -1;
		break;
	case 6:
		f->year = pivot_year(v / 10000);
		f->mon = v / 100 % 100;
		f->day = v % 100;
		break;
	case 5:
		if (*start != '0')
			return -1;
		f->year = pivot_year(v / 1000);
		if (set_ordinal(f, v % 1000) < 0)
			return -1;
		break;
	case 2:
		/* "YY-MM-DD", "YY-DDD" */
		f->year = pivot_year(v);
		if (!eat(c, '-'))
			return -1;
		k = read_num(c, &v);
		if (k == 2) {
			f->mon = v;
			if (!eat(c, '-') || read_num(c, &f->day) != 2)
				return -1;
		} else if (k == 3) {
			if (set_ordinal(f, v) < 0)
				return -1;
		} else {
			return -1;
		}
		break;
	default:
		return -1;
	}
	*full = 1;
	return 0;
}

static int parse_iso(struct cur *c, struct fields *f)
{
	const char *q;
	int full = 0, korean = 0, zoned = 0, ampm = AMPM_NONE, pm = 0, k, v;

	if (parse_iso_date(c, f, &full, &korean) < 0)
		return -1;
	if (at_end(c))
		goto out;
	if (!full)
		return -1; /* "2013-01-27-01", "2003 10:00" */
	if (eat(c, 'T') || eat(c, 't')) {
		q = c->p;
		k = read_num(c, &v);
		if ((k == 4 || k == 6) && peek(c) != ':') {
			/* basic format: "T1014", "T101455[.5]" */
			if (k == 4)
				v *= 100;
			f->hour = v / 10000;
			f->min = v / 100 % 100;
			f->sec = v % 100;
			if ((peek(c) == '.' || peek(c) == ',') && c->p + 1 < c->end &&
			    is_digit((unsigned char)c->p[1])) {
				c->p++;
				read_num(c, &v);
			}
		} else {
			c->p = q;
			if (parse_time(c, f) < 0)
				return -1;
		}
	} else {
		if (!skip_ws(c))
			return -1;
		/* Nate: "2004-05-25 오후 11:23:17" */
		ampm = parse_ampm(c, &pm);
		if (ampm == AMPM_LATIN)
			return -1;
		if (ampm == AMPM_KOREAN) {
			korean = 1;
			if (!skip_ws(c))
				return -1;
		}
		if (parse_time(c, f) < 0)
			return -1;
	}
	if (ampm == AMPM_NONE)
		ampm = parse_ampm(c, &pm);
	if (ampm != AMPM_NONE && apply_ampm(f, pm) < 0)
		return -1;
	skip_ws(c);
	if (!at_end(c)) {
		if (parse_zone(c, &f->off, 0) < 0)
			return -1;
		zoned = 1;
		skip_ws(c);
		if (!at_end(c))
			return -1;
	}
out:
	if (korean && !zoned)
		f->off = 9 * 3600; /* Korean local time */
	return 0;
}

/* RFC 822's 2-digit years, RFC 2822's 3-digit ones (1900 + n: Java's getYear). */
static int rfc_year(int k, int v)
{
	if (k == 2)
		return pivot_year(v);
	if (k == 3)
		return 1900 + v;
	if (k == 4)
		return v;
	return -1;
}

/* The time, then an optional AM/PM. */
static int parse_rfc_time(struct cur *c, struct fields *f)
{
	int pm;

	if (parse_time(c, f) < 0)
		return -1;
	if (parse_ampm(c, &pm) != AMPM_NONE && apply_ampm(f, pm) < 0)
		return -1;
	return 0;
}

/* Skips a weekday's punctuation: "Fri,24", "Fri ,24", "Fri 24", "mer. 16". */
static void skip_after_weekday(struct cur *c)
{
	eat(c, '.');
	skip_ws(c);
	eat(c, ',');
	skip_ws(c);
}

/*
 * The first word, when it is a weekday. A known one (English, Greek) is
 * always skipped; any other word (a weekday in Portuguese, Italian, Thai,
 * Korean...: "mer,", "Seg,", "월,") is skipped when a day number follows,
 * so an unknown weekday never loses an otherwise complete date; with
 * *tried set the caller retries without the skip ("Mar 15, 2022").
 */
static void skip_weekday(struct cur *c, int *tried)
{
	const char *save = c->p, *w;
	size_t n = read_word(c, &w);
	int wday;

	*tried = 0;
	if (n == 0)
		return;
	if (lookup(weekdays, COUNT(weekdays), w, n, &wday)) {
		skip_after_weekday(c);
		return;
	}
	skip_after_weekday(c);
	if (is_digit(peek(c))) {
		*tried = 1;
		return;
	}
	c->p = save;
}

static int parse_rfc_rest(struct cur *c, struct fields *f);

static int parse_rfc(struct cur *c, struct fields *f)
{
	struct cur start = *c;
	int tried;

	skip_weekday(c, &tried);
	if (parse_rfc_rest(c, f) == 0)
		return 0;
	if (!tried)
		return -1;
	*c = start;
	memset(f, 0, sizeof(*f));
	f->mon = f->day = 1;
	f->off = NO_ZONE;
	return parse_rfc_rest(c, f);
}

static int parse_rfc_rest(struct cur *c, struct fields *f)
{
	const char *save;
	int k, v, have_time = 0, have_zone = 0;

	if (is_digit(peek(c))) {
		k = read_num(c, &v);
		if (k == 4 && eat(c, '/')) {
			/* Perforce: "2006/09/15" */
			f->year = v;
			if (read_num12(c, &f->mon) < 0 || !eat(c, '/') ||
			    read_num12(c, &f->day) < 0)
				return -1;
		} else if (k == 1 || k == 2) {
			/* "24 Nov 2023", "24-Nov-2023", "13 Feb, 2012" */
			int dash;

			f->day = v;
			dash = eat(c, '-');
			if (!dash)
				skip_ws(c);
			if (read_month(c, f) < 0)
				return -1;
			if (dash) {
				if (!eat(c, '-'))
					return -1;
			} else {
				skip_ws(c);
				eat(c, ',');
				skip_ws(c);
			}
			k = read_num(c, &v);
			if ((f->year = rfc_year(k, v)) < 0)
				return -1;
		} else {
			return -1;
		}
	} else {
		/* "Aug 30 2012 17:26:16", "Nov 24, 2023", asctime "Jan  4 16:29:06 2004" */
		if (read_month(c, f) < 0 || !skip_ws(c) || read_num12(c, &f->day) < 0)
			return -1;
		eat(c, ',');
		if (!skip_ws(c))
			return -1;
		save = c->p;
		k = read_num(c, &v);
		if (k > 0 && peek(c) == ':') {
			c->p = save;
			if (parse_rfc_time(c, f) < 0 || !skip_ws(c))
				return -1;
			have_time = 1;
			if (!is_digit(peek(c))) {
				/* Twitter: "Sun Jul 15 01:16:00 +0000 2012" */
				if (parse_zone(c, &f->off, 1) < 0 || !skip_ws(c))
					return -1;
				have_zone = 1;
			}
			if (read_num(c, &v) != 4)
				return -1;
			f->year = v;
		} else if ((f->year = rfc_year(k, v)) < 0) {
			return -1;
		}
	}
	if (!have_time) {
		save = c->p;
		if (skip_ws(c) && is_digit(peek(c))) {
			if (parse_rfc_time(c, f) < 0)
				return -1;
		} else {
			c->p = save;
		}
	}
	skip_ws(c);
	if (!have_zone && !at_end(c) && peek(c) != '(') {
		if (parse_zone(c, &f->off, 1) < 0)
			return -1;
		have_zone = 1;
		skip_ws(c);
	}
	/* "-0700 (PDT)": a comment, only after a zone that says the same thing */
	if (have_zone && eat(c, '(')) {
		while (!at_end(c) && peek(c) != ')' && peek(c) != '(')
			c->p++;
		if (!eat(c, ')'))
			return -1;
		skip_ws(c);
	}
	if (f->thai && f->year >= 2443)
		f->year -= 543; /* Buddhist era */
	return at_end(c) ? 0 : -1;
}

static void fields_init(struct fields *f)
{
	memset(f, 0, sizeof(*f));
	f->mon = f->day = 1;
	f->off = NO_ZONE;
}

static int fields_done(struct fields *f, int64_t *out, int *zoned)
{
	*zoned = f->off != NO_ZONE;
	if (f->off == NO_ZONE)
		f->off = 0;
	return fields_to_time(f, out);
}

int date_parse(const char *s, int64_t *out)
{
	int zoned;

	return date_parse_naive(s, out, &zoned);
}

int date_parse_naive(const char *s, int64_t *out, int *zoned)
{
	struct cur c, start;
	struct fields f;

	if (s == NULL || out == NULL)
		return -1;
	c.p = s;
	c.end = s + strlen(s);
	skip_ws(&c);
	for (;;) {
		if (c.end > c.p && is_ws((unsigned char)c.end[-1]))
			c.end--;
		else if (c.end - c.p >= 2 && (unsigned char)c.end[-2] == 0xc2 &&
		         (unsigned char)c.end[-1] == 0xa0)
			c.end -= 2;
		else
			break;
	}
	if (at_end(&c))
		return -1;
	start = c;
	fields_init(&f);
	if (parse_iso(&c, &f) == 0)
		return fields_done(&f, out, zoned);
	c = start;
	fields_init(&f);
	if (parse_rfc(&c, &f) == 0)
		return fields_done(&f, out, zoned);
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

int date_parse_day(const char *s, int64_t *days)
{
	unsigned y, m, d;
	size_t i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit((unsigned char)s[i]))
			return -1;
	y = (unsigned)((s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'));
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1970 || m < 1 || m > 12 || d < 1 || (int)d > days_in_month((int)y, (int)m))
		return -1;
	*days = date_days_from_civil(y, m, d);
	return 0;
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
	date_format_rfc5322(t, 0, buf);
}

void date_format_rfc5322(int64_t t, long offset, char *buf)
{
	static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	long off = offset < -86399 || offset > 86399 ? 0 : offset;
	long aoff = off < 0 ? -off : off;
	struct civil c;

	civil_from_time(t + off, &c);
	snprintf(buf, DATE_MAX, "%s, %02u %s %04lld %02u:%02u:%02u %c%02ld%02ld", wdays[c.wday],
	         c.day, months[c.mon - 1], (long long)c.year, c.hour, c.min, c.sec,
	         off < 0 ? '-' : '+', aoff / 3600, aoff / 60 % 60);
}

/* ---- durations --------------------------------------------------------- */

int date_duration(const char *s, int64_t *out)
{
	static const struct {
		char unit;
		int64_t mult;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 7 * 86400}};
	int64_t v = 0;
	size_t i;
	int big = 0;

	if (s == NULL || !is_digit((unsigned char)*s))
		return -1;
	for (; is_digit((unsigned char)*s); s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			big = 1;
		else
			v = v * 10 + (*s - '0');
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		if (big)
			return -2;
		*out = v;
		return DATE_DURATION_BARE;
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (s[0] == units[i].unit && s[1] == '\0') {
			if (big || v > INT64_MAX / units[i].mult)
				return -2;
			*out = v * units[i].mult;
			return 0;
		}
	}
	return -1;
}
