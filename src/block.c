/* SPDX-License-Identifier: MIT */
#include "block.h"

#include <sys/auxv.h>

struct block_list blocks;

static uint64_t seal_key;

/* The key is read lazily from AT_RANDOM: 16 bytes the kernel put on the
 * initial stack for exactly this kind of use; getauxval() makes no syscall. */
static uint64_t key(void)
{
	if (seal_key == 0) {
		const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
		uint64_t k = 0x6a09e667f3bcc909ULL;

		if (r)
			memcpy(&k, r + 8, sizeof(k));
		seal_key = k | 1;
	}
	return seal_key;
}

uint32_t block_seal_for(const struct block_meta *b)
{
	uint64_t x = ((uint64_t)(uintptr_t)b ^ key()) * 0x9e3779b97f4a7c15ULL;

	return (uint32_t)(x >> 32) & ~SEAL_FILING_MASK;
}

void blist_insert_after(struct block_meta *pos, struct block_meta *b)
{
	struct block_meta *next = pos ? pos->next : blocks.head;

	b->prev = pos;
	b->next = next;
	if (pos)
		pos->next = b;
	else
		blocks.head = b;
	if (next)
		next->prev = b;
	else
		blocks.tail = b;
}

void blist_remove(struct block_meta *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		blocks.head = b->next;
	if (b->next)
		b->next->prev = b->prev;
	else
		blocks.tail = b->prev;
	b->prev = NULL;
	b->next = NULL;
}
