import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { parseOrThrow } from '@study-buddy/contracts';
import { Public } from '@study-buddy/nest-kit';
import { GATEWAY_ENV, GatewayEnv } from '../config';
import { loginBody, registerBody } from '../http/public-api.schemas';
import { requestContext } from '../http/request-context';
import { toSnakeCase } from '../http/snake-case';
import { AuthenticatedRequest, AuthenticatedUser } from './auth.guard';
import { CurrentUser } from './current-user.decorator';
import { UsersService } from './users.service';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  async register(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(registerBody, body, 'registration');
    const { userId } = await this.users.register(input, requestContext(request));
    return this.tokenResponse(userId, input.email.toLowerCase());
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown) {
    const input = parseOrThrow(loginBody, body, 'login');
    const { userId, email } = await this.users.authenticate(input.email, input.password);
    return this.tokenResponse(userId, email);
  }

  @Get('me')
  async me(@CurrentUser() user: AuthenticatedUser) {
    return toSnakeCase(await this.users.profile(user.userId));
  }

  private async tokenResponse(userId: string, email: string) {
    const accessToken = await this.jwt.signAsync({ sub: userId, email });
    return { user_id: userId, access_token: accessToken, token_type: 'Bearer', expires_in: this.env.JWT_TTL_SECONDS };
  }
}
