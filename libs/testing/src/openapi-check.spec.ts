import { findOperation, openApiDocumentErrors, responseErrors, schemaErrors } from './openapi-check';

const item = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', format: 'uuid' } },
};
const doc = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { item } },
  security: [{ bearer: [] }],
  paths: {
    '/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/item' } } },
          },
          '204': { description: 'nothing' },
        },
      },
    },
  },
};

describe('OpenAPI 3.1 structure', () => {
  it('accepts a well-formed document', () => {
    expect(openApiDocumentErrors(doc)).toEqual([]);
  });

  it('names what is wrong with a malformed one', () => {
    const bad = {
      openapi: '3.0.3',
      info: { title: 't' },
      security: [{ nobody: [] }],
      paths: {
        things: {},
        '/a/{id}': { get: { operationId: 'x', responses: {} } },
        '/b': {
          post: {
            operationId: 'x',
            parameters: [{ name: 'q', in: 'body' }],
            responses: { '2000': { content: { 'application/json': { schema: { $ref: '#/nope' } } } } },
          },
        },
      },
    };
    expect(openApiDocumentErrors(bad)).toEqual(
      expect.arrayContaining([
        'openapi must be 3.1.x',
        'info needs a title and a version',
        'document: unknown security scheme nobody',
        'path things must start with /',
        'GET /a/{id}: {id} is not declared',
        'GET /a/{id}: no responses',
        'POST /b: duplicate operationId x',
        'POST /b: a parameter needs a name and a valid "in"',
        'POST /b: bad response status 2000',
        'POST /b 2000: a response needs a description',
        expect.stringContaining('unresolved #/nope'),
      ]),
    );
  });
});

describe('replies against the document', () => {
  it('finds the operation by template, ignoring the query string', () => {
    expect(findOperation(doc, 'GET', '/things/abc?x=1')?.template).toBe('/things/{id}');
    expect(findOperation(doc, 'POST', '/things/abc')).toBeUndefined();
    expect(findOperation(doc, 'GET', '/things/abc/more')).toBeUndefined();
  });

  it('checks the status and the body', () => {
    const found = findOperation(doc, 'GET', '/things/abc')!;
    expect(responseErrors(doc, found, 200, { id: '3f0d6c1e-5b2a-4c7d-9e8f-1a2b3c4d5e6f' })).toEqual([]);
    expect(responseErrors(doc, found, 204, undefined)).toEqual([]);
    expect(responseErrors(doc, found, 500, {})).toEqual(['status 500 is not declared']);
    expect(responseErrors(doc, found, 200, { id: 'x', extra: 1 })).toEqual([
      '$.id: not a uuid',
      '$.extra: not allowed',
    ]);
    expect(responseErrors(doc, found, 200, {})).toEqual(['$.id: required']);
  });

  it('covers the keywords zod emits', () => {
    const schema = {
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: 1, maximum: 3 },
        p: { type: 'integer', exclusiveMinimum: 0 },
        s: { type: ['string', 'null'], maxLength: 2, pattern: '^a' },
        e: { enum: ['x', 'y'] },
        c: { const: true },
        a: { type: 'array', items: { type: 'number' } },
        u: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    };
    expect(schemaErrors(schema, { n: 2, p: 1, s: null, e: 'x', c: true, a: [1.5], u: null })).toEqual([]);
    expect(schemaErrors(schema, { n: 1.5, p: 0, s: 'abc', e: 'z', c: false, a: ['1'], u: 1 })).toEqual([
      '$.n: expected integer, got number',
      '$.p: not above 0',
      '$.s: longer than allowed',
      '$.e: "z" is not one of ["x","y"]',
      '$.c: expected true',
      '$.a[0]: expected number, got string',
      '$.u: matches none of anyOf',
    ]);
  });
});
