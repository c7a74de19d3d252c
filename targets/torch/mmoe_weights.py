# Weights between the tfjs model folder (model.json's weightsManifest + weights.bin, float32
# little-endian) and the generated torch module, through weights_map.json (written by
# mmoe-compile's export from the same IR). Each map entry names a torch parameter or buffer and
# where its values sit among the tfjs weights:
#   same     the tfjs weight as it is
#   stack    one tfjs weight per expert, stacked on a new leading axis
#   experts  a fused expert layer: tfjs [in, E*out] <-> torch [E, in, out]; [E*out] <-> [E, out]
#   columns  a column range of a fused gate Dense
import json
import os

import numpy as np
import torch


def read_manifest(folder):
    with open(os.path.join(folder, 'model.json'), encoding='utf-8') as f:
        model = json.load(f)
    entries = []
    for group in model['weightsManifest']:
        for path in group['paths']:
            entries.append(('path', path))
        for w in group['weights']:
            if w.get('dtype', 'float32') != 'float32':
                raise ValueError(f"weight {w['name']}: only float32 weights are supported, got {w.get('dtype')}")
            entries.append(('weight', w))
    return model, entries


def read_tfjs_weights(folder):
    """{name: float32 array} in the manifest's order (one or more shard files per group)."""
    model, _ = read_manifest(folder)
    out = {}
    for group in model['weightsManifest']:
        data = b''.join(open(os.path.join(folder, p), 'rb').read() for p in group['paths'])
        offset = 0
        for w in group['weights']:
            n = int(np.prod(w['shape'])) if w['shape'] else 1
            out[w['name']] = np.frombuffer(data, dtype='<f4', count=n, offset=offset).reshape(w['shape']).copy()
            offset += 4 * n
    return out


def _to_torch(tf, src, shape):
    kind = src['kind']
    if kind == 'same':
        a = tf[src['name']]
    elif kind == 'stack':
        a = np.stack([tf[n] for n in src['names']])
    elif kind == 'experts':
        a = tf[src['name']]
        e = src['count']
        a = a.reshape(a.shape[0], e, -1).transpose(1, 0, 2) if a.ndim == 2 else a.reshape(e, -1)
    elif kind == 'columns':
        a = tf[src['name']]
        b, s = src['begin'], src['size']
        a = a[:, b:b + s] if a.ndim == 2 else a[b:b + s]
    else:
        raise ValueError(f'unknown weight source {kind!r}')
    a = np.ascontiguousarray(a, dtype=np.float32)
    if list(a.shape) != list(shape):
        raise ValueError(f'weight map: shape {list(a.shape)} where {list(shape)} was expected')
    return a


def load_tfjs_into(model, folder, weight_map):
    """Copy a model folder's weights into the torch module (every parameter and buffer must be mapped)."""
    tf = read_tfjs_weights(folder)
    state = model.state_dict()
    mapped = set()
    for entry in weight_map:
        name = entry['param']
        if name not in state:
            raise KeyError(f'weight map names {name}, which the module does not have')
        state[name].copy_(torch.from_numpy(_to_torch(tf, entry['source'], entry['shape'])))
        mapped.add(name)
    missing = [k for k in state if k not in mapped]
    if missing:
        raise KeyError(f'module parameters with no tfjs weight: {missing[:5]}')


def tfjs_weight_bytes(model, folder, weight_map):
    """The module's weights in the layout of folder/model.json's manifest (bytes of weights.bin)."""
    tf = read_tfjs_weights(folder)
    state = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    for entry in weight_map:
        src, a = entry['source'], state[entry['param']]
        kind = src['kind']
        if kind == 'same':
            tf[src['name']] = a.reshape(tf[src['name']].shape)
        elif kind == 'stack':
            for e, n in enumerate(src['names']):
                tf[n] = a[e].reshape(tf[n].shape)
        elif kind == 'experts':
            target = tf[src['name']]
            tf[src['name']] = (a.transpose(1, 0, 2).reshape(target.shape) if a.ndim == 3 else a.reshape(target.shape))
        elif kind == 'columns':
            b, s = src['begin'], src['size']
            if a.ndim == 2:
                tf[src['name']][:, b:b + s] = a
            else:
                tf[src['name']][b:b + s] = a
    model_json, _ = read_manifest(folder)
    parts = []
    for group in model_json['weightsManifest']:
        for w in group['weights']:
            parts.append(np.ascontiguousarray(tf[w['name']], dtype='<f4').tobytes())
    return b''.join(parts)
