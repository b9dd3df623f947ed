import { Api } from '../openapi/api-doc';
import { jwksReply } from '../http/public-api.schemas';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '@study-buddy/nest-kit';
import { ACCESS_TOKENS } from '../sessions/sessions.service';
import { AccessTokens } from './access-tokens';

/** The public halves of the signing keys, so other parties can verify access tokens themselves. */
@Controller('.well-known')
export class JwksController {
  private readonly body: string;

  constructor(@Inject(ACCESS_TOKENS) tokens: AccessTokens) {
    this.body = JSON.stringify(tokens.jwks);
  }

  @Api({
    tag: 'auth',
    summary: 'The public signing keys (JWKS)',
    replies: { 200: { description: 'Ed25519 keys by kid', schema: jwksReply } },
  })
  @Public()
  @Get('jwks.json')
  // Short enough that a newly added key is seen well before it starts signing (see the rotation procedure).
  @Header('cache-control', 'public, max-age=300')
  @Header('content-type', 'application/json; charset=utf-8')
  jwks(): string {
    return this.body;
  }
}
