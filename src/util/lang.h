/*
 * lang.h - language tags (BCP 47), the one reading of them every module uses.
 *
 * Feeds say their language in many spellings (RSS <language>, dc:language,
 * xml:lang, JSON Feed language): "en_us", " KO-kr ", "EN-us" are common;
 * "English" or "kr, en" are no tags at all. normalize.c writes what it
 * stores through lang_tag(), and atom.c what it publishes (so a value
 * stored before is published the same way).
 */
#ifndef AGG_UTIL_LANG_H
#define AGG_UTIL_LANG_H

/*
 * s as a language tag in canonical case ("en-US", "zh-Hant-TW", "ko"),
 * malloc'd; NULL when s (NULL allowed) is none. Surrounding white space is
 * dropped and '_' read as '-'. The primary subtag is 2 or 3 letters (ISO
 * 639: what the feed validators accept), the others 1 to 8 letters or
 * digits. Case: the language lower case, a 4-letter script title case, a
 * 2-letter region upper case, the rest lower case.
 */
char *lang_tag(const char *s);

#endif
