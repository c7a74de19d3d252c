# A one-level MMoE written the way public PyTorch implementations write it (torch-rechub's
# models/multi_task/mmoe.py: nn.ModuleList of per-expert MLPs, torch.stack of their outputs, one
# nn.Linear + softmax per gate, nn.BatchNorm1d), built from an ir.json: the baseline the benchmarks
# compare the generated module (training, bench/lib/torch_bench.py) and the exported ONNX graph
# (serving, bench/lib/torch_onnx_export.py) against.
import torch
from torch import nn

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

    def __init__(self, ir):
        super().__init__()
        self.ir = ir
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
        for t in self.ir['tasks']:
            tw = self.tower_of[t['head']['tower']]
            y = self.heads[t['name']](self.towers[tw['name']](mixed[tw['input']['name']]))
            out[t['name']] = torch.sigmoid(y) if t['type'] == 'binary' else y
        return out


