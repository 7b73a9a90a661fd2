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
#include "cucheck.h"          /* CHECK, EXPECT_ABORT */

#endif /* OSMEM_DROPIN_CUNIT_H */
