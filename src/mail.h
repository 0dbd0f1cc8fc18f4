/*
 * mail.h - Internet mail: building a MIME message and sending it by SMTP.
 *
 * The digest hands mail_build() a plain-text and an HTML body (UTF-8) and
 * the header facts; it gets back one multipart/alternative message (text
 * first) with CRLF line ends, every line within 78 characters, ready for
 * `sendmail -t` or mail_send(). Header values that are not ASCII are
 * written as RFC 2047 encoded-words; bodies are quoted-printable or base64,
 * whichever is shorter. Values that would let one header end and another
 * begin (CR, LF, other controls) are refused or replaced, never copied.
 *
 * mail_send() delivers a built message through libcurl's SMTP (smtp://,
 * smtps://, STARTTLS, login or ~/.netrc); it returns only after the server
 * accepted the message for every recipient, or with an error. A login goes
 * only over TLS (STARTTLS is required when there is one) unless the caller
 * asks for MAIL_TLS_NEVER; certificates are always verified.
 */
#ifndef AGG_MAIL_H
#define AGG_MAIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * An unstructured header value (Subject) encoded per RFC 2047 and folded:
 * returned as is when it is printable ASCII and fits, else as B-encoded
 * UTF-8 words of whole characters, each at most 75 characters, joined by
 * CRLF + space. `used` is how many characters the line already holds
 * ("Subject: " is 9). Controls become spaces; invalid UTF-8 becomes U+FFFD.
 */
char *mail_encode_header(const char *value, size_t used);

/*
 * Quoted-printable (RFC 2045, 6.7) of UTF-8 text whose lines end in LF or
 * CRLF: lines of at most 76 characters with CRLF ends, soft breaks "=",
 * '=' and bytes >= 0x80 as =XX, spaces and tabs before a line end encoded,
 * and never a soft break inside an =XX or a UTF-8 sequence.
 */
char *mail_qp_encode(const char *s, size_t len);

/* Base64 (RFC 2045, 6.8) in lines of 76 characters, each ending in CRLF. */
char *mail_base64_encode(const void *p, size_t len);

/*
 * The address part of "Name <user@host>" or of "user@host", malloc'd, or
 * NULL when there is none that SMTP could carry (no '@', spaces, controls,
 * angle brackets, more than 254 bytes).
 */
char *mail_addr_spec(const char *mailbox);

/*
 * Splits a comma-separated list of mailboxes ("a@x, Kim <b@y>"), commas
 * inside quotes and angle brackets included in their mailbox. Appends
 * malloc'd trimmed mailboxes to *v; returns -1 and sets err when one has
 * no usable address.
 */
int mail_split_addresses(const char *list, char ***v, size_t *n, size_t *cap, char *err);

struct mail_msg {
	const char *from;      /* mailbox: "user@host" or "Name <user@host>" */
	const char *const *to; /* mailboxes */
	size_t nto;
	const char *subject;          /* UTF-8 */
	const char *list_unsubscribe; /* URL(s) for List-Unsubscribe, or NULL */
	const char *id_host;          /* right side of the Message-ID */
	int64_t date;
	long offset;      /* UTC offset of the Date header, seconds (date_format_rfc5322) */
	const char *text; /* the text/plain body, UTF-8 */
	const char *html; /* the text/html body, UTF-8, or NULL */
};

/* The whole message (malloc'd, NUL-terminated, *len bytes), or NULL and err. */
char *mail_build(const struct mail_msg *m, size_t *len, char *err);

/* STARTTLS on smtp:// (smtps:// is TLS from the start). */
enum mail_tls {
	MAIL_TLS_TRY = 0, /* required when there is a login, else when the server offers it */
	MAIL_TLS_ALWAYS,  /* STARTTLS or fail */
	MAIL_TLS_NEVER,   /* never, even with a login (sent in clear) */
};

struct mail_smtp {
	const char *url;  /* smtp://host[:port] or smtps://host[:port] */
	const char *user; /* NULL: the netrc file's login for the host, if any */
	const char *password;
	enum mail_tls tls; /* for smtp:// (smtps:// is TLS from the start) */
	long timeout;      /* seconds for the whole exchange */
	long connect_timeout;
	const char *netrc;   /* a netrc file instead of ~/.netrc, or NULL */
	const char *ca_file; /* CA certificates (PEM) to verify the server with, or NULL */
	const char *ca_path; /* a folder of them (c_rehash), or NULL */
};

/* Non-zero when mail_send() would send a login in clear (smtp:// and
 * MAIL_TLS_NEVER with a login): the caller warns on every send. */
int mail_login_in_clear(const struct mail_smtp *o);

/*
 * Sends msg from the envelope address of `from` to each mailbox of `to`.
 * Returns 0 once the server accepted it, else -1 with err saying what the
 * server or the connection said ("SMTP smtp://host: ...").
 */
int mail_send(const struct mail_smtp *o, const char *from, const char *const *to, size_t nto,
              const char *msg, size_t len, char *err);

#endif
