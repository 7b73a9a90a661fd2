/* SPDX-License-Identifier: MIT */
/*
 * cunit.h - what the drop-in's CUnit programs share: CHECK, an assertion
 * whose failure message says why, and (from ../cunit_main.h) the runner
 * that ends with the line "N passed, M failed" that make check counts.
 */
#ifndef OSMEM_DROPIN_CUNIT_H
#define OSMEM_DROPIN_CUNIT_H

#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "../cunit_main.h"   /* cunit_main(): the runner */

static inline bool check_at(const char *file, unsigned int line, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline bool check_at(const char *file, unsigned int line, bool ok, const char *fmt, ...)
{
	char msg[512] = "";

	if (!ok) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
	return ok;
}

/* CHECK(cond, fmt, ...): a CUnit assertion whose failure message says why. */
#define CHECK(cond, ...) check_at(__FILE__, __LINE__, (cond), __VA_ARGS__)

#endif /* OSMEM_DROPIN_CUNIT_H */
