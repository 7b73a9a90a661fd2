/* SPDX-License-Identifier: MIT */
/*
 * cunit_main.h - the runner shared by the CUnit programs (tests/unit, tests/mm).
 *
 * `PROGRAM [SUITE]` runs every suite, or only the named one (e.g. the thread
 * suite under helgrind), with CUnit's basic interface, then prints the closing
 * line "N passed, M failed" (tests) that tests/check.sh reads.  A suite whose
 * setup or teardown failed counts as one failure.
 */
#ifndef OSMEM_CUNIT_MAIN_H
#define OSMEM_CUNIT_MAIN_H

#include <CUnit/Basic.h>
#include <stdio.h>

static inline int cunit_main(CU_SuiteInfo *suites, int argc, char **argv)
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
	suites_failed = CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	printf("\n%u passed, %u failed\n", run - failed, failed + suites_failed);
	return failed + suites_failed ? 1 : 0;
}

#endif /* OSMEM_CUNIT_MAIN_H */
