# SPDX-License-Identifier: MIT
"""chart.py - the benchmark's bar chart as a PNG, with no dependency but the
standard library (zlib for the compression, struct for the chunks), so that it
works on a bare machine without matplotlib or gnuplot.

draw_chart(path, workloads, allocators, panels) writes a chart with one panel
per entry of panels, a list of (title, {workload: {allocator: ratio or None}}):
one group of bars per workload, one bar per allocator (None = the run
FAILED: a red X on the axis instead of a bar), a line at 1.0 (= glibc) and
gridlines.  Bars above the panel's top are cut and carry their value.
Text uses a 5x7 bitmap font of upper-case letters, digits and a little
punctuation (text is upper-cased first).

read_png_size(path) reads back a PNG's width and height after checking its
signature, chunk CRCs and that the image data decompresses to the size the
header promises (the smoke test uses it).
"""
import struct
import zlib

# ---- PNG -------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Canvas:
    def __init__(self, width, height, background=(255, 255, 255)):
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x0, y0, x1, y1, color):
        """fill [x0, x1) x [y0, y1), clipped to the canvas"""
        x0, x1 = max(0, int(x0)), min(self.width, int(x1))
        y0, y1 = max(0, int(y0)), min(self.height, int(y1))
        if x0 >= x1:
            return
        row = bytes(color) * (x1 - x0)
        for y in range(y0, y1):
            start = (y * self.width + x0) * 3
            self.pixels[start:start + len(row)] = row

    def text(self, x, y, s, color=(0, 0, 0), scale=1):
        """draw S with its top-left corner at (x, y); returns the end x"""
        for ch in s.upper():
            glyph = FONT.get(ch, FONT["?"])
            for gy, line in enumerate(glyph):
                for gx, bit in enumerate(line):
                    if bit == "#":
                        self.rect(x + gx * scale, y + gy * scale,
                                  x + (gx + 1) * scale, y + (gy + 1) * scale, color)
            x += 6 * scale
        return x

    def write_png(self, path):
        raw = bytearray()
        stride = self.width * 3
        for y in range(self.height):
            raw.append(0)      # filter type 0: the row as is
            raw += self.pixels[y * stride:(y + 1) * stride]
        ihdr = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        with open(path, "wb") as f:
            f.write(PNG_SIGNATURE)
            for kind, data in ((b"IHDR", ihdr), (b"IDAT", zlib.compress(bytes(raw), 9)),
                               (b"IEND", b"")):
                f.write(struct.pack(">I", len(data)) + kind + data)
                f.write(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def text_width(s, scale=1):
    return 6 * scale * len(s)


def read_png_size(path):
    """(width, height) of an 8-bit RGB PNG written by Canvas; raises ValueError"""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    pos, chunks = len(PNG_SIGNATURE), {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError("bad CRC in chunk %r" % kind)
        chunks.setdefault(kind, b"")
        chunks[kind] += body
        pos += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    if len(zlib.decompress(chunks[b"IDAT"])) != height * (1 + 3 * width):
        raise ValueError("image data does not match the header")
    return width, height


# ---- the chart --------------------------------------------------------------

# one colour per allocator, in the order given
PALETTE = [(120, 120, 120), (31, 119, 180), (255, 127, 14), (44, 160, 44), (148, 103, 189),
           (140, 86, 75), (227, 119, 194)]
RED = (214, 39, 40)
GRID = (225, 225, 225)
AXIS = (0, 0, 0)


def nice_top(values, cap):
    """the panel's top: the largest ratio rounded up to 0.5, within [1.5, cap]"""
    top = max([v for v in values if v is not None] + [1.0])
    top = min(cap, max(1.5, top))
    return int(top * 2 + 0.999) / 2


def draw_panel(cv, x0, y0, width, height, title, workloads, allocators, ratios, cap):
    cv.text(x0, y0, title, AXIS, 2)
    top_y, bottom_y = y0 + 24, y0 + height - 16
    left, right = x0 + 40, x0 + width
    values = [ratios.get(w, {}).get(a) for w in workloads for a in allocators]
    top = nice_top(values, cap)

    def y_of(v):
        return bottom_y - (bottom_y - top_y) * min(v, top) / top

    step = 0.5 if top <= 3 else 1.0
    tick = 0.0
    while tick <= top + 1e-9:
        y = y_of(tick)
        cv.rect(left, y, right, y + 1, GRID)
        label = "%.1f" % tick
        cv.text(left - 4 - text_width(label), y - 3, label, AXIS)
        tick += step
    group_w = (right - left) / len(workloads)
    bar_w = max(3, int(group_w * 0.8 / len(allocators)))
    for gi, w in enumerate(workloads):
        gx = left + gi * group_w + (group_w - bar_w * len(allocators)) / 2
        for ai, a in enumerate(allocators):
            bx = gx + ai * bar_w
            v = ratios.get(w, {}).get(a)
            if v is None:      # FAILED: a red X where the bar would stand
                cv.text(bx + (bar_w - 10) / 2, bottom_y - 16, "X", RED, 2)
                continue
            cv.rect(bx, y_of(v), bx + bar_w - 1, bottom_y, PALETTE[ai % len(PALETTE)])
            if v > top:        # cut: say how high it goes
                label = "%.1f" % v
                cv.rect(bx, y_of(top) + 4, bx + bar_w - 1, y_of(top) + 6, (255, 255, 255))
                cv.text(bx + bar_w / 2 - text_width(label) / 2, top_y - 10, label, AXIS)
        label = w[: max(1, int(group_w // 6))]
        cv.text(left + gi * group_w + (group_w - text_width(label)) / 2, bottom_y + 5, label, AXIS)
    y1 = y_of(1.0)
    cv.rect(left, y1, right, y1 + 2, AXIS)          # 1.0 = glibc
    cv.rect(left, top_y, left + 1, bottom_y, AXIS)
    cv.rect(left, bottom_y, right, bottom_y + 1, AXIS)


def draw_chart(path, workloads, allocators, panels, cap=4.0):
    width = max(900, 60 + 22 * len(workloads) * (len(allocators) + 1))
    panel_h = 300
    cv = Canvas(width, 50 + panel_h * len(panels))
    x = 20
    cv.text(x, 12, "RATIO TO GLIBC (LOWER IS BETTER; 1.0 = GLIBC; X = FAILED)", AXIS)
    x, y = 20, 28
    for ai, a in enumerate(allocators):
        cv.rect(x, y, x + 12, y + 10, PALETTE[ai % len(PALETTE)])
        x = cv.text(x + 16, y + 2, a, AXIS) + 14
    for pi, (title, ratios) in enumerate(panels):
        draw_panel(cv, 10, 50 + pi * panel_h + 6, width - 30, panel_h - 14, title, workloads,
                   allocators, ratios, cap)
    cv.write_png(path)


# ---- the font: 5x7, "#" = ink ----------------------------------------------

_GLYPHS = """
A .###. #...# #...# ##### #...# #...# #...#
B ####. #...# #...# ####. #...# #...# ####.
C .###. #...# #.... #.... #.... #...# .###.
D ####. #...# #...# #...# #...# #...# ####.
E ##### #.... #.... ####. #.... #.... #####
F ##### #.... #.... ####. #.... #.... #....
G .###. #...# #.... #.### #...# #...# .####
H #...# #...# #...# ##### #...# #...# #...#
I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
J ..### ...#. ...#. ...#. ...#. #..#. .##..
K #...# #..#. #.#.. ##... #.#.. #..#. #...#
L #.... #.... #.... #.... #.... #.... #####
M #...# ##.## #.#.# #.#.# #...# #...# #...#
N #...# ##..# #.#.# #..## #...# #...# #...#
O .###. #...# #...# #...# #...# #...# .###.
P ####. #...# #...# ####. #.... #.... #....
Q .###. #...# #...# #...# #.#.# #..#. .##.#
R ####. #...# #...# ####. #.#.. #..#. #...#
S .#### #.... #.... .###. ....# ....# ####.
T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
U #...# #...# #...# #...# #...# #...# .###.
V #...# #...# #...# #...# #...# .#.#. ..#..
W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
X #...# #...# .#.#. ..#.. .#.#. #...# #...#
Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
Z ##### ....# ...#. ..#.. .#... #.... #####
0 .###. #...# #..## #.#.# ##..# #...# .###.
1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
2 .###. #...# ....# ...#. ..#.. .#... #####
3 ####. ....# ....# .###. ....# ....# ####.
4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
5 ##### #.... ####. ....# ....# #...# .###.
6 .###. #.... #.... ####. #...# #...# .###.
7 ##### ....# ...#. ..#.. .#... .#... .#...
8 .###. #...# #...# .###. #...# #...# .###.
9 .###. #...# #...# .####. ....# ....# .###.
. ..... ..... ..... ..... ..... ..... ..#..
, ..... ..... ..... ..... ..... ..#.. .#...
- ..... ..... ..... .###. ..... ..... .....
_ ..... ..... ..... ..... ..... ..... #####
( ...#. ..#.. .#... .#... .#... ..#.. ...#.
) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
/ ....# ....# ...#. ..#.. .#... #.... #....
: ..... ..#.. ..... ..... ..... ..#.. .....
; ..... ..#.. ..... ..... ..... ..#.. .#...
= ..... ..... ##### ..... ##### ..... .....
+ ..... ..#.. ..#.. ##### ..#.. ..#.. .....
% ##..# ##..# ...#. ..#.. .#... #..## #..##
? .###. #...# ....# ...#. ..#.. ..... ..#..
"""
FONT = {" ": ["....."] * 7}
for _line in _GLYPHS.strip().splitlines():
    _ch, *_rows = _line.split()
    FONT[_ch] = [r[:5] for r in _rows]
