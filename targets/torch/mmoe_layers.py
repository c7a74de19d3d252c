# The building blocks of every model mmoe-compile exports to PyTorch. Generic: nothing here knows a
# spec; model.py (generated from the IR) composes these. Each block computes exactly what the
# tfjs layers of the same name compute (src/compiler/build/), with weights in tfjs' layout
# (Dense kernels [in, out]), so weights move between the two engines without transposes:
#   Dense        y = x @ kernel + bias                      (tf.layers.dense)
#   BatchNorm    Keras batch norm, epsilon 1e-3, momentum 0.99, biased batch variance (torch's
#                fused kernel for the normalisation)
#   ExpertPool   E expert MLPs as batched products: layer 0 is one [in, E*out] GEMM over the
#                shared input, later layers one bmm over [E, B, h] (the seed note's "3-D tensor"
#                trick); output [B, E, width]
#   Gate         softmax(x @ kernel + bias) / T, top-k renormalised; mix = sum_e w_e * expert_e
#   masked_pool  sum / mean / max of a sequence's embeddings over non-padding ids (id 0)
#   TargetAttention  DIN pooling of a sequence against a target of the same table
#   scenario_select  a row's own scenario column, the mean of the columns for an unknown one
import math

import torch
from torch import nn
import torch.nn.functional as F

LEAKY_RELU_ALPHA = 0.2  # src/compiler/build/layers.ts
BN_EPSILON = 1e-3  # Keras' default, as tfjs-layers
BN_MOMENTUM = 0.99


def activation(x, name):
    if name == 'linear':
        return x
    if name == 'relu':
        return F.relu(x)
    if name == 'leaky_relu':
        return F.leaky_relu(x, LEAKY_RELU_ALPHA)
    if name == 'elu':
        return F.elu(x)
    if name == 'selu':
        return F.selu(x)
    if name == 'gelu':
        return F.gelu(x)  # exact (erf) form, as tfjs-layers' 'gelu'
    if name == 'tanh':
        return torch.tanh(x)
    if name == 'sigmoid':
        return torch.sigmoid(x)
    if name == 'swish':
        return x * torch.sigmoid(x)
    raise ValueError(f'unsupported activation {name!r}')


def glorot_(t, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        t.uniform_(-limit, limit)


class Dense(nn.Module):
    def __init__(self, in_width, units):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(in_width, units))
        self.bias = nn.Parameter(torch.zeros(units))
        glorot_(self.kernel, in_width, units)

    def forward(self, x):
        return torch.addmm(self.bias, x, self.kernel)


class Table(nn.Module):
    """An embedding table [V, D]; ids index rows (the pipeline reserves 0 for padding)."""

    def __init__(self, rows, dim):
        super().__init__()
        self.embeddings = nn.Parameter(torch.empty(rows, dim).uniform_(-0.05, 0.05))

    def forward(self, ids):
        return F.embedding(ids.long(), self.embeddings)


class BatchNorm(nn.Module):
    """Batch norm over the batch axis of x [B, ...shape] (per feature of the flattened row).

    The normalisation is torch's fused kernel (it divides by the biased batch variance, as Keras);
    the moving averages follow Keras: v -= (v - batch) * (1 - momentum), with the biased variance
    (torch's own running_var would use the unbiased one)."""

    def __init__(self, shape):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.register_buffer('moving_mean', torch.zeros(shape))
        self.register_buffer('moving_variance', torch.ones(shape))

    def forward(self, x):
        flat = x.reshape(x.shape[0], -1)
        gamma, beta = self.gamma.reshape(-1), self.beta.reshape(-1)
        if not self.training:
            y = F.batch_norm(flat, self.moving_mean.reshape(-1), self.moving_variance.reshape(-1), gamma, beta, training=False, eps=BN_EPSILON)
            return y.view_as(x)
        # torch's kernel normalises with the biased batch variance (as Keras) and updates copies
        # of the moving statistics with the UNBIASED one; Keras' update is recovered from those
        # [C]-sized copies (no second pass over the batch): v' = (1-p) v + p var * (n-1)/n.
        p, n = 1 - BN_MOMENTUM, flat.shape[0]
        mean0, var0 = self.moving_mean.reshape(-1), self.moving_variance.reshape(-1)
        mean1, var1 = mean0.clone(), var0.clone()
        y = F.batch_norm(flat, mean1, var1, gamma, beta, training=True, momentum=p, eps=BN_EPSILON)
        with torch.no_grad():
            self.moving_mean.copy_(mean1.view_as(self.moving_mean))
            keras = (1 - p) * var0 + (var1 - (1 - p) * var0) * ((n - 1) / n if n > 1 else 1.0)
            self.moving_variance.copy_(keras.view_as(self.moving_variance))
        return y.view_as(x)


class Mlp(nn.Module):
    """Dense -> [BatchNorm] -> activation -> [Dropout], per layer (a tower)."""

    def __init__(self, in_width, units, activation='relu', batch_norm=False, dropout=0.0):
        super().__init__()
        self.activation, self.dropout = activation, dropout
        widths = [in_width] + list(units)
        self.dense = nn.ModuleList(Dense(widths[j], widths[j + 1]) for j in range(len(units)))
        self.bn = nn.ModuleList(BatchNorm(u) for u in units) if batch_norm else None

    def forward(self, x, *extra):
        # extra: what every Dense also reads (StarMlp: the scenario index)
        for j, d in enumerate(self.dense):
            x = d(x, *extra)
            if self.bn is not None:
                x = self.bn[j](x)
            x = activation(x, self.activation)
            if self.dropout > 0:
                x = F.dropout(x, self.dropout, self.training)
        return x


class ExpertPool(nn.Module):
    """`count` expert MLPs over one input, computed together. Output [B, count, units[-1]].

    Activations stay [B, E*h] (expert e in columns e*h .. (e+1)*h, as tfjs' fused lowering), so
    batch norm and the activation act on one contiguous tensor; layer 0 is one GEMM over the
    shared input, later layers one bmm over [E, B, h]."""

    def __init__(self, count, in_width, units, activation='relu', batch_norm=False, dropout=0.0,
                 cross_layers=0, cross_rank=None):
        super().__init__()
        self.count, self.activation, self.dropout = count, activation, dropout
        widths = [in_width] + list(units)
        self.kernels = nn.ParameterList(nn.Parameter(torch.empty(count, widths[j], widths[j + 1])) for j in range(len(units)))
        self.biases = nn.ParameterList(nn.Parameter(torch.zeros(count, widths[j + 1])) for j in range(len(units)))
        for j, k in enumerate(self.kernels):
            glorot_(k, widths[j], widths[j + 1])
        self.bn = nn.ModuleList(BatchNorm((count, u)) for u in units) if batch_norm else None
        # DCN-v2 cross layers per expert (src/compiler/build/cross.ts):
        #   x_{l+1} = x_0 * (x_l @ W + b) + x_l, W = U @ V when cross_rank is given.
        self.cross_layers, self.cross_rank = cross_layers, cross_rank
        if cross_layers:
            d, r = in_width, cross_rank
            inner = d if r is None else r
            self.cross_kernels = nn.ParameterList(nn.Parameter(torch.empty(count, inner, d)) for _ in range(cross_layers))
            self.cross_biases = nn.ParameterList(nn.Parameter(torch.zeros(count, d)) for _ in range(cross_layers))
            for k in self.cross_kernels:
                glorot_(k, inner, d)
            if r is not None:
                self.cross_down = nn.ParameterList(nn.Parameter(torch.empty(count, d, r)) for _ in range(cross_layers))
                for k in self.cross_down:
                    glorot_(k, d, r)

    def cross(self, x):
        """[B, d] -> [E, B, d]: each expert's cross layers over the shared input."""
        x0 = x.unsqueeze(0).expand(self.count, -1, -1)
        xl = x0
        for j in range(self.cross_layers):
            low = xl if self.cross_rank is None else torch.bmm(xl, self.cross_down[j])
            xl = x0 * torch.baddbmm(self.cross_biases[j].unsqueeze(1), low, self.cross_kernels[j]) + xl
        return xl

    def forward(self, x):
        b, e = x.shape[0], self.count
        k0 = self.kernels[0]
        if self.cross_layers:
            h = torch.baddbmm(self.biases[0].unsqueeze(1), self.cross(x), k0).transpose(0, 1).reshape(b, -1)
        else:
            h = torch.addmm(self.biases[0].reshape(-1), x, k0.permute(1, 0, 2).reshape(k0.shape[1], -1))  # [B, E*out]
        for j in range(len(self.kernels)):
            if j > 0:
                # bmm reads contiguous [E, B, h] (on a transposed view torch 1.13's CPU bmm is ~3x slower)
                prev = h.view(b, e, -1).transpose(0, 1).contiguous()
                h = torch.baddbmm(self.biases[j].unsqueeze(1), prev, self.kernels[j]).transpose(0, 1).reshape(b, -1)
            if self.bn is not None:
                h = self.bn[j](h)
            h = activation(h, self.activation)
            if self.dropout > 0:
                h = F.dropout(h, self.dropout, self.training)
        return h.view(b, e, -1)  # [B, E, width]


class Gate(nn.Module):
    """Gate weights [B, E] from the gate's input: softmax(logits / T), optionally top-k."""

    def __init__(self, in_width, num_experts, temperature=1.0, top_k=None):
        super().__init__()
        self.logits = Dense(in_width, num_experts)
        self.temperature, self.top_k = temperature, top_k

    def weights_from_logits(self, z):
        if self.temperature != 1:
            z = z / self.temperature
        p = torch.softmax(z, dim=-1)
        n = p.shape[-1]
        if self.top_k is None or self.top_k >= n:
            return p
        # The k largest (ties: lowest index first, as tf.argMax), renormalised.
        mask = torch.zeros_like(p)
        rest = p.detach().clone()
        for _ in range(self.top_k):
            hit = F.one_hot(torch.argmax(rest, dim=1), n).to(p.dtype)
            mask = mask + hit
            rest = rest - 2 * hit
        kept = p * mask
        return kept / kept.sum(dim=1, keepdim=True)

    def forward(self, x):
        return self.weights_from_logits(self.logits(x))


def fused_gate_weights(gates, x):
    """Several gates over the same input as one product (the level's gates as one GEMM)."""
    kernel = torch.cat([g.logits.kernel for g in gates], dim=1)
    bias = torch.cat([g.logits.bias for g in gates])
    z = torch.addmm(bias, x, kernel)
    out, begin = [], 0
    for g in gates:
        n = g.logits.kernel.shape[1]
        out.append(g.weights_from_logits(z[:, begin:begin + n]))
        begin += n
    return out


def mix(weights, experts):
    """sum_e w[b, e] * experts[b, e, :] -> [B, width]."""
    return torch.bmm(weights.unsqueeze(1), experts).squeeze(1)


def masked_pool(emb, ids, mode):
    """emb [B, L, D], ids [B, L] (0 = padding) -> [B, D]; an all-padding row gives zeros."""
    mask = (ids != 0).to(emb.dtype).unsqueeze(-1)
    count = mask.sum(dim=1)
    if mode == 'max':
        shifted = emb - (1 - mask) * 1e9
        return shifted.max(dim=1).values * torch.clamp(count, max=1)
    total = (emb * mask).sum(dim=1)
    return total if mode == 'sum' else total / torch.clamp(count, min=1)


class TargetAttention(nn.Module):
    """DIN target attention (Zhou et al., KDD 2018), as src/compiler/build/target-attention.ts:
    a_l = score(Mlp([h_l, t, h_l - t, h_l * t])) per position; the output is sum_l w_l h_l with
    w = a masked to the non-padding ids (raw, as in DIN) or their softmax over those positions.
    h [B, L, D], t [B, 1, D], ids [B, L] -> [B, D]; an all-padding row gives zeros."""

    def __init__(self, dim, units, activation='sigmoid', softmax=False):
        super().__init__()
        self.softmax = softmax
        self.mlp = Mlp(4 * dim, units, activation)
        self.score = Dense(units[-1], 1)

    def forward(self, h, t, ids):
        b, length, d = h.shape
        t = t.expand(b, length, d)
        x = torch.cat([h, t, h - t, h * t], dim=-1).reshape(b * length, 4 * d)
        a = self.score(self.mlp(x)).reshape(b, length, 1)
        mask = (ids != 0).to(h.dtype).unsqueeze(-1)
        if self.softmax:
            z = a - (1 - mask) * 1e9
            e = torch.exp(z - z.max(dim=1, keepdim=True).values) * mask
            w = e / torch.clamp(e.sum(dim=1, keepdim=True), min=1e-30)
        else:
            w = a * mask
        return (w * h).sum(dim=1)


def scenario_select(values, scenario):
    """values [B, S], scenario [B, 1] int -> [B, 1]; an index outside 0..S-1 gives the mean."""
    s = values.shape[1]
    idx = scenario.reshape(-1).long()
    known = (idx >= 0) & (idx < s)
    pick = F.one_hot(torch.where(known, idx, torch.zeros_like(idx)), s).to(values.dtype) * known.unsqueeze(1).to(values.dtype)
    chosen = (values * pick).sum(dim=1, keepdim=True)
    return chosen + (1 - known.to(values.dtype)).unsqueeze(1) * values.mean(dim=1, keepdim=True)


class StarDense(nn.Module):
    """STAR's Dense (Sheng et al., CIKM 2021, Eq. 4): a row of scenario p computes
    x (W ⊙ W_p) + (b + b_p); an index outside 0..S-1 (unknown scenario) x W + b.
    W_p start at ones and b_p at zeros, so every scenario starts as the shared layer."""

    def __init__(self, in_width, units, scenarios):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(in_width, units))
        self.bias = nn.Parameter(torch.zeros(units))
        self.scenario_kernel = nn.Parameter(torch.ones(scenarios, in_width, units))
        self.scenario_bias = nn.Parameter(torch.zeros(scenarios, units))
        glorot_(self.kernel, in_width, units)

    def forward(self, x, scenario):
        s = self.scenario_kernel.shape[0]
        idx = scenario.reshape(-1).long()
        known = (idx >= 0) & (idx < s)
        every = torch.einsum('bi,siu->bsu', x, self.kernel.unsqueeze(0) * self.scenario_kernel)
        every = every + (self.bias + self.scenario_bias)
        chosen = every[torch.arange(x.shape[0], device=x.device), torch.where(known, idx, torch.zeros_like(idx))]
        return torch.where(known.unsqueeze(1), chosen, torch.addmm(self.bias, x, self.kernel))


class StarMlp(Mlp):
    """A STAR tower: StarDense -> [BatchNorm] -> activation -> [Dropout], per layer;
    forward(x, scenario)."""

    def __init__(self, in_width, scenarios, units, activation='relu', batch_norm=False, dropout=0.0):
        super().__init__(in_width, units, activation, batch_norm, dropout)
        widths = [in_width] + list(units)
        self.dense = nn.ModuleList(StarDense(widths[j], widths[j + 1], scenarios) for j in range(len(units)))
