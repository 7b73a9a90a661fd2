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
#include "../cunit_main.h"
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
	return cunit_main(suites, argc, argv);
}
