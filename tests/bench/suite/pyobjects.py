# SPDX-License-Identifier: MIT
"""pyobjects.py - an object-heavy Python program, run with PYTHONMALLOC=malloc
so that every object Python creates comes from malloc (the preloaded one).

    python3 pyobjects.py [SCALE]     (SCALE defaults to $BENCH_SCALE or 1.0)

What it does, each step deterministic (random.Random(seed)):
1. builds a list of small records (class instances with a dict, tuples,
   strings, ints), then an index dict from key string to record;
2. builds a binary search tree of nodes from shuffled keys and walks it;
3. groups records into lists per bucket, sorts every bucket, joins strings;
4. a JSON round trip of the records (large strings and many small objects);
5. drops everything in random order (churn of frees while other objects live).

Checks (each computed two independent ways, not copied from a run):
- the sum of the records' values equals the closed form of how they were made;
- the tree's in-order walk equals sorted(keys);
- each bucket is sorted and the buckets partition the records;
- the JSON round trip reproduces the records exactly.
The last line is "ok pyobjects ..." or the script exits 1 with "FAIL ...".
"""
import json
import os
import random
import sys


class Record:
    def __init__(self, i, key, tags):
        self.i = i
        self.key = key
        self.value = i * 7 + 3
        self.tags = tags
        self.extra = {"k": key, "len": len(key)}


class Node:
    __slots__ = ("key", "left", "right")

    def __init__(self, key):
        self.key = key
        self.left = None
        self.right = None


def fail(msg):
    print("FAIL pyobjects: " + msg)
    sys.exit(1)


def tree_insert(root, key):
    if root is None:
        return Node(key)
    node = root
    while True:
        if key < node.key:
            if node.left is None:
                node.left = Node(key)
                return root
            node = node.left
        else:
            if node.right is None:
                node.right = Node(key)
                return root
            node = node.right


def tree_walk(root):
    out, stack, node = [], [], root
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        out.append(node.key)
        node = node.right
    return out


def one_pass(rng, n, pass_no):
    records = [Record(i, "k%07d-%d" % (rng.randrange(10 ** 7), i), tuple(range(i % 5)))
               for i in range(n)]
    index = {r.key: r for r in records}
    if len(index) != n:
        fail("duplicate keys")
    # value = 7i + 3, so the sum over i < n is 7 n (n - 1) / 2 + 3 n
    if sum(r.value for r in records) != 7 * n * (n - 1) // 2 + 3 * n:
        fail("record values do not add up")

    keys = list(index)
    rng.shuffle(keys)
    root = None
    for k in keys:
        root = tree_insert(root, k)
    if tree_walk(root) != sorted(keys):
        fail("tree walk is not the sorted key list")

    buckets = {}
    for r in records:
        buckets.setdefault(r.i % 97, []).append((r.key, r.value, str(r.value)))
    total = 0
    for b in buckets.values():
        b.sort()
        if any(b[j][0] > b[j + 1][0] for j in range(len(b) - 1)):
            fail("a bucket is not sorted")
        total += len(b)
        "|".join(t[2] for t in b)
    if total != n:
        fail("buckets hold %d records, not %d" % (total, n))

    doc = [{"i": r.i, "key": r.key, "tags": list(r.tags), "extra": r.extra} for r in records]
    text = json.dumps(doc)
    back = json.loads(text)
    if back != doc:
        fail("JSON round trip differs")

    # free in random order while the rest lives on
    del root, back, text, doc, buckets
    order = list(range(n))
    rng.shuffle(order)
    for i in order:
        records[i] = None
    return len(index) + pass_no


def main():
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else float(os.environ.get("BENCH_SCALE", "1"))
    rng = random.Random(8000)
    n = max(100, int(16000 * scale))
    passes = 5
    done = sum(one_pass(rng, n, p) for p in range(passes))
    # one_pass returns n + pass_no: the sum over passes is n * passes + 0+1+...+(passes-1)
    if done != n * passes + passes * (passes - 1) // 2:
        fail("passes did not all complete")
    print("ok pyobjects records=%d passes=%d" % (n, passes))


main()
