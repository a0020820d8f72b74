/**
 * The contract side of the scenario: what `openapi.yaml` itself says, read at
 * run time, so the scenario can hold the service to it.
 *
 * - `operationIds()` lists every operation of the document;
 * - `contractMiddleware` is an openapi-fetch middleware that records which
 *   operation each request was (by method and path template) and checks each
 *   answer against the document: the status is one the operation declares,
 *   the Content-Type is one declared for that status, the required response
 *   headers are there, and a JSON body matches the declared schema (types,
 *   required fields, `nullable`, enums, formats, bounds).
 *
 * A mismatch is printed at once and kept; the scenario fails at its end with
 * the whole list. Fields the service sends but the document does not declare
 * are printed as notes: a generated client cannot see them.
 */
import { readFileSync } from "node:fs";
import type { Middleware } from "openapi-fetch";
import { parse } from "yaml";

/** The part of an OpenAPI 3.0 schema object that this document uses. */
interface Schema {
  $ref?: string;
  title?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

interface ResponseObject {
  content?: Record<string, { schema?: Schema }>;
  headers?: Record<string, { required?: boolean }>;
}

interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const documentPath = process.env["KINDLING_OPENAPI"] ?? "openapi.yaml";
const doc: Document = parse(readFileSync(documentPath, "utf8"));

/** `METHOD /path/{template}` → the operation the document declares there. */
const operationsByRoute = new Map<string, Operation>();
for (const [path, item] of Object.entries(doc.paths)) {
  for (const [method, operation] of Object.entries(item)) {
    if (HTTP_METHODS.includes(method)) {
      operationsByRoute.set(`${method.toUpperCase()} ${path}`, operation);
    }
  }
}

/** Every operationId in the document, in document order. */
export function operationIds(): string[] {
  return [...operationsByRoute.values()].map((op) => op.operationId);
}

/** operationId → the statuses it answered with during the run. */
export const called = new Map<string, Set<number>>();
/** Where the service's answers did not match the document. */
export const mismatches: string[] = [];
/** Fields sent that the document does not declare (not an error). */
export const notes = new Set<string>();

/**
 * For each optional property (`Schema.field`): how often it was sent and how
 * often left out. One that was always sent might as well be `required`, so
 * that a generated client need not handle `undefined`.
 */
const optionalSeen = new Map<string, { sent: number; absent: number }>();

/** Optional properties the service sent every time it could have left them out. */
export function optionalButAlwaysSent(): string[] {
  return [...optionalSeen]
    .filter(([, seen]) => seen.absent === 0)
    .map(([name, seen]) => `${name} (sent ${seen.sent} times)`)
    .sort();
}

function mismatch(message: string): void {
  mismatches.push(message);
  console.error(`  CONTRACT MISMATCH: ${message}`);
}

/** The operation a request was for, kept from onRequest to onResponse. */
const pending = new Map<string, Operation>();

export const contractMiddleware: Middleware = {
  onRequest({ request, schemaPath, id }) {
    const route = `${request.method} ${schemaPath}`;
    const operation = operationsByRoute.get(route);
    if (operation === undefined) {
      throw new Error(`${route} is not an operation of ${documentPath}`);
    }
    pending.set(id, operation);
    return undefined;
  },

  async onResponse({ response, id }) {
    const operation = pending.get(id);
    pending.delete(id);
    if (operation === undefined) return undefined;
    const opId = operation.operationId;
    const statuses = called.get(opId) ?? new Set<number>();
    statuses.add(response.status);
    called.set(opId, statuses);

    const declared = operation.responses[String(response.status)];
    if (declared === undefined) {
      mismatch(
        `${opId}: answered ${response.status}, which the document does not declare ` +
          `(it declares ${Object.keys(operation.responses).join(", ")})`,
      );
      return undefined;
    }
    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      if (header.required === true && !response.headers.has(name)) {
        mismatch(`${opId} ${response.status}: the required header ${name} is missing`);
      }
    }
    const contentType = response.headers.get("content-type");
    const mediaTypes = Object.keys(declared.content ?? {});
    if (mediaTypes.length === 0) {
      if (contentType !== null) {
        mismatch(`${opId} ${response.status}: sends ${contentType}, the document declares no body`);
      }
      return undefined;
    }
    const media = mediaTypes.find((m) => sameMediaType(m, contentType));
    if (media === undefined) {
      mismatch(
        `${opId} ${response.status}: Content-Type ${String(contentType)}, ` +
          `the document declares ${mediaTypes.join(" or ")}`,
      );
      return undefined;
    }
    const schema = declared.content?.[media]?.schema;
    if (schema !== undefined && /json/.test(media)) {
      const body: unknown = await response.clone().json();
      for (const problem of validate(body, schema, `${opId} ${response.status}: body`)) {
        mismatch(problem);
      }
    }
    return undefined;
  },
};

function sameMediaType(declared: string, sent: string | null): boolean {
  const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, "");
  return sent !== null && normalise(declared) === normalise(sent);
}

function schemaName(schema: Schema): string | undefined {
  return schema.$ref?.replace("#/components/schemas/", "");
}

function resolve(schema: Schema): Schema {
  const name = schemaName(schema);
  if (name === undefined) return schema;
  const target = doc.components.schemas[name];
  if (target === undefined) throw new Error(`unresolvable ${String(schema.$ref)}`);
  return resolve(target);
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  "date-time": /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};

/** What `check` returns, leaving no notes of what it saw. */
function quietly<T>(check: () => T): T {
  const savedNotes = new Set(notes);
  const savedSeen = new Map([...optionalSeen].map(([key, seen]) => [key, { ...seen }]));
  const result = check();
  notes.clear();
  savedNotes.forEach((note) => notes.add(note));
  optionalSeen.clear();
  savedSeen.forEach((seen, key) => optionalSeen.set(key, seen));
  return result;
}

/** The ways `value` does not match `schema`, each with its JSON path. */
function validate(value: unknown, given: Schema, at: string): string[] {
  const schema = resolve(given);
  if (schema.oneOf !== undefined) {
    const matching = schema.oneOf.filter((s) => quietly(() => validate(value, s, at)).length === 0);
    const [only] = matching;
    if (only === undefined || matching.length > 1) return [`${at} matches ${matching.length} of its oneOf schemas`];
    // Only the schema the value is of records what it sent.
    return validate(value, only, at);
  }
  if (value === null) {
    return schema.nullable === true ? [] : [`${at} is null, which the document does not allow`];
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    return [`${at} is ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`];
  }
  switch (schema.type) {
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return [`${at} is not an object`];
      const fields = new Map(Object.entries(value));
      const problems: string[] = [];
      const required = schema.required ?? [];
      for (const name of required) {
        if (!fields.has(name)) problems.push(`${at}.${name} is required but missing`);
      }
      const title = schemaName(given) ?? schema.title ?? at;
      for (const name of Object.keys(schema.properties ?? {})) {
        if (required.includes(name)) continue;
        const seen = optionalSeen.get(`${title}.${name}`) ?? { sent: 0, absent: 0 };
        if (fields.has(name)) seen.sent += 1;
        else seen.absent += 1;
        optionalSeen.set(`${title}.${name}`, seen);
      }
      for (const [name, field] of fields) {
        const property = schema.properties?.[name];
        if (property === undefined) {
          notes.add(`${at.replace(/\[\d+\]/g, "[]")}.${name} is sent but not in the document`);
        } else {
          problems.push(...validate(field, property, `${at}.${name}`));
        }
      }
      return problems;
    }
    case "array": {
      if (!Array.isArray(value)) return [`${at} is not an array`];
      const problems: string[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at} has too few items`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at} has too many items`);
      value.forEach((item, i) => {
        if (schema.items !== undefined) problems.push(...validate(item, schema.items, `${at}[${i}]`));
      });
      return problems;
    }
    case "string": {
      if (typeof value !== "string") return [`${at} is ${JSON.stringify(value)}, not a string`];
      const problems: string[] = [];
      const format = schema.format === undefined ? undefined : FORMATS[schema.format];
      if (format !== undefined && !format.test(value)) problems.push(`${at} "${value}" is not a ${schema.format}`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
        problems.push(`${at} "${value}" does not match ${schema.pattern}`);
      }
      if (schema.minLength !== undefined && [...value].length < schema.minLength) problems.push(`${at} is too short`);
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength) problems.push(`${at} is too long`);
      return problems;
    }
    case "integer":
    case "number": {
      if (typeof value !== "number") return [`${at} is ${JSON.stringify(value)}, not a number`];
      if (schema.type === "integer" && !Number.isInteger(value)) return [`${at} ${value} is not an integer`];
      const problems: string[] = [];
      if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at} ${value} < ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at} ${value} > ${schema.maximum}`);
      return problems;
    }
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at} is ${JSON.stringify(value)}, not a boolean`];
    default:
      return [];
  }
}
