/*
 * malloc_best_fit_ties: among free blocks of equal size the lowest address
 * wins, for small sizes and for sizes above 4096 alike; 4096 and 4104 are
 * told apart exactly (section 4 step 2).
 *
 * Setup: make_holes with sizes 5000, 4104, 4096, 5000, 4096, 168, 168, each
 * followed by an 8-byte guard (40 bytes), then the seven are freed:
 *   size   block at  payload          guard payload
 *   5000   0         H+0x20           H+0x13c8
 *   4104   5072      H+0x13f0         H+0x2418
 *   4096   9248      H+0x2440         H+0x3460
 *   5000   13416     H+0x3488         H+0x4830
 *   4096   18488     H+0x4858         H+0x5878
 *   168    22656     H+0x58a0         H+0x5968
 *   168    22896     H+0x5990         H+0x5a58
 *   rest   23136     H+0x5a80, size 131072 - 23136 - 32 = 107904
 *
 *   os_malloc(4096)  two 4096 blocks: the lower -> H+0x2440 (exact)
 *   os_malloc(4096)  -> H+0x4858
 *   os_malloc(4097)  A = 4104: the 4104 block (smaller than 5000) -> H+0x13f0
 *   os_malloc(4000)  smallest >= 4000: two 5000 blocks, the lower at H+0x20;
 *                    leftover 1000: split -> H+0x20 (size 4000); free block
 *                    payload 32 + 4000 + 32 = 4064 = H+0xfe0, size 968
 *   os_malloc(5000)  the other 5000 block -> H+0x3488
 *   os_malloc(160)   A = 160: two 168 blocks (before 968): the lower,
 *                    leftover 8: no split -> H+0x58a0 (size 168)
 *   os_malloc(160)   -> H+0x5990 (size 168)
 *   os_malloc(160)   smallest now 968: leftover 808: split -> H+0xfe0 (size
 *                    160); free payload 4064 + 160 + 32 = 4256 = H+0x10a0,
 *                    size 776
 * No syscall after the preallocation.
 */
#include "scenario.h"

static const size_t holes_sizes[] = { 5000, 4104, 4096, 5000, 4096, 168, 168 };
static const size_t requests[] = { 4096, 4096, 4097, 4000, 5000, 160, 160, 160 };

int main(void)
{
	void *holes[ARRAY_LEN(holes_sizes)];

	make_holes(t_malloc, holes_sizes, ARRAY_LEN(holes_sizes), holes);
	note_block(next_payload(malloc_each(requests, ARRAY_LEN(requests))));
	return 0;
}
