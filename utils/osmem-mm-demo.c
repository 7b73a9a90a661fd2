/* SPDX-License-Identifier: MIT */
/*
 * osmem-mm-demo: typed allocation with page families (osmem_mm.h).
 *
 * Registers two structs (and one too large for a page), allocates and frees
 * a few thousand objects, and prints the library's reports along the way.
 * stdout is unbuffered so that the demo's own lines and the reports (which
 * the library writes straight to file descriptor 1) come out in order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "osmem_mm.h"

typedef struct emp_t {
	char name[32];
	unsigned int emp_id;
	unsigned int age;
	struct emp_t *mgr;
	float salary;
} emp_t;

typedef struct student_t {
	char name[64];
	unsigned int rollno;
	unsigned int marks[3];
	struct student_t *next;
} student_t;

typedef struct thesis_t {   /* larger than a page: the general allocator serves it */
	char title[256];
	char text[8192];
} thesis_t;

#define EMPS     3000
#define STUDENTS 2000

static emp_t *emps[EMPS];
static student_t *students[STUDENTS];

static void step(const char *what)
{
	printf("\n== %s\n", what);
}

int main(void)
{
	student_t *class_list;
	thesis_t *thesis;

	setvbuf(stdout, NULL, _IONBF, 0);
	mm_init();
	step("register emp_t, student_t and thesis_t");
	MM_REG_STRUCT(emp_t);
	MM_REG_STRUCT(student_t);
	MM_REG_STRUCT(thesis_t);
	mm_print_registered_page_families();

	step("registering emp_t again is refused (one line on stderr)");
	if (MM_REG_STRUCT(emp_t) == -1)
		printf("mm_instantiate_new_page_family returned -1, errno %s\n",
		       errno == EEXIST ? "EEXIST" : strerror(errno));

	step("allocate 3000 emp_t and 2000 student_t one by one, an array of 50 student_t, a thesis_t");
	for (int i = 0; i < EMPS; i++) {
		emps[i] = XCALLOC(1, emp_t);
		emps[i]->emp_id = (unsigned int)i;
	}
	for (int i = 0; i < STUDENTS; i++)
		students[i] = XCALLOC(1, student_t);
	class_list = XCALLOC(50, student_t);   /* 50 * 88 bytes: more than a page holds */
	thesis = XCALLOC(1, thesis_t);
	mm_print_memory_usage(NULL);

	step("free every second emp_t and the first 1500 student_t");
	for (int i = 0; i < EMPS; i += 2)
		XFREE(emps[i]);
	for (int i = 0; i < 1500; i++)
		XFREE(students[i]);
	mm_print_memory_usage(NULL);
	mm_print_block_usage();

	step("free the rest: every page goes back to the system");
	for (int i = 1; i < EMPS; i += 2)
		XFREE(emps[i]);
	for (int i = 1500; i < STUDENTS; i++)
		XFREE(students[i]);
	XFREE(class_list);
	XFREE(thesis);
	mm_print_memory_usage(NULL);
	return 0;
}
