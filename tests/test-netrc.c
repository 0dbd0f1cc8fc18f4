/*
 * test-netrc.c - util/netrc.c: which login a host gets from a netrc file,
 * whether the file holds a password, and the warning for a file others can
 * read (tests/test-secrets.py checks them through the binary).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util/netrc.h"
#include "util/xmalloc.h"

static char *path;

static void put(const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static void check_lookup(const char *text, const char *host, int want, const char *wlogin,
                         const char *wpassword)
{
	char *login, *password, what[300];
	int got;

	put(text);
	got = netrc_lookup(path, host, &login, &password);
	CHECK(got == want, "lookup %s in [%s]: got %d", host, text, got);
	snprintf(what, sizeof what, "login of %s in [%s]", host, text);
	CHECK_STR(login, wlogin, what);
	snprintf(what, sizeof what, "password of %s in [%s]", host, text);
	CHECK_STR(password, wpassword, what);
	free(login);
	free(password);
}

int main(void)
{
	const char *tmp = getenv("TESTS_BUILDDIR");
	char *w;

	path = xasprintf("%s/test-netrc.%ld", tmp ? tmp : "/tmp", (long)getpid());
	check_lookup("machine a.example login u password p\n", "a.example", 1, "u", "p");
	check_lookup("machine a.example login u password p\n", "A.Example", 1, "u", "p");
	check_lookup("machine a.example login u password p\n", "b.example", 0, NULL, NULL);
	check_lookup("machine a login x password y\nmachine b\n  login \"s p\\\"c\"\n"
	             "  password \"q r\"\n",
	             "b", 1, "s p\"c", "q r");
	check_lookup("machine a login u password p\ndefault login anonymous password me\n", "z", 1,
	             "anonymous", "me");
	check_lookup("machine a password machine login b\nmachine b login c\n", "b", 1, "c", NULL);
	check_lookup("macdef init\nmachine b login evil\n\nmachine b login good\n", "b", 1, "good",
	             NULL);
	check_lookup("", "a", 0, NULL, NULL);

	put("machine a login u password p\n");
	CHECK(netrc_has_password(path), "a password");
	put("machine a login password\n");
	CHECK(!netrc_has_password(path), "a login spelt 'password' is not one");
	CHECK(!netrc_has_password("/nonexistent/netrc"), "no file, no password");

	chmod(path, 0600);
	CHECK(netrc_guard_warning(path) == NULL, "0600: no warning");
	chmod(path, 0640);
	w = netrc_guard_warning(path);
	CHECK(w && strstr(w, "its group") && strstr(w, "chmod 600 "), "0640: %s", w ? w : "none");
	free(w);
	chmod(path, 0604);
	w = netrc_guard_warning(path);
	CHECK(w && strstr(w, "every user") && strstr(w, path), "0604: %s", w ? w : "none");
	free(w);
	unlink(path);
	free(path);
	return tap_done();
}
