# Training rate of the PyTorch target (bench/sections/70-torch.mjs). argv: package dir, encoded
# data dir, rounds. Prints one JSON line: examples/s per round for
#   generated  the exported model.py (a pool's experts as one batched product, a level's gates
#              as one product), Adam, batch 512, the package's objective
#   loop       the same model written the way public PyTorch MMoE implementations write it
#              (torch-rechub's MMOE: nn.ModuleList of per-expert MLPs, torch.stack of their
#              outputs, one nn.Linear + softmax per gate, nn.BatchNorm1d, a Python loop over experts)
# interleaved round by round. Under torchrun (WORLD_SIZE > 1) only `generated` runs, with
# DistributedDataParallel and the global batch split over the processes; rank 0 prints.
import importlib.util
import json
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

torch.set_num_threads(1)
pkg, data_dir, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, pkg)
spec_ = importlib.util.spec_from_file_location('train_pkg', os.path.join(pkg, 'train.py'))
T = importlib.util.module_from_spec(spec_)
spec_.loader.exec_module(T)
import mmoe_weights  # noqa: E402

ir = T.load_json('ir.json')
data = T.read_encoded(data_dir)
BATCH = 512
world = int(os.environ.get('WORLD_SIZE', '1'))
rank = int(os.environ.get('RANK', '0'))
if world > 1:
    dist.init_process_group('gloo')
tasks = [t for t in ir['tasks'] if t.get('label') is not None]

ACT = {'relu': nn.ReLU, 'leaky_relu': lambda: nn.LeakyReLU(0.2), 'elu': nn.ELU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'linear': nn.Identity, 'gelu': nn.GELU, 'selu': nn.SELU}


def mlp(in_w, m):
    layers = []
    for u in m['units']:
        layers.append(nn.Linear(in_w, u))
        if m['batchNorm']:
            layers.append(nn.BatchNorm1d(u, eps=1e-3, momentum=0.01))
        layers.append(ACT[m['activation']]())
        in_w = u
    return nn.Sequential(*layers)


class LoopMMoE(nn.Module):
    """A one-level MMoE as torch-rechub writes it (models/multi_task/mmoe.py)."""

    def __init__(self):
        super().__init__()
        (level,) = ir['levels']
        (pool,) = level['pools']
        self.feats = ir['features']
        self.emb = nn.ModuleDict({t['name']: nn.Embedding(t['vocabSize'], t['dim']) for t in ir['embeddings']})
        self.experts = nn.ModuleList(mlp(pool['inputWidth'], pool) for _ in range(pool['count']))
        self.gates = nn.ModuleList(nn.Sequential(nn.Linear(g['inputWidth'], pool['count']), nn.Softmax(dim=1)) for g in level['gates'])
        self.gate_names = [g['name'] for g in level['gates']]
        self.towers = nn.ModuleDict({t['name']: mlp(t['input']['width'], t) for t in ir['towers']})
        self.tower_of = {t['name']: t for t in ir['towers']}
        self.heads = nn.ModuleDict({k['name']: nn.Linear(self.tower_of[k['head']['tower']]['outputWidth'], 1) for k in ir['tasks']})
        self.groups = [g['name'] for g in ir['groups']]
        self.group_feats = {g['name']: g['features'] for g in ir['groups']}

    def forward(self, x):
        vec = {}
        for f in self.feats:
            if f['kind'] == 'numeric':
                vec[f['name']] = x[f['name']].float()
            elif f['kind'] == 'sequence':
                e = self.emb[f['embedding']](x[f['name']])
                m = (x[f['name']] != 0).float().unsqueeze(-1)
                vec[f['name']] = (e * m).sum(1) / m.sum(1).clamp(min=1)
            else:
                vec[f['name']] = self.emb[f['embedding']](x[f['name']]).squeeze(1)
        h = torch.cat([vec[n] for g in self.groups for n in self.group_feats[g]], dim=1)
        expert_outs = torch.stack([e(h) for e in self.experts], dim=1)
        mixed = {name: (g(h).unsqueeze(-1) * expert_outs).sum(1) for name, g in zip(self.gate_names, self.gates)}
        out = {}
        for t in ir['tasks']:
            tw = self.tower_of[t['head']['tower']]
            y = self.heads[t['name']](self.towers[tw['name']](mixed[tw['input']['name']]))
            out[t['name']] = torch.sigmoid(y) if t['type'] == 'binary' else y
        return out


def objective(out, rows):
    total = 0
    for t in tasks:
        y = torch.from_numpy(data['labels'][t['name']][rows])
        m = torch.from_numpy(data['masks'][t['name']][rows])
        per = T.task_loss(t, out[t['name']].reshape(-1), y) * m
        total = total + t['weight'] * per.sum() / m.sum().clamp(min=1)
    return total


def epoch(model, opt):
    n = data['n'] - data['n'] % BATCH
    t0 = time.perf_counter()
    for s in range(0, n, BATCH):
        rows = np.arange(s, s + BATCH)[rank::world]
        loss = objective(model(T.tensors(data, rows)), rows) * world
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return n / (time.perf_counter() - t0)


gen = T.Model()
mmoe_weights.load_tfjs_into(gen, pkg, T.load_json('weights_map.json'))
gen.train()
gen_net = nn.parallel.DistributedDataParallel(gen) if world > 1 else gen
gen_opt = torch.optim.Adam(gen.parameters(), lr=1e-3, eps=1e-7)
loop = LoopMMoE() if world == 1 else None
loop_opt = torch.optim.Adam(loop.parameters(), lr=1e-3, eps=1e-7) if loop else None
epoch(gen_net, gen_opt)
if loop:
    epoch(loop, loop_opt)
res = {'generated': [], 'loop': []}
for _ in range(rounds):
    res['generated'].append(epoch(gen_net, gen_opt))
    if loop:
        res['loop'].append(epoch(loop, loop_opt))
if rank == 0:
    print(json.dumps(res), flush=True)
if world > 1:
    dist.destroy_process_group()
