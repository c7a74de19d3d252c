// The python3 the PyTorch target's tests run (they skip with the printed reason when none has torch).
import { findTorchPython } from '../../src/export/torch/python.js';

export const torch = findTorchPython();
if (!torch.python) console.warn(`[torch tests skipped] ${torch.reason}`);
