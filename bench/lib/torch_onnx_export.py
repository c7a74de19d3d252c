# The same model as a straightforward PyTorch implementation (loop_mmoe.py), exported with
# torch.onnx.export (opset 13, dynamic batch axis, inputs named and ordered like the tfjs model's):
# what bench/sections/71-onnx-vs-torch.mjs runs on ONNX Runtime next to mmoe-compile's own export.
# argv: the exported PyTorch package (for ir.json and the input list), the .onnx file to write.
import importlib.util
import json
import os
import sys

import torch

pkg, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, pkg)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from loop_mmoe import LoopMMoE  # noqa: E402

spec = importlib.util.spec_from_file_location('model_pkg', os.path.join(pkg, 'model.py'))
M = importlib.util.module_from_spec(spec)
spec.loader.exec_module(M)
ir = json.load(open(os.path.join(pkg, 'ir.json')))
names = [n for n, _, _ in M.Model.INPUTS]
loop = LoopMMoE(ir).eval()


class Positional(torch.nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, *xs):
        y = self.inner(dict(zip(names, xs)))
        return tuple(y[t['name']] for t in ir['tasks'])


example = tuple(torch.zeros(2, w, dtype=torch.int64 if d == 'int32' else torch.float32) for _, d, w in M.Model.INPUTS)
dynamic = {n: {0: 'batch'} for n in names} | {t['name']: {0: 'batch'} for t in ir['tasks']}
torch.onnx.export(Positional(loop), example, out, input_names=names, output_names=[t['name'] for t in ir['tasks']], dynamic_axes=dynamic, opset_version=13)
print(json.dumps({'inputs': names, 'dtypes': [d for _, d, _ in M.Model.INPUTS]}))
