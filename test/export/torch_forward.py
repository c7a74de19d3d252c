# Test driver: for each exported package, load the tfjs weights into the generated module and
# run the forward pass on a batch (inference mode). argv[1]: JSON list of
# {"dir": package, "batch": batch.json, "out": outputs.json}.
import importlib.util
import json
import sys

import torch

torch.set_num_threads(1)
cases = json.load(open(sys.argv[1]))
for i, case in enumerate(cases):
    sys.path.insert(0, case['dir'])
    for mod in ('mmoe_layers', 'mmoe_weights', 'model'):
        sys.modules.pop(mod, None)
    spec = importlib.util.spec_from_file_location(f'model_{i}', f"{case['dir']}/model.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    import mmoe_weights
    model = m.Model()
    mmoe_weights.load_tfjs_into(model, case['dir'], json.load(open(f"{case['dir']}/weights_map.json")))
    model.eval()
    batch = json.load(open(case['batch']))
    x = {name: torch.tensor(batch[name], dtype=torch.float32 if dtype == 'float32' else torch.int64) for name, dtype, _ in m.Model.INPUTS}
    with torch.no_grad():
        y = model(x)
    json.dump({k: v.reshape(-1).double().tolist() for k, v in y.items()}, open(case['out'], 'w'))
    sys.path.pop(0)
