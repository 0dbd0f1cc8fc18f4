/*
 * rusage.c - run one command and report what it cost, for bench/run.py.
 *
 * usage: rusage OUTFILE COMMAND [ARGS...]
 * Forks, execs COMMAND, waits, and writes "WALL USER SYS MAXRSS_KB STATUS"
 * to OUTFILE (seconds; STATUS is the exit code, or 128+signal). The peak
 * RSS has to be measured from here: a child forked straight from Python
 * inherits the Python process's RSS high-water mark, so its ru_maxrss
 * never reads below ~20 MB whatever the command really used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0;
	int status, code;
	pid_t pid;
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: rusage OUTFILE COMMAND [ARGS...]\n");
		return 125;
	}
	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("rusage: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("rusage: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("rusage: wait4");
		return 125;
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fp = fopen(argv[1], "w");
	if (fp == NULL) {
		perror("rusage: output file");
		return 125;
	}
	fprintf(fp, "%.6f %ld.%06ld %ld.%06ld %ld %d\n", now() - t0, (long)ru.ru_utime.tv_sec,
		(long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec,
		ru.ru_maxrss, code);
	fclose(fp);
	return code;
}
