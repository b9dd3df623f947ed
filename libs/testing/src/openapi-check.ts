/**
 * Checks for the gateway's OpenAPI 3.1 document, without a validator package: the structural rules
 * of OpenAPI 3.1 a client generator relies on, and the subset of JSON Schema 2020-12 that
 * `z.toJSONSchema` emits (enough to check that a reply matches what the document declares).
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Follows a local `#/...` reference inside `root`. */
function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return node;
}

const typeOf = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'array'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'integer'
          : 'number'
        : typeof v;

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  email: /^[^@\s]+@[^@\s]+$/,
};

/** Every way `value` breaks `schema` (empty: it matches), each prefixed with where. */
export function schemaErrors(schema: unknown, value: unknown, root: unknown = schema, at = '$'): string[] {
  if (schema === true || schema === undefined) return [];
  if (schema === false) return [`${at}: not allowed`];
  if (!isObject(schema)) return [`${at}: the schema is not an object`];
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(root, schema.$ref);
    if (target === undefined) return [`${at}: unresolved $ref ${schema.$ref}`];
    return schemaErrors(target, value, root, at);
  }
  const errors: string[] = [];
  const type = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => t === type || (t === 'number' && type === 'integer')))
      return [`${at}: expected ${types.join(' or ')}, got ${type}`];
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value))
    errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => schemaErrors(s, value, root, at).length === 0))
    errors.push(`${at}: matches none of anyOf`);
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => !schemaErrors(s, value, root, at).length).length !== 1)
    errors.push(`${at}: does not match exactly one of oneOf`);
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) errors.push(...schemaErrors(s, value, root, at));
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) errors.push(`${at}: shorter than allowed`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) errors.push(`${at}: longer than allowed`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value))
      errors.push(`${at}: does not match ${schema.pattern}`);
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) errors.push(`${at}: not a ${String(schema.format)}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      errors.push(`${at}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      errors.push(`${at}: not below ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) errors.push(`${at}: too many items`);
    if (schema.items !== undefined)
      value.forEach((v, i) => errors.push(...schemaErrors(schema.items, v, root, `${at}[${i}]`)));
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const key of Array.isArray(schema.required) ? (schema.required as string[]) : [])
      if (!(key in value)) errors.push(`${at}.${key}: required`);
    for (const [key, v] of Object.entries(value)) {
      if (key in properties) errors.push(...schemaErrors(properties[key], v, root, `${at}.${key}`));
      else if (schema.additionalProperties !== undefined)
        errors.push(...schemaErrors(schema.additionalProperties, v, root, `${at}.${key}`));
    }
  }
  return errors;
}

/** Every way `doc` breaks the structure OpenAPI 3.1 requires (empty: it holds). */
export function openApiDocumentErrors(doc: unknown): string[] {
  const errors: string[] = [];
  const fail = (m: string) => errors.push(m);
  if (!isObject(doc)) return ['the document is not an object'];
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) fail('openapi must be 3.1.x');
  const info = doc.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string')
    fail('info needs a title and a version');
  if (!isObject(doc.paths)) return [...errors, 'paths must be an object'];
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const [name, scheme] of Object.entries(schemes))
    if (!isObject(scheme) || !['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'].includes(String(scheme.type)))
      fail(`security scheme ${name} has no valid type`);
  const checkSecurity = (where: string, security: unknown) => {
    if (security === undefined) return;
    if (!Array.isArray(security)) return fail(`${where}: security must be an array`);
    for (const requirement of security)
      for (const name of Object.keys(isObject(requirement) ? requirement : {}))
        if (!(name in schemes)) fail(`${where}: unknown security scheme ${name}`);
  };
  checkSecurity('document', doc.security);
  const operationIds = new Set<string>();
  for (const [template, item] of Object.entries(doc.paths)) {
    if (!template.startsWith('/')) fail(`path ${template} must start with /`);
    if (!isObject(item)) {
      fail(`${template}: not a path item`);
      continue;
    }
    const templated = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
      const where = `${method.toUpperCase()} ${template}`;
      const op = item[method];
      if (!isObject(op)) {
        fail(`${where}: not an operation`);
        continue;
      }
      if (typeof op.operationId === 'string') {
        if (operationIds.has(op.operationId)) fail(`${where}: duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
      checkSecurity(where, op.security);
      const params = Array.isArray(op.parameters) ? op.parameters : [];
      for (const p of params) {
        if (!isObject(p) || typeof p.name !== 'string' || !['query', 'header', 'path', 'cookie'].includes(String(p.in)))
          fail(`${where}: a parameter needs a name and a valid "in"`);
        else if (p.in === 'path' && (p.required !== true || !templated.includes(p.name)))
          fail(`${where}: path parameter ${p.name} must be required and in the path`);
        else if (!isObject(p.schema) && !isObject(p.content)) fail(`${where}: parameter ${p.name} needs a schema`);
      }
      for (const name of templated)
        if (!params.some((p) => isObject(p) && p.in === 'path' && p.name === name))
          fail(`${where}: {${name}} is not declared`);
      if (op.requestBody !== undefined && (!isObject(op.requestBody) || !isObject(op.requestBody.content)))
        fail(`${where}: requestBody needs content`);
      if (!isObject(op.responses) || Object.keys(op.responses).length === 0) {
        fail(`${where}: no responses`);
        continue;
      }
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^([1-5](\d\d|XX)|default)$/.test(status)) fail(`${where}: bad response status ${status}`);
        if (!isObject(response) || typeof response.description !== 'string')
          fail(`${where} ${status}: a response needs a description`);
        else if (response.content !== undefined && !isObject(response.content))
          fail(`${where} ${status}: content must be an object`);
      }
    }
  }
  // every reference resolves
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}/${i}`));
    else if (isObject(node))
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && resolveRef(doc, v) === undefined) fail(`${at}: unresolved ${v}`);
        else if (k !== 'example' && k !== 'examples') walk(v, `${at}/${k}`);
      }
  };
  walk(doc, '#');
  return errors;
}

export interface OpenApiOperation {
  template: string;
  operation: Json;
}

/**
 * The operation of `doc` that answers `method path` (a query string is ignored), if any. As in the router,
 * a literal segment wins over a parameter: `/videos/info` is not `/videos/{id}`.
 */
export function findOperation(doc: unknown, method: string, path: string): OpenApiOperation | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  const bare = path.split('?')[0];
  const parameters = (template: string) => (template.match(/\{[^}]+\}/g) ?? []).length;
  const templates = Object.keys(doc.paths).sort((a, b) => parameters(a) - parameters(b));
  for (const template of templates) {
    const item = doc.paths[template];
    const pattern = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
    );
    const operation = isObject(item) ? item[method.toLowerCase()] : undefined;
    if (isObject(operation) && pattern.test(bare)) return { template, operation };
  }
  return undefined;
}

/** Why a reply does not conform to the operation (empty: it does). */
export function responseErrors(doc: unknown, found: OpenApiOperation, status: number, body: unknown): string[] {
  const responses = found.operation.responses as Json;
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!isObject(response)) return [`status ${status} is not declared`];
  const content = isObject(response.content) ? response.content : undefined;
  const json = content && isObject(content['application/json']) ? content['application/json'] : undefined;
  if (!json) return [];
  return schemaErrors(json.schema, body, doc);
}
