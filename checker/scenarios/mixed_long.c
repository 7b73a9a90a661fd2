/*
 * mixed_long: one long program mixing every path.  Offsets are from H;
 * "[o] s" is the block whose header is at o with size s; R is the free rest.
 *
 *  1 a = os_calloc(3, 40)   120 bytes, heap, first use: brk(NULL),
 *                           brk(H+0x20000).  [0] 120 -> H+0x20; R = [152] 130888
 *  2 b = os_malloc(5000)    [152] 5000 -> H+0xb8; R = [5184] 125856
 *  3 m = os_malloc(300000)  mmap 300032 -> M1
 *  4 c = os_realloc(NULL, 1000)  [5184] -> H+0x1460; R = [6216] 124824
 *  5 d = os_calloc(1, 5000) 32 + 5000 >= 4096: mmap 5032 -> M2
 *  6 os_free(b)             [152] 5000 free
 *  7 e = os_malloc(4000)    best fit 5000 (< R); leftover 1000: split ->
 *                           H+0xb8; free [4184] 968 (payload H+0x1078)
 *  8 a = os_realloc(a, 200) next (e) allocated, not last: move.  Best fit
 *                           968, leftover 768: split -> H+0x1078 (size 200);
 *                           free [4416] 736 (payload H+0x1160); old [0] freed
 *  9 f = os_malloc(100)     A = 104: best fit [0] 120, leftover 16: no split
 *                           -> H+0x20 (size 120)
 * 10 m = os_realloc(m, 1000) mapped: moves.  Heap: best fit R -> [6216]
 *                           payload H+0x1868; R = [7248] 123792; then
 *                           munmap(M1, 300032)
 * 11 os_free(c)             [5184] 1000 free, right after [4416] 736
 * 12 g = os_malloc(1700)    A = 1704.  Coalesce [4416] + [5184] -> 736 + 32 +
 *                           1000 = 1768.  Leftover 64: split -> H+0x1160;
 *                           free [6152] 32 (payload H+0x1828)
 * 13 os_free(d)             munmap(M2, 5032)
 * 14 m = os_realloc(m, 1032) grow: absorb R: 1000 + 32 + 123792 = 124824;
 *                           leftover 123792: split -> in place (size 1032);
 *                           R = [7280] 123760
 * 15 h = os_calloc(1, 4056) heap (4088 < 4096); best fit R (the 32 block is
 *                           too small) -> H+0x1c90; R = [11368] 119672
 * 16 i = os_malloc(119672)  R exactly -> H+0x2c88; the heap is full
 * 17 j = os_malloc(24)      the free [6152] 32, leftover 8: no split ->
 *                           H+0x1828 (size 32)
 * 18 k = os_malloc(16)      nothing free; last (i) allocated: append, + 48:
 *                           brk(H+0x20030) -> H+0x20020
 * 19 k = os_realloc(k, 4000) last block: grow by 3984: brk(H+0x20fc0)
 * 20 os_free(i), 21 os_free(h)  [11368] and [7280] free, adjacent, after m
 * 22 m = os_realloc(m, 60000)  absorb h: 1032 + 32 + 4056 = 5120; absorb i:
 *                           5120 + 32 + 119672 = 124824 >= 60000.  Leftover
 *                           64824: split -> in place (size 60000); free
 *                           [66248] 64792 (payload H+0x102e8), ends at
 *                           131072 where k starts
 * 23 n = os_malloc(64800)   best fit: none (64792); last (k) allocated:
 *                           append, + 64832: brk(H+0x30d00) -> H+0x20fe0
 * 24 os_free(k)
 * 25 o = os_malloc(68824)   coalesce [66248] + k: 64792 + 32 + 4000 = 68824,
 *                           exact -> H+0x102e8
 * 26 os_free(n)             the last block is free (64800)
 * 27 p = os_malloc(70000)   best fit: none; grow the free last block by
 *                           5200: brk(H+0x32150) -> H+0x20fe0
 * 28 q = os_calloc(5, 800)  4000: heap; nothing free, last allocated:
 *                           append, + 4032: brk(H+0x33110) -> H+0x32170
 * 29 os_free(f), os_free(e), os_free(a)  [0] 120, [152] 4000, [4184] 200
 * 30 r = os_realloc(NULL, 4300)  A = 4304.  Coalesce: 120 + 32 + 4000 + 32 +
 *                           200 = 4384 at [0]; leftover 80: split -> H+0x20;
 *                           free [4336] 48 (payload H+0x1110)
 * 31 s = os_malloc(131033)  mmap 131072 -> M3; 32 os_free(s): munmap(M3, 131072)
 */
#include "scenario.h"

int main(void)
{
	void *a, *b, *c, *d, *e, *f, *g, *h, *i, *k, *m, *n, *r;

	a = t_calloc(3, 40);
	b = t_malloc(5000);
	m = t_malloc(300000);
	c = t_realloc(NULL, 1000);
	d = t_calloc(1, 5000);
	t_free(b);
	e = t_malloc(4000);
	a = t_realloc(a, 200);
	f = t_malloc(100);
	m = t_realloc(m, 1000);
	t_free(c);
	g = t_malloc(1700);
	(void)g;
	t_free(d);
	m = t_realloc(m, 1032);
	h = t_calloc(1, 4056);
	i = t_malloc(119672);
	t_malloc(24);
	k = t_malloc(16);
	k = t_realloc(k, 4000);
	t_free(i);
	t_free(h);
	m = t_realloc(m, 60000);
	note_block(next_payload(m));
	n = t_malloc(64800);
	t_free(k);
	t_malloc(68824);
	t_free(n);
	t_malloc(70000);
	t_calloc(5, 800);
	t_free(f);
	t_free(e);
	t_free(a);
	r = t_realloc(NULL, 4300);
	note_block(next_payload(r));
	t_free(t_malloc(131033));
	return 0;
}
