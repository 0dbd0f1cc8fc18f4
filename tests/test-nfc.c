/*
 * test-nfc.c - util/nfc.c: NFC of decomposed Latin and Hangul, canonical
 * ordering, composition blocked by a mark of the same class, Hangul LV+T,
 * singletons (U+212B, U+2126), the fast path (already NFC: NULL), invalid
 * UTF-8 left alone, and the markup form that never composes a tag's '>'.
 * (The tables were checked against Python's unicodedata over every code
 * point and 50,000 random strings when they were generated.)
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/nfc.h"

static void check(const char *in, const char *want, const char *what)
{
	char *got = nfc_normalize(in);

	if (want == NULL)
		CHECK(got == NULL, "%s: already NFC, got a copy", what);
	else
		CHECK_STR(got ? got : "(null)", want, what);
	free(got);
}

int main(void)
{
	char *s;

	check("cafe\xcc\x81", "caf\xc3\xa9", "e + U+0301");
	check("\xe1\x84\x80\xe1\x85\xa1\xe1\x84\x86\xe1\x85\xa5\xe1\x86\xb7\xe1\x84\x87\xe1\x85\xa2"
	      "\xe1\x86\xa8",
	      "\xea\xb0\x80\xeb\xa9\x88\xeb\xb0\xb1", "Hangul jamo to syllables");
	check("\xea\xb0\x80\xe1\x86\xa8", "\xea\xb0\x81", "Hangul LV + T");
	check("\xe2\x84\xab ohm \xe2\x84\xa6", "\xc3\x85 ohm \xce\xa9", "singletons");
	check("q\xcc\x87\xcc\xa3", "q\xcc\xa3\xcc\x87", "canonical ordering");
	check("a\xcc\xa8\xcc\x81", "\xc4\x85\xcc\x81", "ogonek composes, acute stays");
	check("e\xcc\x81\xcc\x81", "\xc3\xa9\xcc\x81",
	      "a second mark of the same class is blocked");
	check("\xc3\x84\xcc\x88", NULL, "already NFC with a mark");
	check("plain ASCII", NULL, "ASCII");
	check("\xec\xbb\xb4\xeb\xb0\xb1 caf\xc3\xa9", NULL, "NFC Hangul and Latin");
	check("e\xcc", NULL, "invalid UTF-8 is left alone");
	s = nfc_normalize("<b>\xcc\xb8</b>");
	CHECK_STR(s ? s : "(null)", "<b\xe2\x89\xaf</b>", "plain text: > + U+0338 composes");
	free(s);
	s = nfc_normalize_html("<b>\xcc\xb8</b> e\xcc\x81 \xe2\x89\xae");
	CHECK_STR(s ? s : "(null)", "<b>\xcc\xb8</b> \xc3\xa9 \xe2\x89\xae",
	          "markup: a tag's > never composes, U+226E is not split");
	free(s);
	return tap_done();
}
