import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parseOutputJson } from './json-output.js';
import { show } from './spec-reader.js';
import type { AssertionType, JsonSchemaSpec } from './types.js';

type AnyAjv = Ajv | Ajv2019 | Ajv2020;

// One instance per draft, created on first use. `strict: false` because schemas written for other
// validators often carry keywords ajv does not know (`example`, `x-…`); unknown formats still fail.
// `addUsedSchema: false`: rows' schemas stay apart, so two rows may use the same `$id`.
const instances = new Map<string, AnyAjv>();

function ajvFor(schema: JsonSchemaSpec['value']): AnyAjv {
  const uri = typeof schema === 'object' && typeof schema.$schema === 'string' ? schema.$schema : '';
  const draft = uri.includes('2020-12') ? '2020' : uri.includes('2019-09') ? '2019' : '7';
  let ajv = instances.get(draft);
  if (!ajv) {
    const options = { allErrors: true, strict: false, validateFormats: true, addUsedSchema: false };
    ajv =
      draft === '2020' ? new Ajv2020(options) : draft === '2019' ? new Ajv2019(options) : new Ajv(options);
    addFormats.default(ajv as Ajv);
    instances.set(draft, ajv);
  }
  return ajv;
}

// Compiled validators by schema text; bounded like the regex cache.
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

/** Compiles the schema (cached); throws ajv's error for a bad schema. */
function validatorOf(schema: JsonSchemaSpec['value']): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajvFor(schema).compile(schema);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

function describe(errors: readonly ErrorObject[]): string {
  const shown = errors.slice(0, 3).map((error) => {
    const where = error.instancePath === '' ? 'the value' : error.instancePath;
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${show((error.params as { additionalProperty: string }).additionalProperty)})`
        : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
  const more = errors.length > 3 ? ` and ${errors.length - 3} more` : '';
  return shown.join('; ') + more;
}

/**
 * `json-schema`: the output, trimmed, is JSON that validates against the schema given inline as
 * `value` (draft-07 by default; 2019-09 or 2020-12 when its `$schema` says so; formats such as
 * `email` and `date-time` checked). A bad schema is an input error at load.
 */
export const jsonSchema: AssertionType<JsonSchemaSpec> = {
  kinds: ['json-schema'],
  negatable: true,
  parse(_kind, fields) {
    const value = fields.get('value');
    if (value === undefined || value === null) fields.fail('value is missing: give the JSON Schema inline');
    if (typeof value !== 'boolean' && (typeof value !== 'object' || Array.isArray(value))) {
      fields.fail(`value must be a JSON Schema object, got ${show(value)}`);
    }
    const schema = value as JsonSchemaSpec['value'];
    try {
      validatorOf(schema);
    } catch (error) {
      fields.fail(`bad JSON Schema: ${(error as Error).message}`);
    }
    return { value: schema };
  },
  check(spec, ctx) {
    const parsed = parseOutputJson(ctx.output);
    if (!parsed.ok) return { pass: false, reason: parsed.reason, undecided: true };
    const validate = validatorOf(spec.value);
    return validate(parsed.value)
      ? { pass: true, reason: 'output matches the JSON Schema' }
      : { pass: false, reason: `output does not match the JSON Schema: ${describe(validate.errors ?? [])}` };
  },
};
