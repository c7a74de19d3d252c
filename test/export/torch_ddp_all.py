# Test driver, run under torchrun (or alone: one process): trains every package of argv[1] (a JSON list of
# {"dir", "data", "out", "batch", "pred", optional "args"}) for one epoch with train.main (one process group for
# all), then rank 0 writes the trained model's outputs on the case's batch (for the round trip).
import importlib.util
import json
import os
import sys

import torch
import torch.distributed as dist

torch.set_num_threads(1)
DISTRIBUTED = 'WORLD_SIZE' in os.environ
if DISTRIBUTED:
    dist.init_process_group('gloo')
cases = json.load(open(sys.argv[1]))
for i, case in enumerate(cases):
    for mod in ('mmoe_layers', 'mmoe_weights', 'model', 'pipeline'):
        sys.modules.pop(mod, None)
    spec = importlib.util.spec_from_file_location(f'train_{i}', os.path.join(case['dir'], 'train.py'))
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    train.main(['--encoded', case['data'], '--out', case['out']] + case.get('args', ['--epochs', '1', '--batch-size', '32']))
    if (not DISTRIBUTED or dist.get_rank() == 0) and case.get('pred'):
        import mmoe_weights
        model = train.Model()
        mmoe_weights.load_tfjs_into(model, case['out'], train.load_json('weights_map.json'))
        model.eval()
        batch = json.load(open(case['batch']))
        x = {n: torch.tensor(batch[n], dtype=torch.float32 if d == 'float32' else torch.int64) for n, d, _ in train.Model.INPUTS}
        with torch.no_grad():
            y = model(x)
        json.dump({k: v.reshape(-1).double().tolist() for k, v in y.items()}, open(case['pred'], 'w'))
    sys.path.remove(os.path.dirname(os.path.abspath(spec.origin)))
if DISTRIBUTED:
    dist.barrier()
    dist.destroy_process_group()
