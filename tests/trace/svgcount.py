#!/usr/bin/env python3
"""svgcount.py FILE.svg: parse an osmem-heapmap picture as XML (fails if it is
not well-formed) and print what a test checks: the number of block groups of
each class, the legend's labels, whether the fragmentation strip is there, and
the figures line.

  alloc N free N mapped N legend A|B|C|D strip yes|no
  figures: heap ... bytes: ...
"""
import sys
import xml.etree.ElementTree as ET

NS = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
groups = [g.get('class') for g in root.iter(NS + 'g')]
legend = next((g for g in root.iter(NS + 'g') if g.get('id') == 'legend'), None)
labels = '|'.join(t.text for t in legend.iter(NS + 'text')) if legend is not None else ''
strip = any(g.get('id') == 'strip' and g.find(NS + 'polyline') is not None for g in root.iter(NS + 'g'))
figures = next((g for g in root.iter(NS + 'g') if g.get('id') == 'figures'), None)
print(f"alloc {groups.count('alloc')} free {groups.count('free')} mapped {groups.count('mapped')} "
      f"legend {labels.replace(' ', '_')} strip {'yes' if strip else 'no'}")
print('figures:', ''.join(figures.itertext()) if figures is not None else '')
