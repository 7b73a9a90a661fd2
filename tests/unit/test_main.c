/* SPDX-License-Identifier: MIT */
/*
 * test_main.c - the runner: every suite, CUnit's basic interface, then the
 * closing line "N passed, M failed" (tests) that tests/check.sh reads.
 *
 * Where each part of docs/CONTRACT.md is tested:
 *   1 layout ........................ test_layout.c
 *   2 which path: malloc, free ...... test_paths.c
 *     calloc ........................ test_calloc.c
 *     realloc ....................... test_realloc.c (5.4, 5.5)
 *   3 the heap, steps 4.4 and 4.5 ... test_heap_growth.c
 *   4.1 coalescing .................. test_coalesce.c
 *   4.2-4.3 best fit, split ......... test_bestfit_split.c (and the worked example)
 *   5 realloc ....................... test_realloc.c
 *   6 overflow, free(NULL) .......... test_errors.c
 *     failed sbrk/mmap .............. test_oom.c
 * Beyond the contract (osmem.h, DESIGN.md): bad pointers (test_badinput.c),
 * other break movers (test_foreign_brk.c), threads (test_threads.c).
 * Shared helpers: osmem_test.h, helpers.c, and trace.c, which intercepts
 * sbrk/mmap/munmap to see their arguments.
 */
#include "../cunit_main.h"
#include "osmem_test.h"

extern CU_TestInfo layout_tests[], paths_tests[], calloc_tests[], heap_growth_tests[],
	bestfit_split_tests[], coalesce_tests[], realloc_tests[], errors_tests[], oom_tests[],
	badinput_tests[], foreign_brk_tests[], threads_tests[];

/* Every test starts from a reset allocator: see h_setup(). */
#define SUITE(name) { #name, NULL, NULL, h_setup, h_teardown, name##_tests }

static CU_SuiteInfo suites[] = {
	SUITE(layout),
	SUITE(paths),
	SUITE(calloc),
	SUITE(heap_growth),
	SUITE(bestfit_split),
	SUITE(coalesce),
	SUITE(realloc),
	SUITE(errors),
	SUITE(oom),
	SUITE(badinput),
	SUITE(foreign_brk),
	SUITE(threads),
	CU_SUITE_INFO_NULL,
};

/* `unit [SUITE]`: every suite, or only the named one (e.g. `unit threads`
 * under helgrind). */
int main(int argc, char **argv)
{
	return cunit_main(suites, argc, argv);
}
