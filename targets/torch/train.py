# Training the exported model on PyTorch, in one process or many (torchrun + DistributedDataParallel).
#
#   python3 train.py --data train.csv --out model-folder
#   torchrun --standalone --nproc_per_node=2 train.py --data train.csv --out model-folder
#   torchrun --nnodes=2 --node_rank=R --rdzv_endpoint=HOST:PORT --nproc_per_node=4 train.py ...
#
# The objective is mmoe-compile's (src/train/loss.ts, loop.ts): the sum over tasks with a label
# of weight_k x the masked mean of the task's loss (binary cross-entropy on probabilities clipped
# to [1e-7, 1 - 1e-7], mse, mae or huber), sample-space masks, ESMM products, L2 on the kernels
# the spec regularises; batches in the same seeded order as the tfjs engine (per epoch); the
# spec's optimizer; early stopping on the spec's validation metric with the best weights kept.
# With W processes each rank trains on its shard of every global batch (rows k*W + rank of the
# batch order), and each task's masked mean divides by the mask count of the GLOBAL batch
# (all-reduced), so the averaged gradients are the gradients of the one-process objective.
# Batch-norm statistics are per process (as DistributedDataParallel does).
#
# The output folder is a complete mmoe-compile model folder: model.json and the carried
# pipeline.json / ir.json / spec.json unchanged, weights.bin holding the trained weights in
# model.json's layout, history.json (per-epoch loss and validation metrics), run-record.json.
import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torch.distributed as dist

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import mmoe_weights  # noqa: E402
import pipeline as pl  # noqa: E402
from model import Model  # noqa: E402

EPS = 1e-7
HIGHER_IS_BETTER = {'auc', 'accuracy'}


def load_json(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        return json.load(f)


# --- data ---

def encode_csv(path, spec, ir, manifest):
    table = pl.read_csv(path, spec)
    inputs, rows = pl.Pipeline(manifest).transform(table)
    s = pl.scenario_index(table, spec, ir, rows)
    if s is not None:
        inputs['scenario-index'] = s
    labels = pl.labels_and_masks(table, spec, rows)
    return {'n': len(rows), 'inputs': inputs, 'labels': {k: v[0] for k, v in labels.items()}, 'masks': {k: v[1] for k, v in labels.items()}}


def read_encoded(folder):
    """Arrays written by `mmoe-compile train --engine torch` (encoded.json + raw little-endian files)."""
    with open(os.path.join(folder, 'encoded.json'), encoding='utf-8') as f:
        meta = json.load(f)
    out = {'n': meta['n'], 'inputs': {}, 'labels': {}, 'masks': {}}
    for section in ('inputs', 'labels', 'masks'):
        for name, e in meta[section].items():
            dtype = '<i4' if e['dtype'] == 'int32' else '<f4'
            a = np.fromfile(os.path.join(folder, e['file']), dtype=dtype)
            out[section][name] = a.reshape(meta['n'], e['width']) if section == 'inputs' else a
    return out


def subset(data, rows):
    rows = np.asarray(rows, dtype=np.int64)
    return {'n': len(rows), 'inputs': {k: v[rows] for k, v in data['inputs'].items()},
            'labels': {k: v[rows] for k, v in data['labels'].items()}, 'masks': {k: v[rows] for k, v in data['masks'].items()}}


def tensors(data, rows):
    x = {}
    for name, dtype, width in Model.INPUTS:
        a = data['inputs'][name][rows]
        x[name] = torch.from_numpy(np.ascontiguousarray(a)).to(torch.int64 if dtype == 'int32' else torch.float32).reshape(len(rows), width)
    return x


# --- objective and metrics ---

def task_loss(task, p, y):
    loss = task['loss']
    if loss == 'binary_crossentropy':
        q = p.clamp(EPS, 1 - EPS)
        # label smoothing and focal loss as in src/train/binary-loss.ts (docs/training.md)
        eps = task.get('labelSmoothing') or 0
        if eps > 0:
            y = y * (1 - eps) + eps / 2
        pos, neg = y * torch.log(q), (1 - y) * torch.log(1 - q)
        focal = task.get('focal')
        if focal:
            if focal['gamma'] != 0:
                pos, neg = pos * (1 - q) ** focal['gamma'], neg * q ** focal['gamma']
            if focal.get('alpha') is not None:
                pos, neg = pos * focal['alpha'], neg * (1 - focal['alpha'])
        return -(pos + neg)
    if loss == 'mse':
        return (p - y) ** 2
    if loss == 'mae':
        return (p - y).abs()
    if loss == 'huber':
        a = (p - y).abs()
        return torch.where(a <= 1, 0.5 * a * a, a - 0.5)
    if loss == 'categorical_crossentropy':
        # p: softmax probabilities [n, K]; y: the class index (src/train/loss.ts)
        q = p.reshape(len(y), -1).clamp(EPS, 1)
        return -torch.log(q.gather(1, y.long().reshape(-1, 1))).reshape(-1)
    raise ValueError(f'unsupported loss {loss!r}')


def l2_penalty(model, ir):
    """The L2 the tfjs model adds: l2 x sum(kernel^2) over the MLP kernels of blocks with l2 > 0."""
    total = 0.0
    for kind, blocks in (('pools', [p for lv in ir['levels'] for p in lv['pools']]), ('towers', ir['towers'])):
        for b in blocks:
            if b['l2'] <= 0:
                continue
            key = re.sub(r'[^A-Za-z0-9_]', '_', b['name'])
            container = getattr(model, kind)
            if key not in container:
                continue
            m = container[key]
            subs = list(m) if isinstance(m, torch.nn.ModuleList) else [m]
            for sub in subs:
                kernels = list(sub.kernels) if hasattr(sub, 'kernels') else [d.kernel for d in sub.dense]
                total = total + b['l2'] * sum((k ** 2).sum() for k in kernels)
    return total


def auc(pred, label):
    pos, neg = label.sum(), len(label) - label.sum()
    if pos == 0 or neg == 0:
        return math.nan
    order = np.argsort(pred, kind='mergesort')
    ranks = np.empty(len(pred))
    sp = pred[order]
    i = 0
    while i < len(sp):  # average ranks over ties
        j = i
        while j + 1 < len(sp) and sp[j + 1] == sp[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[label == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def weighted_auc(pred, label, w):
    """src/train/metrics.ts auc: the weighted Mann-Whitney statistic, a tied pair counting one half."""
    scores, inv = np.unique(pred, return_inverse=True)
    pos = np.bincount(inv, weights=w * (label > 0.5), minlength=len(scores))
    neg = np.bincount(inv, weights=w * (label <= 0.5), minlength=len(scores))
    below = np.concatenate([[0.0], np.cumsum(neg)[:-1]])
    pw, nw = pos.sum(), neg.sum()
    if pw <= 0 or nw <= 0:
        return math.nan
    return float((pos * (below + neg / 2)).sum() / (pw * nw))


def multiclass_metrics_of(names, pred, label, top_k):
    """src/train/multiclass-metrics.ts: pred [n, K] probabilities, label the class index."""
    out = {}
    y = label.astype(np.int64)
    n, k_classes = pred.shape
    for m in names:
        if n == 0:
            out[m] = math.nan
        elif m == 'accuracy':
            out[m] = float((pred.argmax(axis=1) == y).mean())
        elif m == 'top_k_accuracy':
            above = (pred > pred[np.arange(n), y][:, None]).sum(axis=1)
            out[m] = float((above < top_k).mean())
        elif m == 'macro_auc':
            per = [auc(pred[:, c], (y == c).astype(np.float64)) for c in range(k_classes)]
            per = [a for a in per if not math.isnan(a)]
            out[m] = float(np.mean(per)) if per else math.nan
        elif m == 'logloss':
            out[m] = float(-np.log(np.clip(pred[np.arange(n), y], EPS, 1)).mean())
    return out


def metrics_of(names, pred, label, w=None):
    """w: the rows' sample weights (the mask values); None = unweighted."""
    out = {}
    wsum = None if w is None else float(w.sum())
    mean = (lambda v: float(v.mean())) if w is None else (lambda v: float((v * w).sum() / wsum))
    for m in names:
        if len(pred) == 0 or (w is not None and wsum <= 0):
            out[m] = math.nan
        elif m == 'auc':
            out[m] = auc(pred, label) if w is None else weighted_auc(pred, label, w)
        elif m == 'logloss':
            q = np.clip(pred, EPS, 1 - EPS)
            out[m] = mean(-(label * np.log(q) + (1 - label) * np.log(1 - q)))
        elif m == 'accuracy':
            out[m] = mean(((pred >= 0.5) == (label >= 0.5)).astype(np.float64))
        elif m == 'mse':
            out[m] = mean((pred - label) ** 2)
        elif m == 'mae':
            out[m] = mean(np.abs(pred - label))
    return out


def evaluate(model, ir, data, batch=4096):
    model.eval()
    preds = {t['name']: [] for t in ir['tasks']}
    with torch.no_grad():
        for s in range(0, data['n'], batch):
            y = model(tensors(data, np.arange(s, min(data['n'], s + batch))))
            for k, v in y.items():
                preds[k].append(v.reshape(v.shape[0], -1).double().numpy())
    model.train()
    reports = []
    for t in ir['tasks']:
        if t['name'] not in data['labels']:
            continue
        p = np.concatenate(preds[t['name']]) if preds[t['name']] else np.zeros((0, 1))
        w = data['masks'][t['name']]
        m = w > 0
        y = data['labels'][t['name']][m].astype(np.float64)
        if t['type'] == 'multiclass':
            metrics = multiclass_metrics_of(t['metrics'], p[m], y, t.get('topK', 3))
        else:
            # masks hold sample weights: weighted metrics only when a weight differs from 1
            weights = w[m].astype(np.float64) if np.any(w[m] != 1) else None
            metrics = metrics_of(t['metrics'], p[m].reshape(-1), y, weights)
        reports.append({'task': t['name'], 'rows': int(m.sum()), 'metrics': metrics})
    return reports


def embedding_l2_penalty(model, ir, training):
    """training.embeddingL2 as src/train/step-options.ts adds it: lambda x sum(table^2) per table."""
    total = 0.0
    for key, lam in (training.get('embeddingL2') or {}).items():
        if lam <= 0:
            continue
        for t in ir['embeddings']:
            k = re.sub(r'[^A-Za-z0-9_]', '_', t['name'])
            if t['name'] in (f'emb_{key}', f'shared_{key}') and k in model.tables:
                total = total + lam * (model.tables[k].embeddings ** 2).sum()
    return total


def dwa_weights(means, k, temperature):
    """Dynamic Weight Average from the epoch means so far: src/train/task-weighting.ts, dwaWeights."""
    if len(means) < 2:
        return [1.0] * k
    last, before = means[-1], means[-2]
    r = [l / b if b > 0 and math.isfinite(l / b) else 1.0 for l, b in zip(last, before)]
    e = [math.exp(x / temperature) for x in r]
    return [k * x / sum(e) for x in e]


def learning_rate_at(training, step, total):
    """training.learningRateSchedule at a 0-based step: src/train/schedule.ts, learningRateAt."""
    lr, s = training['learningRate'], training.get('learningRateSchedule')
    if not s:
        return lr
    w = s.get('warmupSteps', 0)
    if step < w:
        return lr * (step + 1) / w
    t, decay = step - w, s.get('decay', 'constant')
    if decay == 'step':
        return lr * s['decayRate'] ** (t // s['decaySteps'])
    if decay == 'exponential':
        return lr * s['decayRate'] ** (t / s['decaySteps'])
    if decay == 'cosine':
        span, m = max(1, total - w - 1), s.get('minLearningRate', 0)
        return m + (lr - m) * (1 + math.cos(math.pi * min(t, span) / span)) / 2
    return lr


def make_optimizer(params, training):
    lr, name = training['learningRate'], training.get('optimizer', 'adam')
    # tfjs' defaults: epsilon 1e-7; adagrad starts its accumulators at 0.1; rmsprop decay 0.9.
    if name == 'sgd':
        return torch.optim.SGD(params, lr=lr)
    if name == 'adagrad':
        return torch.optim.Adagrad(params, lr=lr, initial_accumulator_value=0.1, eps=1e-7)
    if name == 'rmsprop':
        return torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-7)
    return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-7)


# --- output ---

MARKER = '.mmoe-compile-output'  # src/util/safe-output.ts: the tool's record of a folder it wrote


def _owned_files(out):
    """The files listed by the folder's marker, or None when the folder is not the tool's."""
    try:
        with open(os.path.join(out, MARKER), encoding='utf-8') as f:
            marker = json.load(f)
    except (OSError, ValueError):
        return None
    files = marker.get('files') if isinstance(marker, dict) and marker.get('tool') == 'mmoe-compile' else None
    if not isinstance(files, list) or not all(isinstance(x, str) and '/' not in x and x not in ('', '.', '..') for x in files):
        return None
    present = set(os.listdir(out)) - {MARKER}
    return files if present <= set(files) else None


def write_model_folder(out, model, history, record):
    """Atomic (a temporary folder renamed into place), and only where mmoe-compile may write: an
    absent path, an empty folder, or a folder it wrote (its marker lists every file there)."""
    out = os.path.abspath(out)
    old_files = None
    if os.path.lexists(out):
        if os.path.islink(out) or not os.path.isdir(out):
            raise SystemExit(f'train.py: refusing to write {out}: it exists and is not a folder')
        if os.listdir(out):
            old_files = _owned_files(out)
            if old_files is None:
                raise SystemExit(f'train.py: refusing to write {out}: a non-empty folder that mmoe-compile did not write (no {MARKER} listing its files)')
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f'.{os.path.basename(out)}.tmp-', dir=parent)
    try:
        for f in ('model.json', 'pipeline.json', 'ir.json', 'spec.json'):
            shutil.copyfile(os.path.join(HERE, f), os.path.join(tmp, f))
        with open(os.path.join(tmp, 'weights.bin'), 'wb') as f:
            f.write(mmoe_weights.tfjs_weight_bytes(model, HERE, load_json('weights_map.json')))
        with open(os.path.join(tmp, 'history.json'), 'w', encoding='utf-8') as f:
            json.dump(history, f, indent=1)
        with open(os.path.join(tmp, 'run-record.json'), 'w', encoding='utf-8') as f:
            json.dump(record, f, indent=1, sort_keys=True)
        names = sorted(os.listdir(tmp))
        with open(os.path.join(tmp, MARKER), 'w', encoding='utf-8') as f:
            json.dump({'tool': 'mmoe-compile', 'kind': 'model', 'files': names}, f, indent=2)
            f.write('\n')
        old = None
        if os.path.lexists(out):
            old = tempfile.mkdtemp(prefix=f'.{os.path.basename(out)}.old-', dir=parent)
            os.rmdir(old)
            os.replace(out, old)
        os.replace(tmp, out)
        if old:
            # only what the marker listed (never a recursive delete of an unknown tree)
            for name in (old_files or []) + [MARKER]:
                try:
                    os.unlink(os.path.join(old, name))
                except FileNotFoundError:
                    pass
            os.rmdir(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def main(argv=None):
    ap = argparse.ArgumentParser(description='Train the exported mmoe-compile model on PyTorch.')
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument('--data', nargs='+', help='training CSV file(s), read through pipeline.json')
    src.add_argument('--encoded', help='a folder of encoded arrays (written by mmoe-compile train --engine torch)')
    ap.add_argument('--validation', help='validation CSV (default: the spec\'s validationFraction of --data) or encoded folder')
    ap.add_argument('--out', required=True, help='model folder to write (rank 0)')
    ap.add_argument('--epochs', type=int, help='override training.epochs')
    ap.add_argument('--batch-size', type=int, help='override training.batchSize (the global batch)')
    ap.add_argument('--optimizer', help='override training.optimizer')
    ap.add_argument('--learning-rate', type=float, help='override training.learningRate')
    ap.add_argument('--threads', type=int, default=1, help='torch threads per process (default 1)')
    ap.add_argument('--backend', default=None, help='torch.distributed backend (default: nccl with CUDA, else gloo)')
    ap.add_argument('--log-json', action='store_true', help='one JSON line per epoch on stdout')
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)

    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    own_group = world > 1 and not dist.is_initialized()
    if own_group:
        dist.init_process_group(args.backend or ('nccl' if torch.cuda.is_available() else 'gloo'))
    spec, ir, manifest = load_json('spec.json'), load_json('ir.json'), load_json('pipeline.json')
    training = dict(spec['training'])
    for key, value in (('epochs', args.epochs), ('batchSize', args.batch_size), ('optimizer', args.optimizer), ('learningRate', args.learning_rate)):
        if value is not None:
            training[key] = value
    seed = training['seed']

    try:
        if args.encoded:
            train = read_encoded(args.encoded)
            validation = read_encoded(args.validation) if args.validation else None
        else:
            full = None
            for path in args.data:
                part = encode_csv(path, spec, ir, manifest)
                full = part if full is None else {'n': full['n'] + part['n'], **{s: {k: np.concatenate([full[s][k], part[s][k]]) for k in full[s]} for s in ('inputs', 'labels', 'masks')}}
            if args.validation:
                train, validation = full, encode_csv(args.validation, spec, ir, manifest)
            else:
                held, kept = pl.seeded_split(full['n'], training.get('validationFraction', 0), seed, 'validation')
                train, validation = subset(full, kept), subset(full, held)
    except pl.DataError as e:
        raise SystemExit(f'train.py: {e}')
    if train['n'] == 0:
        raise SystemExit('train.py: no training rows')

    model = Model()
    mmoe_weights.load_tfjs_into(model, HERE, load_json('weights_map.json'))
    model.train()
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    loss_tasks = [t for t in ir['tasks'] if t.get('label') is not None and t['weight'] > 0 and t['name'] in train['labels']]
    # training.taskWeighting (src/train/task-weighting.ts): uncertainty learns s_k = log sigma_k^2
    # with the model's optimizer; dwa weights the tasks by their last two epoch means
    weighting = dict(training.get('taskWeighting') or {})
    method = weighting.get('method', 'fixed')
    log_vars = torch.nn.Parameter(torch.zeros(len(loss_tasks))) if method == 'uncertainty' else None
    params = list(model.parameters()) + ([log_vars] if log_vars is not None else [])
    opt = make_optimizer(params, training)
    halves = torch.tensor([0.5 if t['type'] == 'regression' else 1.0 for t in loss_tasks])
    task_w = torch.tensor([float(t['weight']) for t in loss_tasks])
    dwa_means, dwa = [], [1.0] * len(loss_tasks)
    batch = min(training['batchSize'], train['n'])
    batches = math.ceil(train['n'] / batch)
    es = training.get('earlyStopping')
    history, best_value, best_epoch, best_state, since_best = [], math.nan, 0, None, 0
    stopped_early = False
    t_start = time.time()
    for epoch in range(1, training['epochs'] + 1):
        t0 = time.time()
        order = pl.epoch_order(train['n'], seed, epoch)
        loss_sum = 0.0
        task_sums = [0.0] * len(loss_tasks)
        for b in range(batches):
            rows = order[b * batch:min(train['n'], (b + 1) * batch)]
            mine = rows[rank::world]
            x = tensors(train, mine)
            ys = [torch.from_numpy(train['labels'][t['name']][mine]) for t in loss_tasks]
            ms = [torch.from_numpy(train['masks'][t['name']][mine]) for t in loss_tasks]
            # The global batch's mask sum per task (the masked mean's denominator).
            counts = torch.tensor([float(train['masks'][t['name']][rows].sum()) for t in loss_tasks], dtype=torch.float64)
            out = net(x)
            data_loss = torch.zeros((), dtype=torch.float32)
            extra = torch.zeros((), dtype=torch.float32)  # the same on every rank (uncertainty's s_k / 2)
            shares = []
            for k, t in enumerate(loss_tasks):
                o = out[t['name']]
                per = task_loss(t, o if t['type'] == 'multiclass' else o.reshape(-1), ys[k]) * ms[k]
                # masks hold sample weights (1 without): sum(w l) / sum(w), as src/train/loss.ts
                share = per.sum() / max(float(counts[k]), 1e-12)
                shares.append(share)
                if method == 'uncertainty':
                    data_loss = data_loss + t['weight'] * halves[k] * torch.exp(-log_vars[k]) * share
                    extra = extra + t['weight'] * log_vars[k] * 0.5
                else:
                    data_loss = data_loss + t['weight'] * (dwa[k] if method == 'dwa' else 1.0) * share
            penalty = l2_penalty(model, ir) + embedding_l2_penalty(model, ir, training)
            if training.get('learningRateSchedule'):
                rate = learning_rate_at(training, (epoch - 1) * batches + b, training['epochs'] * batches)
                for g in opt.param_groups:
                    g['lr'] = rate
            opt.zero_grad(set_to_none=True)
            # DDP averages gradients over ranks: each rank's data loss is its share of the global
            # batch's sum, so W x it averages to the one-process gradient (the L2 term, the same on
            # every rank, averages to itself).
            (data_loss * world + penalty + extra).backward()
            if log_vars is not None and world > 1:
                # s_k is outside DDP: average its gradient over the ranks here
                dist.all_reduce(log_vars.grad)
                log_vars.grad /= world
            if training.get('gradientClipNorm') is not None:
                torch.nn.utils.clip_grad_norm_(params, training['gradientClipNorm'])
            opt.step()
            value = data_loss.detach().clone()
            if world > 1:
                dist.all_reduce(value)
            value = float(value) + float(penalty) + float(extra)
            if method == 'dwa':
                got = torch.stack([x.detach() for x in shares])
                if world > 1:
                    dist.all_reduce(got)
                task_sums = [a + float(x) for a, x in zip(task_sums, got)]
            if not math.isfinite(value):
                raise SystemExit(f'train.py: the loss became {value} at epoch {epoch}, batch {b + 1}; training stopped. Try a lower training.learningRate')
            loss_sum += value
        seconds = time.time() - t0
        reports = evaluate(model, ir, validation) if validation and validation['n'] > 0 else []
        row = {'epoch': epoch, 'loss': loss_sum / batches, 'seconds': seconds, 'examplesPerSecond': train['n'] / seconds if seconds > 0 else 0, 'validation': reports}
        if training.get('learningRateSchedule'):
            row['learningRate'] = rate
        if method == 'uncertainty':
            row['taskWeights'] = {t['name']: float(task_w[k] * halves[k] * torch.exp(-log_vars[k].detach())) for k, t in enumerate(loss_tasks)}
        elif method == 'dwa':
            row['taskWeights'] = {t['name']: t['weight'] * dwa[k] for k, t in enumerate(loss_tasks)}
            dwa_means = (dwa_means + [[x / batches for x in task_sums]])[-2:]
            dwa = dwa_weights(dwa_means, len(loss_tasks), weighting.get('temperature', 2))
        best = False
        if es:
            watched = next((r['metrics'].get(es['metric']) for r in reports if r['task'] == es['task']), None)
            if watched is not None:
                row['watched'] = watched
            higher = es['metric'] in HIGHER_IS_BETTER
            if watched is not None and math.isfinite(watched) and (math.isnan(best_value) or (watched > best_value if higher else watched < best_value)):
                best_value, best = watched, True
        else:
            best = True
        row['best'] = best
        if best:
            best_epoch, since_best = epoch, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            since_best += 1
        history.append(row)
        if rank == 0:
            line = json.dumps(row) if args.log_json else f"epoch {epoch}: loss {row['loss']:.4f}, {row['examplesPerSecond']:.0f} ex/s" + ''.join(f", {r['task']} {k} {v:.4f}" for r in reports for k, v in r['metrics'].items())
            print(line, file=sys.stdout if args.log_json else sys.stderr, flush=True)
        if es and since_best > es['patience']:
            stopped_early = True
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    if rank == 0:
        record = {'engine': 'torch', 'torch': torch.__version__, 'python': sys.version.split()[0], 'processes': world, 'threads': args.threads,
                  'seed': seed, 'bestEpoch': best_epoch, 'stoppedEarly': stopped_early, 'trainSeconds': time.time() - t_start,
                  'data': args.data or args.encoded, 'createdAt': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}
        write_model_folder(args.out, model, {'epochs': history, 'bestEpoch': best_epoch, 'stoppedEarly': stopped_early}, record)
    if world > 1:
        dist.barrier()
    if own_group:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
