/* SPDX-License-Identifier: MIT */
/*
 * cunit.h - what the drop-in's CUnit programs share: CHECK, an assertion
 * whose failure message says why, and the runner that ends with the line
 * "N passed, M failed" (tests) that make check counts.
 */
#ifndef OSMEM_DROPIN_CUNIT_H
#define OSMEM_DROPIN_CUNIT_H

#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

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

/* Run the suites verbosely; the exit status for main. */
static inline int run_suites(CU_SuiteInfo *suites)
{
	unsigned int run, failed, suites_failed;

	if (CU_initialize_registry() != CUE_SUCCESS || CU_register_suites(suites) != CUE_SUCCESS) {
		fprintf(stderr, "cannot set up CUnit: %s\n", CU_get_error_msg());
		printf("0 passed, 1 failed\n");
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	suites_failed = CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	printf("\n%u passed, %u failed\n", run - failed, failed + suites_failed);
	return failed + suites_failed ? 1 : 0;
}

#endif /* OSMEM_DROPIN_CUNIT_H */
