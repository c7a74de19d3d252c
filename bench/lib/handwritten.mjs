// The no-compiler baseline: the two benchmark architectures written by hand in plain tfjs (raw
// ops on tf.variable weights, tf.moments + tf.batchNorm for batch norm, tf.train.adam and a
// minimal training step that reads the loss after every batch), as someone would write them
// without this project. They read the same prepared columns as the compiled models; the paper
// model takes its 100 numeric features as one [B, 100] matrix, the natural hand-written form.
import { dist } from './common.mjs';

function initializers(tf, seed) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483647);
  const all = [];
  const keep = (make) => {
    const v = tf.tidy(make);
    all.push(v);
    return v;
  };
  const glorot = (fanIn, fanOut) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    return keep(() => tf.variable(tf.randomUniform([fanIn, fanOut], -lim, lim, 'float32', next())));
  };
  const table = (rows, dim) => keep(() => tf.variable(tf.randomUniform([rows, dim], -0.05, 0.05, 'float32', next())));
  const zeros = (n, trainable = true) => keep(() => tf.variable(tf.zeros([n]), trainable));
  const ones = (n, trainable = true) => keep(() => tf.variable(tf.ones([n]), trainable));
  return { glorot, table, zeros, ones, all };
}

/** Dense [+ batch norm] + activation, training or inference form; BN moving averages updated in training. */
function denseLayer(tf, init, inp, units, { bn = false, act }) {
  const w = init.glorot(inp, units);
  const b = init.zeros(units);
  const gamma = bn ? init.ones(units) : null;
  const beta = bn ? init.zeros(units) : null;
  const movMean = bn ? init.zeros(units, false) : null;
  const movVar = bn ? init.ones(units, false) : null;
  const apply = (x, training) => {
    let z = tf.add(tf.matMul(x, w), b);
    if (bn) {
      if (training) {
        const { mean, variance } = tf.moments(z, 0);
        z = tf.batchNorm(z, mean, variance, beta, gamma, 1e-3);
        tf.tidy(() => {
          movMean.assign(tf.add(tf.mul(movMean, 0.99), tf.mul(mean, 0.01)));
          movVar.assign(tf.add(tf.mul(movVar, 0.99), tf.mul(variance, 0.01)));
        });
      } else z = tf.batchNorm(z, movMean, movVar, beta, gamma, 1e-3);
    }
    if (act === 'relu') return tf.relu(z);
    if (act === 'leaky') return tf.leakyRelu(z, 0.2);
    if (act === 'sigmoid') return tf.sigmoid(z);
    return z;
  };
  return { apply, vars: [w, b, gamma, beta, movMean, movVar].filter(Boolean) };
}

/** sum_e g[:, e] * experts[e] */
function mix(tf, g, experts) {
  return tf.sum(tf.mul(tf.expandDims(g, 2), tf.stack(experts, 1)), 1);
}

function maskedBce(tf, p, y, m) {
  const q = tf.clipByValue(tf.reshape(p, [-1]), 1e-7, 1 - 1e-7);
  const per = tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q)))));
  return tf.div(tf.sum(tf.mul(per, m)), tf.maximum(tf.sum(m), 1));
}

function maskedMse(tf, p, y, m) {
  return tf.div(tf.sum(tf.mul(tf.square(tf.sub(tf.reshape(p, [-1]), y)), m)), tf.maximum(tf.sum(m), 1));
}

/** configs/ecom.yaml by hand: 5 embedding tables, masked mean pooling, 3 experts, 2 gates, towers, heads. */
function ecom(tf, ir, seed) {
  const init = initializers(tf, seed);
  const vocab = (name) => ir.embeddings.find((t) => t.name === name).vocabSize;
  const emb = {
    user: init.table(vocab('emb_user_id'), 16),
    gender: init.table(vocab('emb_user_gender'), 4),
    city: init.table(vocab('emb_user_city'), 8),
    category: init.table(vocab('shared_category'), 8),
    item: init.table(vocab('emb_item_id'), 16),
  };
  const experts = [0, 1, 2].map(() => [
    denseLayer(tf, init, 62, 512, { bn: true, act: 'leaky' }),
    denseLayer(tf, init, 512, 256, { bn: true, act: 'leaky' }),
    denseLayer(tf, init, 256, 128, { bn: true, act: 'leaky' }),
  ]);
  const gates = [0, 1].map(() => denseLayer(tf, init, 62, 3, {}));
  const towers = [0, 1].map(() => denseLayer(tf, init, 128, 64, { act: 'relu' }));
  const heads = [0, 1].map(() => denseLayer(tf, init, 64, 1, { act: 'sigmoid' }));
  const columns = [
    'user_id',
    'user_age',
    'user_gender',
    'user_city',
    'user_history',
    'item_id',
    'item_category',
    'item_price',
  ];
  const forward = (x, training) => {
    const look = (table, ids) => tf.gather(table, tf.reshape(ids, [-1]));
    const hist = tf.gather(emb.category, x.user_history); // [B, 10, 8]
    const mask = tf.expandDims(tf.cast(tf.notEqual(x.user_history, 0), 'float32'), 2);
    const pooled = tf.div(tf.sum(tf.mul(hist, mask), 1), tf.maximum(tf.sum(mask, 1), 1));
    const input = tf.concat(
      [
        look(emb.user, x.user_id),
        x.user_age,
        look(emb.gender, x.user_gender),
        look(emb.city, x.user_city),
        pooled,
        look(emb.item, x.item_id),
        look(emb.category, x.item_category),
        x.item_price,
      ],
      1,
    );
    const outs = experts.map((layers) => layers.reduce((h, l) => l.apply(h, training), input));
    return [0, 1].map((k) =>
      heads[k].apply(towers[k].apply(mix(tf, tf.softmax(gates[k].apply(input, training)), outs), training), training),
    );
  };
  return { forward, columns, loss: maskedBce, variables: init.all };
}

/** The paper's MMoE by hand: 8 experts of one 16-unit ReLU layer, 2 softmax gates, 8-unit towers, linear heads. */
function paper(tf, ir, seed) {
  const init = initializers(tf, seed);
  const d = 100;
  const experts = Array.from({ length: 8 }, () => denseLayer(tf, init, d, 16, { act: 'relu' }));
  const gates = [0, 1].map(() => denseLayer(tf, init, d, 8, {}));
  const towers = [0, 1].map(() => denseLayer(tf, init, 16, 8, { act: 'relu' }));
  const heads = [0, 1].map(() => denseLayer(tf, init, 8, 1, {}));
  const forward = (x, training) => {
    const outs = experts.map((e) => e.apply(x.x, training));
    return [0, 1].map((k) =>
      heads[k].apply(towers[k].apply(mix(tf, tf.softmax(gates[k].apply(x.x, training)), outs), training), training),
    );
  };
  return {
    forward,
    columns: ['x'],
    loss: maskedMse,
    packed: Array.from({ length: d }, (_, i) => `x${i}`),
    variables: init.all,
  };
}

/**
 * A hand-written model over prepared data: train(epochRows) runs one pass in batches of 512 and
 * returns examples/s; infer(data) predicts every row in batches of 512 and returns examples/s.
 */
export async function handWritten(root, tf, key, m, seed = 7) {
  const { gatherColumn, gatherRows } = await dist(root, 'train/dataset.js');
  const net = key === 'ecom' ? ecom(tf, m.ir, seed) : paper(tf, m.ir, seed);
  const tasks = m.ir.tasks.map((t) => t.name);
  const optimizer = tf.train.adam(m.spec.training.learningRate);
  // The paper model's 100 numeric columns, packed once into one row-major [n, 100] matrix.
  const pack = (data) => {
    if (!net.packed) return null;
    const out = new Float32Array(data.n * net.packed.length);
    net.packed.forEach((name, j) => {
      const col = data.inputs.get(name).data;
      for (let i = 0; i < data.n; i++) out[i * net.packed.length + j] = col[i];
    });
    return { dtype: 'float32', width: net.packed.length, data: out };
  };
  const packedOf = new WeakMap();
  const inputs = (data, rows) => {
    if (net.packed) {
      if (!packedOf.has(data)) packedOf.set(data, pack(data));
      return { x: tf.tensor2d(gatherColumn(packedOf.get(data), rows), [rows.length, net.packed.length]) };
    }
    return Object.fromEntries(
      net.columns.map((c) => {
        const col = data.inputs.get(c);
        return [c, tf.tensor2d(gatherColumn(col, rows), [rows.length, col.width], col.dtype)];
      }),
    );
  };
  return {
    async train(data, order) {
      const t0 = performance.now();
      for (let start = 0; start < data.n; start += 512) {
        const rows = order.subarray(start, Math.min(data.n, start + 512));
        const loss = tf.tidy(() => {
          const x = inputs(data, rows);
          const ys = tasks.map((t) => tf.tensor1d(gatherRows(data.labels.get(t), rows)));
          const ms = tasks.map((t) => tf.tensor1d(gatherRows(data.masks.get(t), rows)));
          return optimizer.minimize(() => {
            const outs = net.forward(x, true);
            return tf.addN(outs.map((o, k) => net.loss(tf, o, ys[k], ms[k])));
          }, true);
        });
        const v = (await loss.data())[0];
        loss.dispose();
        if (!Number.isFinite(v)) throw new Error(`hand-written ${key}: loss ${v}`);
      }
      return data.n / ((performance.now() - t0) / 1000);
    },
    async infer(data) {
      const t0 = performance.now();
      for (let start = 0; start < data.n; start += 512) {
        const rows = Int32Array.from({ length: Math.min(512, data.n - start) }, (_, i) => start + i);
        const outs = tf.tidy(() => net.forward(inputs(data, rows), false));
        for (const o of outs) await o.data();
        tf.dispose(outs);
      }
      return data.n / ((performance.now() - t0) / 1000);
    },
    dispose() {
      optimizer.dispose();
      tf.dispose(net.variables);
    },
  };
}
