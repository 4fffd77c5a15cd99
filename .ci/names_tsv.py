"""Rebuilds ontology/names.tsv from SudachiDict core, to stdout.

    pip install sudachipy==0.7.0 sudachidict_core==20261015
    python3 .ci/names_tsv.py > ontology/names.tsv

CI runs it and compares with the committed file: the list is SudachiDict's own
(see ontology/names.NOTICE.md), with nothing added or removed by hand.
"""
import sys

import collections, re, unicodedata
from sudachipy import Dictionary

LETTER = {('人名', '姓'): 'S', ('人名', '名'): 'G', ('人名', '一般'): 'P',
          ('地名', '一般'): 'L', ('地名', '国'): 'C', ('一般', '*'): 'N'}
ADDRESS = re.compile(r'^.+?[都道府県市区郡町村].+')
KATAKANA_OR_LATIN = re.compile(r'^[\u30A0-\u30FFA-Za-z0-9・ー\-]+$')
names = collections.defaultdict(set)
for m in Dictionary(dict='core').entries():
    pos = m.part_of_speech()
    surface = unicodedata.normalize('NFKC', m.surface())
    if '\t' in surface or not surface.strip():
        continue
    if pos[0] == '名詞' and pos[1] == '普通名詞':
        if KATAKANA_OR_LATIN.match(surface) and len(surface) >= 2:
            names[surface].add('W')
        continue
    if pos[1] != '固有名詞':
        continue
    letter = LETTER.get((pos[2], pos[3]))
    if letter is None:
        continue
    if letter == 'L' and len(surface) > 3 and ADDRESS.match(surface):
        continue
    names[surface].add(letter)
out = sys.stdout
out.write('# Proper nouns from SudachiDict core (Apache-2.0); see names.NOTICE.md.\n')
out.write('# name<TAB>classes: S surname, G given name, P person, L place, C country, '
          'N other proper noun, W common noun in katakana or Latin letters\n')
for surface in sorted(names):
    out.write(surface + '\t' + ''.join(c for c in 'SGPLCNW' if c in names[surface]) + '\n')
