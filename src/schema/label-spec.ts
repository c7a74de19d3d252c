// The spec forms for labels derived from columns, evaluation labels and sample weights (task
// fields `labelFrom`, `evaluation`, `sampleWeight`; `training.sampleWeight`). A derived label is
// a bounded expression, not a string to parse: one condition on one column, or all / any / not
// over at most one level of conditions. Which operator a condition uses, and that it uses one,
// is checked by rules/label-expression.ts (one object schema with optional keys gives one
// located error where a union of shapes would give one per member).
import { Type, type Static } from '@sinclair/typebox';
import { TEXT_PATTERN } from './patterns.js';

const Text = (description: string) => Type.String({ minLength: 1, pattern: TEXT_PATTERN, description });
const Value = Type.Union([Type.String({ pattern: TEXT_PATTERN }), Type.Number()]);

const conditionProps = {
  column: Type.Optional(Text('the column the condition reads')),
  in: Type.Optional(
    Type.Array(Value, { minItems: 1, description: '1 where the value is one of these, 0 for any other value' }),
  ),
  equals: Type.Optional(
    Type.Union([Type.String({ pattern: TEXT_PATTERN }), Type.Number(), Type.Boolean()], {
      description: '1 where the value equals this, 0 for any other value',
    }),
  ),
  greaterThan: Type.Optional(Type.Number({ description: '1 where the number is > this' })),
  atLeast: Type.Optional(Type.Number({ description: '1 where the number is >= this' })),
  lessThan: Type.Optional(Type.Number({ description: '1 where the number is < this' })),
  atMost: Type.Optional(Type.Number({ description: '1 where the number is <= this' })),
};

export const ConditionSchema = Type.Object(conditionProps, {
  additionalProperties: false,
  description:
    'A binary condition on one column: column plus one of in, equals, greaterThan, atLeast, lessThan, atMost',
});

/** A bare column name reads the column as a binary label: 1 / "1" / true is 1, 0 / "0" / false is 0. */
const OperandSchema = Type.Union([Text('a 0/1 (or true/false) label column'), ConditionSchema], {
  description: 'a 0/1 label column, or a condition on a column',
});

export const LabelFromSchema = Type.Object(
  {
    ...conditionProps,
    all: Type.Optional(Type.Array(OperandSchema, { minItems: 2, description: '1 where every operand is 1' })),
    any: Type.Optional(Type.Array(OperandSchema, { minItems: 2, description: '1 where some operand is 1' })),
    not: Type.Optional(OperandSchema),
  },
  {
    additionalProperties: false,
    description:
      'A binary label derived from columns instead of `label`: a condition (column + in / equals / greaterThan / atLeast / lessThan / atMost), or all / any / not over conditions and 0/1 label columns. A row with a missing cell in any column read has no label',
  },
);

export const SampleSpaceSchema = Type.Object(
  {
    column: Text('the rows counted are those where this column equals `equals`'),
    equals: Type.Union([Type.Number(), Type.String({ pattern: TEXT_PATTERN }), Type.Boolean()], { default: 1 }),
  },
  { additionalProperties: false, description: 'Restrict to a sample space (cvr only where click = 1)' },
);

export const EvaluationSchema = Type.Object(
  {
    label: Type.Optional(Text('the evaluation label column')),
    positive: Type.Optional(Value),
    negative: Type.Optional(Type.Array(Value, { minItems: 1, description: 'values counted as 0' })),
    labelFrom: Type.Optional(LabelFromSchema),
    sampleSpace: Type.Optional(SampleSpaceSchema),
  },
  {
    additionalProperties: false,
    description:
      'For a task without a label (an ESMM factor such as cvr): a label and sample space on which it is evaluated (metrics only; no loss term). One of label, labelFrom',
  },
);

export const SampleWeightSchema = Text(
  'a numeric column (>= 0, finite) weighting each row in the loss and the weighted metrics (e.g. fnlwgt)',
);

export type LabelFromSpec = Static<typeof LabelFromSchema>;
export type ConditionSpec = Static<typeof ConditionSchema>;
export type EvaluationSpec = Static<typeof EvaluationSchema>;
