# Training rate of the PyTorch target (bench/sections/70-torch.mjs, 72-small-steps.mjs). argv:
# package dir, encoded data dir, rounds. Prints one JSON line: examples/s per round (and, as
# generated_cpu / loop_cpu, examples per CPU-second of the process) for
#   generated  the exported model.py (a pool's experts as one batched product, a level's gates
#              as one product), Adam, batch 512, the package's objective
#   loop       the same model written the way public PyTorch MMoE implementations write it
#              (torch-rechub's MMOE: nn.ModuleList of per-expert MLPs, torch.stack of their
#              outputs, one nn.Linear + softmax per gate, nn.BatchNorm1d, a Python loop over experts)
# interleaved round by round. Optional argv: batch size (default 512), and `shuffle` to read each
# epoch's batches in a seeded random order (as the project's loop does) instead of consecutively.
# Under torchrun (WORLD_SIZE > 1) only `generated` runs, with DistributedDataParallel and the
# global batch split over the processes; rank 0 prints.
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
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
spec_ = importlib.util.spec_from_file_location('train_pkg', os.path.join(pkg, 'train.py'))
T = importlib.util.module_from_spec(spec_)
spec_.loader.exec_module(T)
import mmoe_weights  # noqa: E402

ir = T.load_json('ir.json')
data = T.read_encoded(data_dir)
BATCH = int(sys.argv[4]) if len(sys.argv) > 4 else 512
SHUFFLE = len(sys.argv) > 5 and sys.argv[5] == 'shuffle'
world = int(os.environ.get('WORLD_SIZE', '1'))
rank = int(os.environ.get('RANK', '0'))
if world > 1:
    dist.init_process_group('gloo')
tasks = [t for t in ir['tasks'] if t.get('label') is not None]

from loop_mmoe import LoopMMoE  # noqa: E402


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
    order = np.random.default_rng(len(res['generated'])).permutation(data['n']) if SHUFFLE else np.arange(data['n'])
    t0 = time.perf_counter()
    c0 = time.process_time()
    for s in range(0, n, BATCH):
        rows = order[s : s + BATCH][rank::world]
        loss = objective(model(T.tensors(data, rows)), rows) * world
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    cpu[model is loop].append(n / (time.process_time() - c0))
    return n / (time.perf_counter() - t0)


gen = T.Model()
mmoe_weights.load_tfjs_into(gen, pkg, T.load_json('weights_map.json'))
gen.train()
gen_net = nn.parallel.DistributedDataParallel(gen) if world > 1 else gen
gen_opt = torch.optim.Adam(gen.parameters(), lr=1e-3, eps=1e-7)
loop = LoopMMoE(ir) if world == 1 else None
loop_opt = torch.optim.Adam(loop.parameters(), lr=1e-3, eps=1e-7) if loop else None
res = {'generated': [], 'loop': []}
cpu = {False: [], True: []}  # examples per CPU-second of this process, per epoch (True: loop)
epoch(gen_net, gen_opt)
if loop:
    epoch(loop, loop_opt)
for _ in range(rounds):
    res['generated'].append(epoch(gen_net, gen_opt))
    if loop:
        res['loop'].append(epoch(loop, loop_opt))
res['generated_cpu'], res['loop_cpu'] = cpu[False][1:], cpu[True][1:]  # without the warm-up epochs
if rank == 0:
    print(json.dumps(res), flush=True)
if world > 1:
    dist.destroy_process_group()
