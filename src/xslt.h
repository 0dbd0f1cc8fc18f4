/*
 * xslt.h - XSLT templates, loaded and applied safely.
 *
 * A template is looked up in the user's templates directory first, then in
 * the installed defaults. It is read with libxml2's no-network loader (the
 * refuse-everything loader parse_init() installed is put back afterwards),
 * and applied with file and network access forbidden, so a transform never
 * reads or writes anything but its input document and its result. Errors
 * from libxml2 and libxslt are collected into err as one line naming the
 * template, with file:line where the library gives one.
 *
 * The one XSLT runner: publishing and the digest both go through it.
 */
#ifndef AGG_XSLT_H
#define AGG_XSLT_H

#include <stddef.h>

#include <libxml/tree.h>

struct xslt_sheet;

/* The path of the template file NAME: in user_dir (when set and the file
 * exists there), else in default_dir (malloc'd). Also for the templates
 * directory's other files, such as style.css. */
char *xslt_find(const char *user_dir, const char *default_dir, const char *name);

/* Loads NAME from user_dir (when set and the file exists) else default_dir. */
struct xslt_sheet *xslt_load(const char *user_dir, const char *default_dir, const char *name,
                             char *err);
void xslt_free(struct xslt_sheet *s);

/* libxslt's version as loaded at run time ("1.1.35"), for whoever keeps what
 * a template made and must know when it might differ. */
const char *xslt_version(void);

/* The file the sheet was read from. */
const char *xslt_path(const struct xslt_sheet *s);

/*
 * Applies the sheet to doc with string parameters (name, value, ...,
 * NULL; values are passed as strings, never evaluated as XPath) and
 * serializes the result as its xsl:output says. *out is malloc'd and
 * NUL-terminated, *len bytes long.
 */
int xslt_apply(struct xslt_sheet *s, xmlDocPtr doc, const char *const *params, char **out,
               size_t *len, char *err);

#endif
