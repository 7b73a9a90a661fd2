/*
 * overflow_sizes: any size computation that overflows returns NULL with
 * errno = ENOMEM and makes no syscall (section 6).  SIZE_MAX = 2^64 - 1.
 *
 *   os_malloc(SIZE_MAX)         rounding up to 8 overflows
 *   os_malloc(SIZE_MAX - 7)     A = 2^64 - 8; 32 + A overflows
 *   os_malloc(SIZE_MAX - 31)    A = 2^64 - 32; 32 + A = 2^64 overflows
 *   os_calloc(SIZE_MAX, 2)      nmemb * size overflows
 *   os_calloc(2^32, 2^32)       nmemb * size = 2^64 overflows
 *   os_calloc(2, SIZE_MAX / 2)  2^64 - 2: rounding up overflows
 *   os_realloc(NULL, SIZE_MAX)  = os_malloc(SIZE_MAX)
 * Each: NULL, errno ENOMEM, no syscall (not even the preallocation).
 *   os_malloc(100)              the first heap use: brk(NULL),
 *                               brk(H+0x20000) -> H+0x20 (size 104)
 *   os_realloc(H+0x20, SIZE_MAX)       NULL, ENOMEM, no syscall
 *   os_realloc(H+0x20, SIZE_MAX - 31)  NULL, ENOMEM, no syscall
 *   note H+0x20                 size 104, alloc: left intact
 */
#include "scenario.h"

#define TWO_32 ((size_t)1 << 32)

static void expect_enomem(void *result)
{
	(void)result;
	note_errno();
}

int main(void)
{
	void *p;

	expect_enomem(t_malloc(SIZE_MAX));
	expect_enomem(t_malloc(SIZE_MAX - 7));
	expect_enomem(t_malloc(SIZE_MAX - 31));
	expect_enomem(t_calloc(SIZE_MAX, 2));
	expect_enomem(t_calloc(TWO_32, TWO_32));
	expect_enomem(t_calloc(2, SIZE_MAX / 2));
	expect_enomem(t_realloc(NULL, SIZE_MAX));
	p = t_malloc(100);
	expect_enomem(t_realloc(p, SIZE_MAX));
	expect_enomem(t_realloc(p, SIZE_MAX - 31));
	note_block(p);
	return 0;
}
