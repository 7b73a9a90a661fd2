/* SPDX-License-Identifier: MIT */
/*
 * replay.h - replay one record of a linked trace through an allocator.
 *
 * replay.c is compiled once per API: plain (the libc malloc family: glibc,
 * or osmem's drop-in under LD_PRELOAD) and with -DREPLAY_STRICT (osmem's
 * os_* API, build/libosmem.a; aligned requests become plain os_malloc).
 */
#ifndef OSMEM_REPLAY_H
#define OSMEM_REPLAY_H

#include "trace-file.h"

/* Replay record i; live[] holds one pointer per record (what replaying that
 * record returned, kept current across reallocs).  Returns what the call
 * returned (NULL for free). */
void *replay_record(const struct trace_file *t, size_t i, void **live);

/* The API replay_record calls, for summaries: "libc" or "os_*". */
extern const char replay_api[];

#endif /* OSMEM_REPLAY_H */
