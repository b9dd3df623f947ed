import { Api } from '../openapi/api-doc';
import { Body, Controller, Get, Patch, Req } from '@nestjs/common';
import { parseOrThrow } from '@study-buddy/contracts';
import { AuthenticatedRequest, AuthenticatedUser } from '../auth/auth.guard';
import { CurrentUser } from '../auth/current-user.decorator';
import { UserProfile, UsersService } from '../auth/users.service';
import { updateUserBody, userProfileReply, UserProfileReply } from './public-api.schemas';
import { requestContext } from './request-context';

/** `/user`: the caller's profile and the defaults their submissions get. */
@Controller('user')
export class UserController {
  constructor(private readonly users: UsersService) {}

  @Api({
    tag: 'user',
    summary: "The caller's profile and settings",
    replies: { 200: { description: 'The profile', schema: userProfileReply } },
  })
  @Get()
  async get(@CurrentUser() user: AuthenticatedUser) {
    return view(await this.users.profile(user.userId));
  }

  @Api({
    tag: 'user',
    summary: 'Change the profile or the defaults of submissions',
    description:
      'Only the fields sent change; null clears a default. POST /videos without subject or language uses them.',
    body: updateUserBody,
    bodyExample: { default_subject: 'Biology', note_language: 'en' },
    replies: { 200: { description: 'The profile as it is now', schema: userProfileReply } },
  })
  @Patch()
  async update(@Body() body: unknown, @CurrentUser() user: AuthenticatedUser, @Req() request: AuthenticatedRequest) {
    const input = parseOrThrow(updateUserBody, body, 'user settings');
    const profile = await this.users.updateProfile(
      user.userId,
      {
        name: input.name,
        defaultSubject: input.default_subject,
        noteLanguage: input.note_language,
        assessment: input.assessment,
      },
      requestContext(request),
    );
    return view(profile);
  }
}

function view(p: UserProfile): UserProfileReply {
  return {
    user_id: p.userId,
    email: p.email,
    name: p.name,
    default_subject: p.defaultSubject,
    note_language: p.noteLanguage,
    assessment: p.assessment,
    created_at: p.createdAt,
  };
}
