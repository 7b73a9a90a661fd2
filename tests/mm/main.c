/* SPDX-License-Identifier: MIT */
/*
 * main.c - the page-family suites (osmem_mm.h), run with CUnit's basic
 * interface; the last line is "N passed, M failed" for tests/check.sh.
 *
 *   families ... registration and every error case     test_families.c
 *   blocks ..... placement, zeroing, coalescing, page   test_blocks.c
 *                release, fallback, refused pointers
 *   reports .... the reports' exact text               test_reports.c
 *   threads .... shared families, fork                 test_threads.c
 */
#include <CUnit/Basic.h>
#include <stdio.h>

#include "mm_test.h"

extern CU_TestInfo families_tests[], blocks_tests[], reports_tests[], threads_tests[];

#define SUITE(name) { #name, NULL, NULL, mm_setup, mm_teardown, name##_tests }

static CU_SuiteInfo suites[] = {
	SUITE(families),
	SUITE(blocks),
	SUITE(reports),
	SUITE(threads),
	CU_SUITE_INFO_NULL,
};

/* `mm [SUITE]`: every suite, or only the named one (threads under helgrind). */
int main(int argc, char **argv)
{
	unsigned int run, failed, suites_failed;
	CU_pSuite only = NULL;

	if (CU_initialize_registry() != CUE_SUCCESS || CU_register_suites(suites) != CUE_SUCCESS) {
		fprintf(stderr, "cannot set up CUnit: %s\n", CU_get_error_msg());
		printf("0 passed, 1 failed\n");
		return 1;
	}
	if (argc > 1 && !(only = CU_get_suite(argv[1]))) {
		fprintf(stderr, "no suite named %s\n", argv[1]);
		printf("0 passed, 1 failed\n");
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (only)
		CU_basic_run_suite(only);
	else
		CU_basic_run_tests();
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	suites_failed = CU_get_number_of_suites_failed();   /* counted as one failure each */
	CU_cleanup_registry();
	printf("\n%u passed, %u failed\n", run - failed, failed + suites_failed);
	return failed + suites_failed ? 1 : 0;
}
