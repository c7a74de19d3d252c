# pipeline.json applied to raw CSV rows, exactly as mmoe-compile's TypeScript pipeline does
# (src/data/: csv-table.ts, pipeline.ts, encode-ids.ts, id-space.ts, encode-numeric.ts,
# labels.ts, table.ts, random.ts). Generic: everything model-specific is in pipeline.json and
# spec.json. Outputs are numpy arrays named like the model's inputs; labels and loss masks per task.
#
#   numeric      (g(x) - center) / scale, g = log1p(max(x, 0)) for 'log'; missing -> fillValue
#   bucketized   number of boundaries <= x; missing -> fillId
#   categorical  an id from the feature's id space (vocabulary / hash / identity, FNV-1a 32 over
#                UTF-8 for hashing and out-of-vocabulary buckets)
#   sequence     the cell split by its separator, empty pieces dropped, first maxLength encoded,
#                padded with id 0
# Column types come from the spec (a numeric feature reads numbers, everything embedded by id
# reads strings, regression labels numbers), as in the TypeScript reader.
import csv
import math
import re
import sys

import numpy as np

csv.field_size_limit(1 << 30)

PAD_ID = 0
DEFAULT_NA_VALUES = ['', 'NA', '?']
MASK32 = 0xFFFFFFFF


class DataError(Exception):
    pass


# --- hashing and random numbers (bit-exact ports of src/data/hash.ts and random.ts) ---

def fnv1a32(text, basis=0x811C9DC5):
    h = basis & MASK32
    for b in text.encode('utf-8', 'replace'):
        h = ((h ^ b) * 0x01000193) & MASK32
    return h


def _imul(a, b):
    return (a * b) & MASK32


def mix32(x):
    x &= MASK32
    x = _imul(x ^ (x >> 16), 0x85EBCA6B)
    x = _imul(x ^ (x >> 13), 0xC2B2AE35)
    return (x ^ (x >> 16)) & MASK32


def to_seed32(seed):
    if not isinstance(seed, int) or seed < 0 or seed > 2**53 - 1:
        raise ValueError(f'seed must be a non-negative integer, got {seed}')
    low, high = seed & MASK32, seed // 2**32
    return low if high == 0 else mix32(low ^ mix32(high))


def derive_seed(seed, label):
    return mix32(fnv1a32(label, mix32(to_seed32(seed) ^ 0x9E3779B9)))


class Rng:
    """sfc32 seeded by splitmix32, as src/data/random.ts (same numbers for the same seed)."""

    def __init__(self, seed):
        s = to_seed32(seed)
        state = []
        for _ in range(4):
            s = (s + 0x9E3779B9) & MASK32
            z = s
            z = _imul(z ^ (z >> 16), 0x21F0AAAD)
            z = _imul(z ^ (z >> 15), 0x735A2D97)
            state.append((z ^ (z >> 15)) & MASK32)
        self.a, self.b, self.c, self.d = state
        for _ in range(12):
            self.next_uint32()

    def next_uint32(self):
        t = (self.a + self.b + self.d) & MASK32
        self.d = (self.d + 1) & MASK32
        self.a = self.b ^ (self.b >> 9)
        self.b = (self.c + (self.c << 3)) & MASK32
        self.c = ((self.c << 21) | (self.c >> 11)) & MASK32
        self.c = (self.c + t) & MASK32
        return t

    def uniform(self):
        return self.next_uint32() / 4294967296.0

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            p[i], p[j] = p[j], p[i]
        return p


def seeded_split(n, fraction, seed, label):
    """(held_out, kept) row indices, sorted: src/data/table.ts seededSplit."""
    perm = Rng(derive_seed(seed, f'split:{label}')).permutation(n)
    k = int(math.floor(fraction * n + 0.5))
    return sorted(perm[:k]), sorted(perm[k:])


def epoch_order(n, seed, epoch):
    """The batch order of one epoch (src/train/loop.ts permutation with the epoch's stream)."""
    return np.array(Rng(derive_seed(seed, f'epoch:{epoch}')).permutation(n), dtype=np.int64)


# --- cells ---

_JS_NUMBER = re.compile(r'^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$')
_JS_SPACE = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'


def parse_number_cell(cell):
    """JavaScript's Number(cell) restricted to finite values, '' and blanks rejected (NaN)."""
    s = cell.strip(_JS_SPACE)
    if s == '':
        return math.nan
    if _JS_NUMBER.match(s):
        v = float(s)
        return v if math.isfinite(v) else math.nan
    m = re.match(r'^0([xXoObB])([0-9a-fA-F]+)$', s)
    if m:
        base = {'x': 16, 'o': 8, 'b': 2}[m.group(1).lower()]
        try:
            return float(int(m.group(2), base))
        except ValueError:
            return math.nan
    return math.nan


def js_number_str(v):
    """String(v) for a finite JavaScript number (a number column's value used as a token)."""
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    r = repr(v)
    if 'e' in r:
        mant, exp = r.split('e')
        mant = mant.rstrip('0').rstrip('.') if '.' in mant else mant
        e = int(exp)
        return f"{mant}e{'+' if e > 0 else '-'}{abs(e)}"
    return r


def cell_equals(kind, value, target):
    """src/data/cells.ts cellEquals for a present cell."""
    if kind == 'number':
        if isinstance(target, bool):
            return value == (1 if target else 0)
        if isinstance(target, (int, float)):
            return value == target
        return parse_number_cell(target) == value
    if isinstance(target, bool):
        return value.lower() == ('true' if target else 'false') or parse_number_cell(value) == (1 if target else 0)
    if isinstance(target, (int, float)):
        return value == js_number_str(float(target)) or parse_number_cell(value) == target
    return value == target


# --- the CSV reader ---

def column_types(spec):
    """src/data/spec-data.ts csvColumnTypes."""
    types = {}
    for f in spec['features']:
        if f['type'] == 'cross':
            continue  # reads its components' columns
        col = f.get('column', f['name'])
        types[col] = 'number' if f['type'] == 'numeric' and types.get(col) != 'string' else 'string'
    for t in spec['tasks']:
        if t.get('label') is not None and t['label'] not in types:
            types[t['label']] = 'number' if t.get('type', 'binary') == 'regression' else 'string'
        if t.get('sampleSpace') and t['sampleSpace']['column'] not in types:
            types[t['sampleSpace']['column']] = 'string'
    sc = spec.get('scenarios')
    if sc and sc['feature'] not in types:
        types[sc['feature']] = 'string'
    data = spec.get('data', {})
    if data.get('source') == 'csv' and data.get('columns'):
        types.update(data['columns'])
    return types


class Table:
    """Typed columns: name -> (kind, values list, missing list); `lines` are 1-based file lines."""

    def __init__(self, file, columns, lines):
        self.file, self.columns, self.lines = file, columns, lines
        self.row_count = len(lines)

    def column(self, name, used_by):
        if name not in self.columns:
            raise DataError(f'{self.file}: no column "{name}" (needed by {used_by})')
        return self.columns[name]

    def where(self, i):
        return f'{self.file}:{self.lines[i]}'

    def select(self, rows):
        cols = {k: (kind, [v[i] for i in rows], [m[i] for i in rows]) for k, (kind, v, m) in self.columns.items()}
        return Table(self.file, cols, [self.lines[i] for i in rows])


def read_csv(path, spec, delimiter=None, na_values=None, encoding='utf-8'):
    data = spec.get('data', {})
    delimiter = delimiter or data.get('delimiter', ',')
    na = set(na_values if na_values is not None else data.get('naValues', DEFAULT_NA_VALUES))
    types = column_types(spec)
    with open(path, newline='', encoding=data.get('encoding', encoding)) as f:
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(f'{path}: the file is empty (no header)')
        if header and header[0].startswith('\ufeff'):
            header[0] = header[0][1:]
        keep = [(j, name, types[name]) for j, name in enumerate(header) if name in types]
        cols = {name: (kind, [], []) for _, name, kind in keep}
        lines = []
        for row in reader:
            line = reader.line_num
            if len(row) == 0 or (len(row) == 1 and row[0] == ''):
                continue
            if len(row) != len(header):
                raise DataError(f'{path}:{line}: expected {len(header)} fields, found {len(row)}')
            for j, name, kind in keep:
                cell = row[j]
                values, missing = cols[name][1], cols[name][2]
                if cell in na:
                    values.append(math.nan if kind == 'number' else '')
                    missing.append(True)
                    continue
                if kind == 'number':
                    v = parse_number_cell(cell)
                    if math.isnan(v):
                        raise DataError(f'{path}:{line}: column "{name}": {cell!r} is not a number')
                    values.append(v)
                else:
                    values.append(cell)
                missing.append(False)
            lines.append(line)
    return Table(path, cols, lines)


# --- the pipeline ---

class IdEncoder:
    def __init__(self, m):
        self.m = m
        enc = m['encoding']
        if enc == 'vocabulary':
            self.size = m['offset'] + m['oovBuckets'] + len(m['values'])
            self.missing_id = m['offset']
            base = m['offset'] + m['oovBuckets']
            self.lookup = {v: base + k for k, v in enumerate(m['values'])}
        elif enc == 'hash':
            self.size = m['offset'] + m['hashBuckets'] + 1
            self.missing_id = m['offset'] + m['hashBuckets']
        elif enc == 'identity':
            self.size = m['offset'] + m['numIds'] + 1
            self.missing_id = m['offset'] + m['numIds']
        else:
            raise DataError(f'pipeline.json: unknown encoding {enc!r}')

    def encode(self, token):
        m = self.m
        enc = m['encoding']
        if enc == 'vocabulary':
            i = self.lookup.get(token)
            if i is not None:
                return i
            return m['offset'] + fnv1a32(token) % m['oovBuckets'] if m['oovBuckets'] > 1 else m['offset']
        if enc == 'hash':
            return m['offset'] + fnv1a32(token) % m['hashBuckets']
        n = math.nan if token.strip(_JS_SPACE) == '' else parse_number_cell(token)
        ok = not math.isnan(n) and n == int(n) and 0 <= n < m['numIds']
        return m['offset'] + int(n) if ok else m['offset'] + m['numIds']


def _token(kind, v):
    return v if kind == 'string' else js_number_str(v)


def _number(table, kind, v, i, used_by):
    if kind == 'number':
        return v
    n = parse_number_cell(v)
    if math.isnan(n):
        raise DataError(f'{table.where(i)}: {used_by}: {v!r} is not a number')
    return n


class Pipeline:
    def __init__(self, manifest):
        if manifest.get('format') != 'mmoe-compile/pipeline' or manifest.get('version') != 1:
            raise DataError('pipeline.json: not an mmoe-compile pipeline (format/version)')
        for f in manifest['features']:
            if f['type'] == 'cross':
                raise DataError(f'pipeline.json: feature "{f["name"]}" is a hashed cross (type: cross), which this package\'s pipeline.py does not compute; train with `mmoe-compile train <spec> --engine torch`, which passes the ids mmoe-compile\'s data pipeline computes')
        self.manifest = manifest
        self.encoders = {k: IdEncoder(m) for k, m in manifest['idSpaces'].items()}

    def transform(self, table):
        """{input name: np array [n, width]}, the kept rows (missing.policy skip drops rows)."""
        feats = self.manifest['features']
        cols = [table.column(f['column'], f'feature "{f["name"]}"') for f in feats]
        drop = set()
        for f, (_, _, missing) in zip(feats, cols):
            if f['missing'] == 'skip':
                drop.update(i for i, m in enumerate(missing) if m)
        rows = [i for i in range(table.row_count) if i not in drop]
        out = {}
        for f, (kind, values, missing) in zip(feats, cols):
            out[f['name']] = self._feature(f, table, kind, values, missing, rows)
        return out, rows

    def _missing(self, table, f, i):
        if f['missing'] != 'fill':
            raise DataError(f'{table.where(i)}: feature "{f["name"]}" (column "{f["column"]}") is missing and its missing.policy is {f["missing"]}')

    def _feature(self, f, table, kind, values, missing, rows):
        t = f['type']
        used_by = f'feature "{f["name"]}"'
        if t == 'numeric':
            out = np.empty((len(rows), 1), dtype=np.float32)
            log = f['normalization'] == 'log'
            for k, i in enumerate(rows):
                if missing[i]:
                    self._missing(table, f, i)
                    out[k, 0] = f['fillValue']
                else:
                    x = _number(table, kind, values[i], i, used_by)
                    g = math.log1p(max(x, 0.0)) if log else x
                    out[k, 0] = (g - f['center']) / f['scale']
            return out
        if t == 'bucketized':
            import bisect
            out = np.empty((len(rows), 1), dtype=np.int64)
            for k, i in enumerate(rows):
                if missing[i]:
                    self._missing(table, f, i)
                    out[k, 0] = f['fillId']
                else:
                    out[k, 0] = bisect.bisect_right(f['boundaries'], _number(table, kind, values[i], i, used_by))
            return out
        enc = self.encoders[f['idSpace']]
        if t == 'categorical':
            out = np.empty((len(rows), 1), dtype=np.int64)
            for k, i in enumerate(rows):
                if missing[i]:
                    self._missing(table, f, i)
                    out[k, 0] = f['fillId']
                else:
                    out[k, 0] = enc.encode(_token(kind, values[i]))
            return out
        if t == 'sequence':
            L = f['maxLength']
            out = np.full((len(rows), L), PAD_ID, dtype=np.int64)
            for k, i in enumerate(rows):
                if missing[i]:
                    self._missing(table, f, i)
                    out[k, :len(f['fillIds'])] = f['fillIds']
                    continue
                if kind == 'number':
                    tokens = [js_number_str(values[i])]
                else:
                    tokens = [p for p in values[i].split(f['separator']) if p != ''][:L]
                for j, tok in enumerate(tokens):
                    out[k, j] = enc.encode(tok)
            return out
        raise DataError(f'pipeline.json: unknown feature type {t!r}')


def labels_and_masks(table, spec, rows):
    """src/data/labels.ts transformLabels: {task: (labels float32 [n], mask float32 [n])}."""
    scenario_col = spec['scenarios']['feature'] if spec.get('scenarios') else None
    if scenario_col is not None:
        feat = next((f for f in spec['features'] if f['name'] == scenario_col), None)
        scenario_col = feat.get('column', feat['name']) if feat else scenario_col
    out = {}
    for task in spec['tasks']:
        for key in ('labelFrom', 'evaluation', 'sampleWeight'):
            if task.get(key) is not None:
                raise DataError(f'task "{task["name"]}": {key} is computed by mmoe-compile\'s data pipeline, not by this package\'s pipeline.py; train with `mmoe-compile train <spec> --engine torch`, which passes the labels, masks and weights it computes')
        if spec.get('training', {}).get('sampleWeight') is not None:
            raise DataError('training.sampleWeight is computed by mmoe-compile\'s data pipeline, not by this package\'s pipeline.py; train with `mmoe-compile train <spec> --engine torch`')
        if task.get('label') is None:
            continue
        who = f'task "{task["name"]}"'
        kind, values, missing = table.column(task['label'], who)
        binary = task.get('type', 'binary') == 'binary'
        # multi-class: the index of the value in classes (src/data/class-labels.ts); a value
        # outside them is an error at its row, or (unknownClass: skip) leaves the row out
        classes = {_token('string', str(c)) if isinstance(c, str) else _token('number', c): j for j, c in enumerate(task.get('classes') or [])} if task.get('type') == 'multiclass' else None
        positive = task.get('positive', True)
        space = task.get('sampleSpace')
        scol = table.column(space['column'], f'{who} sampleSpace') if space else None
        equals = space.get('equals', 1) if space else None
        scen = None
        if task.get('scenarios') is not None:
            scen = (table.column(scenario_col, f'{who} scenarios'), set(task['scenarios']))
        lab = np.zeros(len(rows), dtype=np.float32)
        mask = np.zeros(len(rows), dtype=np.float32)
        for k, i in enumerate(rows):
            if missing[i]:
                continue
            if classes is not None:
                c = classes.get(_token(kind, values[i]))
                if c is None:
                    if task.get('unknownClass') == 'skip':
                        continue
                    raise DataError(f'{table.where(i)}: {who}: label {values[i]!r} in column "{task["label"]}" is not one of its {len(classes)} classes; add it to classes, or set unknownClass: skip')
                lab[k] = c
            else:
                lab[k] = (1.0 if cell_equals(kind, values[i], positive) else 0.0) if binary else _number(table, kind, values[i], i, f'{who} label')
            if scol is not None and (scol[2][i] or not cell_equals(scol[0], scol[1][i], equals)):
                continue
            if scen is not None:
                (sk, sv, sm), allowed = scen
                if sm[i] or _token(sk, sv[i]) not in allowed:
                    continue
            mask[k] = 1.0
        out[task['name']] = (lab, mask)
    return out


def scenario_index(table, spec, ir, rows):
    sc = ir.get('scenario')
    if not sc:
        return None
    feat = next((f for f in spec['features'] if f['name'] == sc['feature']), None)
    column = feat.get('column', feat['name']) if feat else sc['feature']
    kind, values, missing = table.column(column, 'the scenario feature')
    index = {v: i for i, v in enumerate(sc['values'])}
    out = np.empty((len(rows), 1), dtype=np.int64)
    for k, i in enumerate(rows):
        out[k, 0] = len(sc['values']) if missing[i] else index.get(_token(kind, values[i]), len(sc['values']))
    return out


if __name__ == '__main__':
    # python3 pipeline.py pipeline.json spec.json ir.json data.csv out.npz|out.json : the encoded rows.
    import json
    manifest, spec, ir = (json.load(open(p, encoding='utf-8')) for p in sys.argv[1:4])
    try:
        table = read_csv(sys.argv[4], spec)
        inputs, rows = Pipeline(manifest).transform(table)
        s = scenario_index(table, spec, ir, rows)
        if s is not None:
            inputs['scenario-index'] = s
        for task, (lab, mask) in labels_and_masks(table, spec, rows).items():
            inputs[f'label:{task}'] = lab
            inputs[f'mask:{task}'] = mask
        if sys.argv[5].endswith('.json'):
            with open(sys.argv[5], 'w', encoding='utf-8') as f:
                json.dump({'rows': len(rows), 'arrays': {k: v.reshape(-1).tolist() for k, v in inputs.items()}}, f)
        else:
            np.savez(sys.argv[5], **inputs)
    except DataError as e:
        print(f'pipeline.py: {e}', file=sys.stderr)
        sys.exit(1)
