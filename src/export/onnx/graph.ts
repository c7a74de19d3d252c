// A small ONNX graph builder: unique value names, typed initializers, nodes with attributes,
// graph inputs and outputs with a symbolic batch axis. The lowerings (features.ts, mlp.ts,
// gates.ts, outputs.ts) only call these helpers; encoding happens once, in encode().
import { onnx, ONNX_IR_VERSION, OPSET, PRODUCER } from './proto.js';

type DataType = 'float32' | 'int32' | 'int64';
const ELEM: Record<DataType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** TensorProto.DataType.FLOAT: the `to` of a Cast to float32. */
export const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** The name of the symbolic batch dimension of every graph input and output. */
export const BATCH_DIM = 'batch';

export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

/** Little-endian bytes of a typed array (what TensorProto.raw_data holds). */
function rawBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  data.forEach((v: number | bigint, i: number) => {
    if (data instanceof Float32Array) view.setFloat32(i * 4, v as number, true);
    else if (data instanceof Int32Array) view.setInt32(i * 4, v as number, true);
    else view.setBigInt64(i * 8, v as bigint, true);
  });
  return out;
}

function attribute(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string')
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`internal: integer attribute ${name} = ${v}; use { float } for floats`);
    return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  }
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if ('float' in v) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v.floats });
}

function valueInfo(name: string, type: DataType, dims: (number | string)[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: ELEM[type],
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  constructor(readonly name: string) {}

  /** A fresh value name: `base`, else `base_1`, `base_2`, ... */
  fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserve an exact name (graph inputs and outputs); a clash is an error. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`cannot export: two ONNX values would be named "${name}"`);
    this.used.add(name);
    return name;
  }

  /** A graph input [batch, ...dims]. */
  input(name: string, type: 'float32' | 'int32', dims: number[]): string {
    this.inputs.push(valueInfo(this.reserve(name), type, [BATCH_DIM, ...dims]));
    return name;
  }

  /** Declare `value` (already produced, float32 [batch, ...dims]) the graph output `name` (reserved beforehand). */
  output(name: string, value: string, dims: number[]): void {
    if (!this.used.has(name)) this.reserve(name);
    this.nodes.push(
      onnx.NodeProto.create({ opType: 'Identity', input: [value], output: [name], name: `${name}/output` }),
    );
    this.outputs.push(valueInfo(name, 'float32', [BATCH_DIM, ...dims]));
  }

  /** A float32 initializer (a weight), under a fresh name derived from `name`. */
  weight(name: string, data: Float32Array, dims: number[]): string {
    if (data.length !== dims.reduce((a, b) => a * b, 1))
      throw new Error(`internal: weight ${name} has ${data.length} values for shape [${dims.join(',')}]`);
    const n = this.fresh(name);
    this.initializers.push(onnx.TensorProto.create({ name: n, dims, dataType: ELEM.float32, rawData: rawBytes(data) }));
    return n;
  }

  private constant(type: DataType, values: number[], dims: number[]): string {
    const key = `${type}:${dims.join(',')}:${values.join(',')}`;
    const done = this.constants.get(key);
    if (done) return done;
    const data =
      type === 'float32'
        ? Float32Array.from(values)
        : type === 'int32'
          ? Int32Array.from(values)
          : BigInt64Array.from(values.map(BigInt));
    const n = this.fresh(
      `const_${type === 'float32' ? 'f' : type === 'int32' ? 'i' : 'l'}_${values.length === 1 ? String(values[0]).replace(/[^0-9a-z]/gi, '_') : 'v'}`,
    );
    this.initializers.push(onnx.TensorProto.create({ name: n, dims, dataType: ELEM[type], rawData: rawBytes(data) }));
    this.constants.set(key, n);
    return n;
  }

  /** A float32 scalar constant (shared by every use). */
  scalar(value: number): string {
    return this.constant('float32', [value], []);
  }

  /** An int64 1-D constant (shapes, axes, slice bounds). */
  ints(values: number[]): string {
    return this.constant('int64', values, [values.length]);
  }

  /** An int32 1-D constant. */
  int32s(values: number[]): string {
    return this.constant('int32', values, [values.length]);
  }

  private add(
    opType: string,
    inputs: string[],
    out: string,
    attrs: Record<string, AttrValue>,
    outputs: number,
  ): string[] {
    const names = Array.from({ length: outputs }, (_, k) => this.fresh(k === 0 ? out : `${out}_out${k}`));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: inputs,
        output: names,
        name: names[0],
        attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      }),
    );
    return names;
  }

  /** Add a node; returns its output's name, fresh from `out`. */
  op(opType: string, inputs: string[], out: string, attrs: Record<string, AttrValue> = {}): string {
    return this.add(opType, inputs, out, attrs, 1)[0];
  }

  /** Add a node with several outputs; returns their names. */
  opMulti(
    opType: string,
    inputs: string[],
    out: string,
    outputs: number,
    attrs: Record<string, AttrValue> = {},
  ): string[] {
    return this.add(opType, inputs, out, attrs, outputs);
  }

  /** The ModelProto bytes. */
  encode(docString: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: PRODUCER,
      docString,
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
