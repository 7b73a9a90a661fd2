/* SPDX-License-Identifier: MIT */
/*
 * prodcons.c - producer/consumer: every free is cross-thread.
 *
 * Two threads, each both a producer and a consumer: thread A mallocs messages
 * (16..512 bytes) and queues them to B, B verifies and frees them, and the
 * other way round at the same time.  The queues are single-producer
 * single-consumer rings of pointers (C11 atomics), so the only shared state
 * besides them is the allocator: a message is always freed by the thread that
 * did not allocate it.
 *
 * Checks: each message carries a pattern (verified before free) and its
 * sequence number; the consumer must see 0, 1, 2, ... in order, and the sum of
 * the sizes consumed must equal the sum produced.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "common.h"

#define NAME "prodcons"
#define RING 1024u              /* power of two */
#define BATCH 64u               /* messages produced before consuming */
#define MIN_SZ 16
#define MAX_SZ 512

struct msg {
	uint64_t seq;
	size_t size;
	/* pattern follows in the rest of the block */
};

struct ring {
	_Atomic size_t head;   /* next slot to read (consumer) */
	char pad1[64];
	_Atomic size_t tail;   /* next slot to write (producer) */
	char pad2[64];
	void *slots[RING];
};

static struct ring rings[2];    /* rings[t]: messages to thread t */
static size_t per_thread;

struct side {
	int id;
	struct rng rng;
	size_t produced_bytes, consumed_bytes;
};

/* producer side only: whether a push would fail (the consumer only frees
 * room, so a push right after "not full" succeeds) */
static int ring_full(struct ring *r)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	return tail - atomic_load_explicit(&r->head, memory_order_acquire) == RING;
}

static void ring_push(struct ring *r, void *p)
{
	size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	r->slots[tail % RING] = p;
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
}

static void *ring_pop(struct ring *r)
{
	size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (head == atomic_load_explicit(&r->tail, memory_order_acquire))
		return NULL;
	void *p = r->slots[head % RING];
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return p;
}

/* the message's tag: unique per (sender, seq) */
static uint64_t msg_tag(int sender, uint64_t seq)
{
	return seq * 2 + (uint64_t)sender + 1;
}

static void consume(struct side *s, struct msg *m, uint64_t *expect_seq)
{
	int sender = 1 - s->id;
	if (m->seq != *expect_seq)
		bench_fail(NAME, "thread %d got message %llu, expected %llu", s->id,
			(unsigned long long)m->seq, (unsigned long long)*expect_seq);
	unsigned char *body = (unsigned char *)(m + 1);
	size_t body_size = m->size - sizeof(*m);
	if (!obj_intact(body, body_size, msg_tag(sender, m->seq)))
		bench_fail(NAME, "message %llu (%zu bytes) was overwritten",
			(unsigned long long)m->seq, m->size);
	s->consumed_bytes += m->size;
	(*expect_seq)++;
	free(m);
}

static void *run_side(void *arg)
{
	struct side *s = arg;
	struct ring *out = &rings[1 - s->id], *in = &rings[s->id];
	uint64_t sent = 0, received = 0;
	while (sent < per_thread || received < per_thread) {
		int progress = 0;
		/* check for room first, so that the size stream stays the seed's
		 * whatever the timing */
		for (unsigned b = 0; b < BATCH && sent < per_thread && !ring_full(out); b++) {
			size_t size = rng_range(&s->rng, MIN_SZ, MAX_SZ);
			struct msg *m = malloc(size);
			BENCH_ALLOC_OR_FAIL(NAME, m, size);
			m->seq = sent;
			m->size = size;
			obj_fill(m + 1, size - sizeof(*m), msg_tag(s->id, sent));
			ring_push(out, m);
			s->produced_bytes += size;
			sent++;
			progress = 1;
		}
		struct msg *m;
		for (unsigned b = 0; b < BATCH && (m = ring_pop(in)); b++) {
			consume(s, m, &received);
			progress = 1;
		}
		if (!progress)
			sched_yield();    /* 2 cores shared with other programs: don't spin */
	}
	return NULL;
}

int main(void)
{
	per_thread = bench_scaled(4000000);
	struct side sides[2];
	pthread_t tids[2];
	for (int t = 0; t < 2; t++) {
		sides[t] = (struct side){ .id = t };
		rng_seed(&sides[t].rng, 2000 + (uint64_t)t);
	}
	for (int t = 0; t < 2; t++)
		if (pthread_create(&tids[t], NULL, run_side, &sides[t]) != 0)
			bench_fail(NAME, "pthread_create failed");
	for (int t = 0; t < 2; t++)
		pthread_join(tids[t], NULL);
	for (int t = 0; t < 2; t++)
		if (sides[t].produced_bytes != sides[1 - t].consumed_bytes)
			bench_fail(NAME, "thread %d produced %zu bytes, thread %d consumed %zu", t,
				sides[t].produced_bytes, 1 - t, sides[1 - t].consumed_bytes);
	printf("ok " NAME " messages=%zu\n", 2 * per_thread);
	return 0;
}
