import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@study-buddy/contracts';
import { Public } from '@study-buddy/nest-kit';
import { noQuery } from '../http/public-api.schemas';
import { Api } from './api-doc';
import { DOCS_STYLE_HASH, renderDocsPage } from './docs-page';

export const OPENAPI_DOCUMENT = Symbol('OPENAPI_DOCUMENT');

/** The strict API policy, with the docs page's one stylesheet allowed by its hash (no script at all). */
const DOCS_CSP = `default-src 'none'; style-src ${DOCS_STYLE_HASH}; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;

/** The API's description, generated at start-up from the routes' own declarations (see `@Api`). */
@Public()
@Controller()
export class OpenApiController {
  private readonly json: string;
  private readonly page: string;

  constructor(@Inject(OPENAPI_DOCUMENT) document: Record<string, unknown>) {
    this.json = JSON.stringify(document);
    this.page = renderDocsPage(document);
  }

  @Api({
    tag: 'meta',
    summary: 'This document (OpenAPI 3.1)',
    replies: { 200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.string() }) } },
  })
  @Get('openapi.json')
  @Header('content-type', 'application/json; charset=utf-8')
  @Header('cache-control', 'public, max-age=300')
  openapi(@Query() query: unknown): string {
    parseOrThrow(noQuery, query, 'query');
    return this.json;
  }

  @Api({
    tag: 'meta',
    summary: 'This document as a page for people',
    replies: { 200: { description: 'HTML', contentType: 'text/html' } },
  })
  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', DOCS_CSP)
  docs(@Query() query: unknown): string {
    parseOrThrow(noQuery, query, 'query');
    return this.page;
  }
}
