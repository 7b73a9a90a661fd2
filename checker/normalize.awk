# normalize.awk - turn an `strace -f -o` log of a scenario into its normalized
# trace (see README.md).  Portable awk (mawk): 64-bit addresses are parsed by
# hand into doubles, exact below 2^53, which covers x86-64 user space.
#
#   osmem-enter TEXT  ->  "TEXT"            a call starts
#   brk/mmap/munmap   ->  "  <call> = <ret>" inside a call
#   osmem-leave TEXT  ->  "  -> TEXT"       the call returns
#   osmem-note TEXT   ->  "note TEXT"
#
# Every 0x... token becomes H[+-0x...] (H = the initial break, read from the
# first brk(NULL) of the process) or Mk[+0x...] (the k-th mapping created
# inside an os_* call, numbered in order of appearance).  System calls before
# the first marker (process start-up) are dropped; any made after it but
# outside an os_* call are shown as "outside os_*: ...".  Writes other than the
# markers (e.g. the library's diagnostics on stderr) are not part of the trace.
# A fatal signal shows as a last line "killed by SIGxxx".

function hexval(s,    v, i) {
	v = 0
	s = tolower(substr(s, 3))
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}

function hexstr(v,    s) {
	s = ""
	do {
		s = substr("0123456789abcdef", v % 16 + 1, 1) s
		v = (v - v % 16) / 16
	} while (v > 0)
	return "0x" s
}

# base name plus offset: "M2", "H+0x20", "H-0x10"
function relative(name, off) {
	if (off == 0)
		return name
	if (off < 0)
		return name "-" hexstr(-off)
	return name "+" hexstr(off)
}

function address(v,    k) {
	if (v == 0)
		return "NULL"
	for (k = nmaps; k >= 1; k--)        # newest first: addresses get reused
		if (v >= map_base[k] && v < map_base[k] + map_len[k])
			return relative("M" k, v - map_base[k])
	if (heap_known)
		return relative("H", v - heap)
	return hexstr(v)
}

function rewrite_addresses(s,    out) {
	out = ""
	while (match(s, /0x[0-9a-fA-F]+/)) {
		out = out substr(s, 1, RSTART - 1) address(hexval(substr(s, RSTART, RLENGTH)))
		s = substr(s, RSTART + RLENGTH)
	}
	return out s
}

# "PID  brk(NULL)      = 0x..." -> "brk(NULL) = 0x..."
function strip(line) {
	sub(/^(\[pid +)?[0-9]+\]? +/, "", line)
	sub(/\) +=/, ") =", line)
	return line
}

function learn(line,    f) {
	if (!heap_known && line ~ /^brk\(NULL\) = 0x/) {
		heap = hexval(substr(line, index(line, "= ") + 2))
		heap_known = 1
	}
	if (started && line ~ /^mmap\(/ && line ~ /\) = 0x[0-9a-f]+$/) {
		split(line, f, ", ")
		nmaps++
		map_len[nmaps] = f[2] + 0
		map_base[nmaps] = hexval(substr(line, index(line, ") = ") + 4))
	}
}

function marker(kind, text) {
	started = 1
	text = rewrite_addresses(text)
	if (kind == "enter") {
		if (in_call)
			print "  (no osmem-leave)"
		print text
		in_call = 1
	} else if (kind == "leave") {
		print "  -> " text
		in_call = 0
	} else {
		print "note " text
	}
}

{
	line = strip($0)
	if (line ~ /^write\(-1, "osmem-(enter|leave|note) /) {
		text = substr(line, index(line, "\"") + 7)
		kind = substr(text, 1, index(text, " ") - 1)
		text = substr(text, length(kind) + 2)
		sub(/", [0-9]+\) = .*$/, "", text)
		marker(kind, text)
		next
	}
	if (line ~ /^\+\+\+ killed by /) {
		sub(/^\+\+\+ /, "", line)
		sub(/ \+\+\+$/, "", line)
		killed = line
		next
	}
	if (line ~ /^write\(/ || line ~ /^\+\+\+ / || line ~ /^--- /)
		next
	learn(line)
	if (!started)
		next
	line = rewrite_addresses(line)
	print (in_call ? "  " : "outside os_*: ") line
}

END {
	if (in_call)
		print "  (no osmem-leave: the program died inside the call)"
	if (killed != "")
		print killed
}
