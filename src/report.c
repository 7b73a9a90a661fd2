/* SPDX-License-Identifier: MIT */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fmt.h"

bool env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && strcmp(v, "0") != 0 && v[0] != '\0';
}

/* Read at each report, not cached: reports are rare, and tests flip it. */
static int abort_on_error(void)
{
	return OSMEM_ABORT_ON_MISUSE || env_flag("OSMEM_ABORT_ON_ERROR");
}

void report_bad_pointer(const char *func, const char *problem, const void *ptr)
{
	char line[160];
	struct fmt_buf f = FMT_BUF_INIT(line);

	fmt_str(&f, "osmem: ");
	fmt_str(&f, func);
	fmt_str(&f, ": ");
	fmt_str(&f, problem);
	fmt_str(&f, " ");
	fmt_hex(&f, (uintptr_t)ptr);
	fmt_str(&f, "\n");
	fmt_write(STDERR_FILENO, &f);
	if (abort_on_error())
		abort();
}
