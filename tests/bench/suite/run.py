# SPDX-License-Identifier: MIT
"""run.py - the benchmark suite's runner (make bench-suite, bench-smoke).

    python3 tests/bench/suite/run.py            the full suite: docs/bench.md, docs/bench.png
    python3 tests/bench/suite/run.py --smoke    every workload once, small, under glibc and
                                                osmem (plus the self-check test below);
                                                ends with "N passed, M failed"

Allocators: glibc (nothing preloaded), osmem (build/libosmalloc.so), and
jemalloc, mimalloc, tcmalloc when their Debian packages are installed; when
one is missing and we are root, it is installed with apt-get first
(BENCH_INSTALL=0 turns that off).  The .so paths come from dpkg -L.

Method: each workload is one process started by build/bench/suite/measure
(wall time, and peak RSS from wait4's ru_maxrss), with the allocator
preloaded.  Runs are interleaved: for each round, for each workload, every
allocator in turn (A B C A B C ...), so slow drifts of the machine's load hit
all allocators alike.  The table shows the median over the rounds, and each
median as a ratio to glibc's median from the same invocation.  A workload
that fails in any round under an allocator (non-zero exit, signal, timeout,
or no "ok" line: the workloads check their own data) is shown as FAILED.

Environment:
  BENCH_ROUNDS=3       rounds (the median needs 3 or more)
  BENCH_QUICK=1        1 round at 1/5 size; the report goes to build/bench/quick/
  BENCH_ALLOCATORS=a,b only these (glibc is always measured: it is the reference)
  BENCH_WORKLOADS=a,b  only these workloads
  BENCH_TIMEOUT=300    seconds before one run is killed and counted FAILED
  BENCH_PAIR=0         leave out the malloc(32)/free instruction count (pair.sh)
  BENCH_INSTALL=0      never apt-get install the other allocators
"""
import datetime
import math
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SUITE = os.path.join(ROOT, "tests", "bench", "suite")
BUILD = os.path.join(ROOT, "build", "bench", "suite")
sys.path.insert(0, SUITE)
import chart  # noqa: E402  (the directory is only known at run time)

MEASURE = os.path.join(BUILD, "measure")
OSMEM_LIB = os.path.join(ROOT, "build", "libosmalloc.so")

# name, Debian package, library file inside the package
OTHER_ALLOCATORS = [
    ("jemalloc", "libjemalloc2", "libjemalloc.so.2"),
    ("mimalloc", "libmimalloc2.0", "libmimalloc.so.2"),
    ("tcmalloc", "libtcmalloc-minimal4", "libtcmalloc_minimal.so.4"),
]

# name, what it models (for the report)
WORKLOADS = [
    ("larson", "server simulation: 2 threads replace random objects of 8..1000 B; "
               "the threads swap tables each round, so objects are freed by the other thread"),
    ("prodcons", "producer/consumer: 2 threads send each other messages of 16..512 B; "
                 "every free is cross-thread"),
    ("falseshare", "false sharing: objects of 16..64 B allocated by one thread and written "
                   "by another; then freed and re-allocated by the writer"),
    ("churn", "single thread: small objects (8..256 B) replaced at random, plus bursts"),
    ("randchurn", "single thread: random sizes 8 B..64 KiB, malloc/free/realloc"),
    ("large", "single thread: blocks of 64 KiB..4 MiB, every page written, with realloc"),
    ("frag", "1.5M small objects, 90% freed in random order, then medium (0.5..4 KiB) "
             "requests; peak and final RSS"),
    ("python", "PYTHONMALLOC=malloc python3 on an object-heavy script (records, a tree, "
               "sorting, JSON)"),
    ("gcc", "gcc -O2 on a generated 300-function C file, then the program's output is checked"),
]

GCC_FUNCTIONS = 300


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- allocators -------------------------------------------------------------

def package_library(package, filename):
    """the path of FILENAME in installed Debian PACKAGE, or None"""
    try:
        out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout
    except OSError:
        return None
    for line in out.splitlines():
        if os.path.basename(line) == filename and os.path.exists(line):
            return line
    return None


def apt_install(packages):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-qq"] + packages
    if subprocess.run(cmd, env=env, capture_output=True).returncode == 0:
        return
    # the package lists may be missing or stale: refresh once and retry
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
    subprocess.run(cmd, env=env, capture_output=True)


def find_allocators(wanted):
    """[(name, preload path or None)], glibc first"""
    found = [("glibc", None), ("osmem", OSMEM_LIB)]
    others = [a for a in OTHER_ALLOCATORS if wanted is None or a[0] in wanted]
    missing = [pkg for _, pkg, lib in others if package_library(pkg, lib) is None]
    if missing and os.environ.get("BENCH_INSTALL", "1") != "0" and os.geteuid() == 0 \
            and shutil.which("apt-get"):
        log("bench: installing %s" % " ".join(missing))
        apt_install(missing)
    for name, pkg, lib in others:
        path = package_library(pkg, lib)
        if path:
            found.append((name, path))
        else:
            log("bench: %s is not installed (Debian package %s): left out" % (name, pkg))
    return [a for a in found if wanted is None or a[0] in wanted or a[0] == "glibc"]


# ---- workloads --------------------------------------------------------------

def python_interpreter():
    """a fixed interpreter (the system's if there is one), not a version-manager shim"""
    return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def workload_command(name, scale, gcc_dir):
    """(argv, extra environment) of one workload"""
    env = {"BENCH_SCALE": repr(scale)}
    if name == "python":
        env["PYTHONMALLOC"] = "malloc"
        return [python_interpreter(), os.path.join(SUITE, "pyobjects.py")], env
    if name == "gcc":
        return ["sh", os.path.join(SUITE, "gcc.sh"), gcc_dir], env
    return [os.path.join(BUILD, name)], env


def generate_gcc_input(gcc_dir, functions):
    subprocess.run([sys.executable, os.path.join(SUITE, "gen_big_c.py"), gcc_dir, str(functions)],
                   check=True)


def run_once(name, alloc_lib, scale, gcc_dir, timeout):
    """one measured run: dict(ok, why, wall, rss, final_rss)"""
    argv, extra = workload_command(name, scale, gcc_dir)
    res = {"ok": False, "why": "", "wall": None, "rss": None, "final_rss": None}
    if alloc_lib and not os.path.exists(alloc_lib):
        # ld.so would only warn and run on glibc: a silent wrong measurement
        res["why"] = "no such library: " + alloc_lib
        return res
    cmd = [MEASURE, "--timeout", str(timeout)]
    if alloc_lib:
        cmd += ["--preload", alloc_lib]
    env = dict(os.environ, **extra)
    env.pop("LD_PRELOAD", None)
    p = subprocess.run(cmd + ["--"] + argv, capture_output=True, text=True, env=env)
    lines = p.stdout.splitlines()
    m = [ln for ln in lines if ln.startswith("measure: ")]
    if p.returncode != 0 or not m:
        res["why"] = "measure failed: " + p.stderr.strip()[-200:]
        return res
    fields = dict(kv.split("=", 1) for kv in m[-1].split()[1:])
    res["wall"] = float(fields["wall_s"])
    res["rss"] = int(fields["maxrss_kib"])
    ok_lines = [ln for ln in lines if ln.startswith("ok %s" % ("pyobjects" if name == "python"
                                                               else name))]
    fail_lines = [ln for ln in lines if ln.startswith("FAIL")]
    if fields["status"] != "ok":
        res["why"] = fields["status"] + (": " + fail_lines[-1] if fail_lines else "")
        tail = p.stderr.strip().splitlines()[-1:] if p.stderr.strip() else []
        if not fail_lines and tail:
            res["why"] += ": " + tail[0][:160]
    elif not ok_lines:
        res["why"] = "exit 0 but no 'ok' line"
    else:
        res["ok"] = True
        for kv in ok_lines[-1].split()[2:]:
            if kv.startswith("final_rss_kib="):
                res["final_rss"] = int(kv.split("=", 1)[1])
    return res


def run_matrix(workloads, allocators, rounds, scale, gcc_dir, timeout, progress=True):
    """results[workload][allocator] = [run dicts], interleaved rounds"""
    results = {w: {a: [] for a, _ in allocators} for w in workloads}
    for r in range(rounds):
        for w in workloads:
            for a, lib in allocators:
                res = run_once(w, lib, scale, gcc_dir, timeout)
                results[w][a].append(res)
                if progress:
                    log("  round %d/%d %-10s %-9s %s" % (
                        r + 1, rounds, w, a,
                        "%.3f s, %.1f MiB" % (res["wall"], res["rss"] / 1024) if res["ok"]
                        else "FAILED (%s)" % res["why"]))
    return results


# ---- summary ----------------------------------------------------------------

def summarize(runs):
    """median wall, median peak RSS, median final RSS, or None when any run failed"""
    if not runs or not all(r["ok"] for r in runs):
        return None
    finals = [r["final_rss"] for r in runs if r["final_rss"] is not None]
    return {"wall": statistics.median(r["wall"] for r in runs),
            "rss": statistics.median(r["rss"] for r in runs),
            "final_rss": statistics.median(finals) if finals else None}


def ratios(summary, workloads, allocators, key):
    """{workload: {allocator: value / glibc's value, or None}}"""
    out = {}
    for w in workloads:
        base = summary[w]["glibc"]
        out[w] = {}
        for a, _ in allocators:
            s = summary[w][a]
            out[w][a] = s[key] / base[key] if s and base and base[key] else None
    return out


def geomean(values):
    vals = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else None


def first_failure(runs):
    for i, r in enumerate(runs):
        if not r["ok"]:
            return "round %d: %s" % (i + 1, r["why"])
    return ""


def table(workloads, allocators, summary, ratio, key, fmt):
    names = [a for a, _ in allocators]
    out = ["| workload | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for w in workloads:
        cells = []
        for a in names:
            s = summary[w][a]
            if s is None:
                cells.append("**FAILED**")
            elif a == "glibc":
                cells.append(fmt(s[key]))
            else:
                r = ratio[w][a]
                cells.append("%s (%s)" % (fmt(s[key]), "%.2fx" % r if r else "-"))
        out.append("| %s | %s |" % (w, " | ".join(cells)))
    gm = []
    for a in names:
        g = geomean([ratio[w][a] for w in workloads])
        n_failed = sum(1 for w in workloads if summary[w][a] is None)
        gm.append(("%.2fx" % g if g else "-") + (" (%d FAILED)" % n_failed if n_failed else ""))
    out.append("| **geometric mean of ratios** | %s |" % " | ".join(gm))
    return "\n".join(out)


def git_rev():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                             capture_output=True, text=True).stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "include"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (src/include modified)" if dirty else "")
    except OSError:
        return "unknown"


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()
    return "%s, %d CPUs, %s" % (cpu, os.cpu_count(), gcc[0] if gcc else "gcc")


def write_report(md_path, png_path, workloads, allocators, results, rounds, scale, pair_md,
                 elapsed, load_at_start):
    summary = {w: {a: summarize(results[w][a]) for a, _ in allocators} for w in workloads}
    t_ratio = ratios(summary, workloads, allocators, "wall")
    m_ratio = ratios(summary, workloads, allocators, "rss")
    names = [a for a, _ in allocators]
    chart.draw_chart(png_path, workloads, names,
                     [("WALL TIME / GLIBC", t_ratio), ("PEAK RSS / GLIBC", m_ratio)])

    osmem_gm = geomean([t_ratio[w]["osmem"] for w in workloads])
    failures = ["- %s under %s: %s" % (w, a, first_failure(results[w][a]))
                for w in workloads for a in names if summary[w][a] is None]
    frag = summary.get("frag")
    frag_rows = []
    if frag:
        frag_rows = ["| allocator | peak RSS | final RSS |", "|---|---:|---:|"]
        for a in names:
            s = frag[a]
            frag_rows.append("| %s | %s | %s |" % (a, "FAILED" if not s else mib(s["rss"]),
                                                  "FAILED" if not s or s["final_rss"] is None
                                                  else mib(s["final_rss"])))
    lines = [
        "# osmem benchmark suite",
        "",
        "Generated by `make bench-suite` (tests/bench/suite/run.py) on %s, osmem at commit %s;" % (
            datetime.date.today().isoformat(), git_rev()),
        "%s. %d round(s), size scale %s, %d s in all; load average %.1f at the start, %.1f at the end" % (
            machine(), rounds, scale, elapsed, load_at_start, os.getloadavg()[0]),
        "(the load of other programs on this machine; a load above its CPU count slows every run).",
        "",
        "Every workload is a program of this project (tests/bench/suite/), deterministic (seeded) and",
        "self-checking (a wrong allocator fails the run). Each run is one process with the allocator",
        "preloaded (`LD_PRELOAD`; glibc = nothing preloaded), timed by tests/bench/suite/measure.c",
        "(wall clock; peak RSS = wait4's ru_maxrss, including child processes such as cc1).",
        "Runs are interleaved (every allocator in turn, round after round); each cell is the median",
        "over the rounds, with its ratio to glibc's median in parentheses (lower is better).",
        "The machine is shared (2 cores, other jobs running): differences under ~15% are noise.",
        "",
        "| workload | what it models |",
        "|---|---|",
    ] + ["| %s | %s |" % (w, d) for w, d in WORKLOADS if w in workloads] + [
        "",
        "## Wall time (seconds)",
        "",
        table(workloads, allocators, summary, t_ratio, "wall", lambda v: "%.3f" % v),
        "",
        "Geometric mean of osmem's time ratios: **%s** (target: at most 0.80)." % (
            "%.2f" % osmem_gm if osmem_gm else "-"),
        "",
        "## Peak RSS (MiB)",
        "",
        table(workloads, allocators, summary, m_ratio, "rss", mib),
        "",
    ]
    if frag_rows:
        lines += ["## Fragmentation: peak and final RSS (MiB)", "",
                  "Final = the frag workload's own /proc/self/statm after the medium requests,",
                  "with the 10% survivors and the medium blocks live.", ""] + frag_rows + [""]
    if failures:
        lines += ["## Failed runs", ""] + failures + [""]
    if pair_md:
        lines += ["## Instructions per malloc(32)/free pair (callgrind)", "",
                  "`make bench-pair` (tests/bench/pair.sh, tests/bench/pair32.c): callgrind counts",
                  "the whole program with N and with 2N pairs; the difference over N is one pair",
                  "(start-up and exit cancel out).", "", pair_md.strip(), ""]
    lines += ["## Chart", "",
              "![time and memory ratios to glibc](%s)" % os.path.basename(png_path), "",
              "Upper panel: wall time / glibc; lower panel: peak RSS / glibc. One bar per allocator",
              "per workload, in the order " + ", ".join(names) + " (grey = glibc, always 1.0); the",
              "black line is 1.0; bars above the panel are cut and carry their value; a red X marks",
              "a FAILED run.", ""]
    with open(md_path, "w") as f:
        f.write("\n".join(lines))
    return osmem_gm


def mib(kib):
    return "%.1f" % (kib / 1024)


# ---- modes ------------------------------------------------------------------

def pair_table(quick):
    if os.environ.get("BENCH_PAIR", "1") == "0":
        return ""
    env = dict(os.environ)
    env.setdefault("PAIR_N", "50000" if quick else "200000")
    p = subprocess.run([os.path.join(ROOT, "tests", "bench", "pair.sh")], capture_output=True,
                       text=True, env=env)
    log(p.stderr.rstrip())
    rows = [ln for ln in p.stdout.splitlines() if ln.startswith("|")]
    return "\n".join(rows) if rows else "pair.sh failed: " + " ".join(p.stdout.split()[-20:])


def selected(env_name, all_names):
    v = os.environ.get(env_name)
    if not v:
        return None
    names = [n.strip() for n in v.split(",") if n.strip()]
    unknown = [n for n in names if n not in all_names]
    if unknown:
        sys.exit("bench: unknown name(s) in %s: %s" % (env_name, ", ".join(unknown)))
    return names


def full_run():
    quick = os.environ.get("BENCH_QUICK", "0") not in ("", "0")
    rounds = 1 if quick else int(os.environ.get("BENCH_ROUNDS", "3"))
    scale = 0.2 if quick else 1.0
    timeout = int(os.environ.get("BENCH_TIMEOUT", "300"))
    out_dir = os.path.join(ROOT, "build", "bench", "quick") if quick else os.path.join(ROOT, "docs")
    os.makedirs(out_dir, exist_ok=True)
    all_w = [w for w, _ in WORKLOADS]
    workloads = selected("BENCH_WORKLOADS", all_w) or all_w
    allocators = find_allocators(selected("BENCH_ALLOCATORS",
                                          ["glibc", "osmem"] + [a[0] for a in OTHER_ALLOCATORS]))
    gcc_dir = os.path.join(ROOT, "build", "bench", "gcc-input")
    generate_gcc_input(gcc_dir, int(GCC_FUNCTIONS * scale) or 1)
    log("bench: %d workloads x {%s}, %d round(s), scale %s" % (
        len(workloads), ", ".join(a for a, _ in allocators), rounds, scale))
    start, load_at_start = datetime.datetime.now(), os.getloadavg()[0]
    results = run_matrix(workloads, allocators, rounds, scale, gcc_dir, timeout)
    pair_md = pair_table(quick)
    elapsed = (datetime.datetime.now() - start).total_seconds()
    md, png = os.path.join(out_dir, "bench.md"), os.path.join(out_dir, "bench.png")
    gm = write_report(md, png, workloads, allocators, results, rounds, scale, pair_md, elapsed,
                      load_at_start)
    with open(md) as f:
        print(f.read())
    log("bench: written %s and %s (osmem geometric mean time ratio %s)" % (
        os.path.relpath(md, ROOT), os.path.relpath(png, ROOT), "%.2f" % gm if gm else "-"))


SMOKE_SCALE = 0.05
BAD_ALLOC_LIB = os.path.join(BUILD, "libbadalloc.so")


def smoke_run():
    """every workload once, small, under glibc and osmem: each must succeed;
    under the deliberately wrong allocator (badalloc.c) each C workload must
    fail; and the report writer must produce a valid PNG."""
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        print("%s %s" % ("ok  " if ok else "FAIL", what), flush=True)
        passed, failed = passed + ok, failed + (not ok)

    gcc_dir = os.path.join(ROOT, "build", "bench", "gcc-smoke")
    generate_gcc_input(gcc_dir, 40)
    workloads = [w for w, _ in WORKLOADS]
    allocators = [("glibc", None), ("osmem", OSMEM_LIB)]
    results = run_matrix(workloads, allocators, 1, SMOKE_SCALE, gcc_dir, 120, progress=False)
    for w in workloads:
        for a, _ in allocators:
            r = results[w][a][0]
            check(r["ok"], "%s under %s%s" % (w, a, " (%.2f s)" % r["wall"] if r["ok"]
                                              else ": " + r["why"]))
    check(results["frag"]["glibc"][0]["final_rss"] is not None,
          "frag reports its final RSS (final_rss_kib=)")
    # a wrong allocator must fail the run, not just be fast
    for w in workloads:
        if w in ("python", "gcc"):
            continue
        r = run_once(w, BAD_ALLOC_LIB, SMOKE_SCALE, gcc_dir, 60)
        check(not r["ok"], "%s fails under badalloc (scribbles on a live block)%s" % (
            w, ": " + r["why"] if not r["ok"] else ": it passed"))
    # the compiler workload compares the program's output with the generator's
    bad_dir = os.path.join(ROOT, "build", "bench", "gcc-smoke-wrong")
    shutil.copytree(gcc_dir, bad_dir, dirs_exist_ok=True)
    with open(os.path.join(bad_dir, "big.expected"), "w") as f:
        f.write("0\n")          # not what the generator computed
    r = run_once("gcc", None, SMOKE_SCALE, bad_dir, 60)
    check(not r["ok"] and "expected 0" in r["why"],
          "gcc fails when the program's output differs from the generator's (%s)" % r["why"])
    # the runner itself: what measure reports for a hung or crashing command
    for argv, want in ((["--timeout", "1", "--", "sleep", "10"], "status=timeout"),
                       (["--", "sh", "-c", "kill -SEGV $$"], "status=signal:11"),
                       (["--", "sh", "-c", "exit 3"], "status=exit:3")):
        out = subprocess.run([MEASURE] + argv, capture_output=True, text=True).stdout
        check(want in out, "measure %s reports %s" % (" ".join(argv), want))
    r = run_once("churn", "/nonexistent/lib.so", SMOKE_SCALE, gcc_dir, 60)
    check(not r["ok"], "a missing allocator library fails the run (%s)" % r["why"])
    # the report: table cells, FAILED shown, chart readable
    md = os.path.join(ROOT, "build", "bench", "smoke.md")
    png = os.path.join(ROOT, "build", "bench", "smoke.png")
    results["churn"]["osmem"].append({"ok": False, "why": "test", "wall": None, "rss": None,
                                      "final_rss": None})
    write_report(md, png, workloads, allocators, results, 1, SMOKE_SCALE, "", 0, os.getloadavg()[0])
    with open(md) as f:
        text = f.read()
    check(any(ln.startswith("| churn | ") and "**FAILED**" in ln for ln in text.splitlines()),
          "report shows a failed run as FAILED")
    try:
        size = chart.read_png_size(png)
        check(size[0] >= 900 and size[1] > 300, "chart is a valid PNG (%dx%d)" % size)
    except (OSError, ValueError, KeyError) as e:
        check(False, "chart is a valid PNG: %s" % e)
    print("%d passed, %d failed" % (passed, failed))
    return failed == 0


def main():
    if not os.path.exists(MEASURE):
        sys.exit("bench: %s is missing: run it through make (make bench-suite)" % MEASURE)
    if "--smoke" in sys.argv[1:]:
        sys.exit(0 if smoke_run() else 1)
    full_run()


main()
