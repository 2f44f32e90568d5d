import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AuthService,
  passwordProblem,
  Public,
  Roles,
  ROLES,
  WebPage,
  WebSessions,
} from '#libs/auth';
import { Catalogue } from '#libs/catalogue';
import { CrimeQueryService } from '#libs/crimes';
import { WebCsrfGuard } from './web-csrf.js';
import { render, type PageRequest } from './web-page.js';
import { webContext } from './web-context.js';
import { escapeHtml, ukDateTime } from './view-filters.js';

const ENDED: Record<string, string> = {
  'signed-out': 'You have signed out.',
  idle: 'You were signed out because you had not done anything for a while.',
  required: 'Sign in to continue.',
};

// Only paths of this service: never an open redirect.
const safeNext = (next: unknown): string =>
  typeof next === 'string' && /^\/(?!\/)[\w\-/?=&%.:]*$/.test(next) ? next : '/';

@ApiExcludeController()
@Controller()
@WebPage()
@UseGuards(WebCsrfGuard)
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: WebSessions,
    private readonly catalogue: Catalogue,
    private readonly crimes: CrimeQueryService,
  ) {}

  @Get('sign-in')
  @Public()
  signIn(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Query('next') next?: string,
    @Query('ended') ended?: string,
  ): void {
    if (req.actor) return void res.redirect(safeNext(next), 303);
    render(req, res, this.catalogue, 'sign-in', {
      title: 'Sign in',
      next: safeNext(next),
      ended: ended ? ENDED[ended] : undefined,
      errors: {},
    });
  }

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  async doSignIn(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Body() body: Record<string, string>,
  ): Promise<void> {
    const username = typeof body.username === 'string' ? body.username.trim().slice(0, 64) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 256) : '';
    if (/\0/.test(username + password))
      throw new BadRequestException('username and password must not contain NUL characters');
    const errors: Record<string, string> = {};
    if (!username) errors.username = 'Enter your username';
    if (!password) errors.password = 'Enter your password';
    if (Object.keys(errors).length === 0) {
      let user;
      try {
        user = await this.auth.checkCredentials(username, password, req.ip ?? 'unknown');
      } catch {
        errors.password = 'Enter a correct username and password';
      }
      // A one-time password (a new or reset account): no session, only the page to choose a password.
      if (user?.must_set_password)
        return this.renderChoosePassword(req, res, {
          setupToken: await this.auth.setupTicket(user),
          next: safeNext(body.next),
          errors: {},
        });
      if (user) {
        this.sessions.setCookies(res, await this.auth.login(user));
        return void res.redirect(safeNext(body.next), 303);
      }
    }
    res.status(400);
    render(req, res, this.catalogue, 'sign-in', {
      title: 'Sign in',
      next: safeNext(body.next),
      username,
      errors,
      errorList: Object.entries(errors).map(([k, text]) => ({ text, href: `#${k}` })),
    });
  }

  // The step after signing in with a one-time password: the user's own password, then a session.
  @Post('set-password')
  @Public()
  @HttpCode(200)
  async doSetPassword(
    @Req() req: PageRequest,
    @Res() res: FastifyReply,
    @Body() body: Record<string, string>,
  ): Promise<void> {
    const setupToken = typeof body.setupToken === 'string' ? body.setupToken.slice(0, 1000) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 256) : '';
    const confirm = typeof body.confirm === 'string' ? body.confirm.slice(0, 256) : '';
    if (/\0/.test(setupToken + password + confirm))
      throw new BadRequestException('the form must not contain NUL characters');
    const errors: Record<string, string> = {};
    const problem = passwordProblem(password);
    if (problem) errors.password = `Your ${problem}`;
    else if (password !== confirm) errors.confirm = 'Enter the same password twice';
    if (Object.keys(errors).length === 0) {
      try {
        const tokens = await this.auth.choosePassword(setupToken, password, 'POST /set-password');
        this.sessions.setCookies(res, tokens);
        return void res.redirect(safeNext(body.next), 303);
      } catch {
        res.status(401);
        return render(req, res, this.catalogue, 'sign-in', {
          title: 'Sign in',
          next: safeNext(body.next),
          ended: 'Choosing your password took too long, or it was already chosen: sign in again.',
          errors: {},
        });
      }
    }
    res.status(400);
    this.renderChoosePassword(req, res, { setupToken, next: safeNext(body.next), errors });
  }

  private renderChoosePassword(
    req: PageRequest,
    res: FastifyReply,
    v: { setupToken: string; next: string; errors: Record<string, string> },
  ): void {
    render(req, res, this.catalogue, 'set-password', {
      title: 'Choose your password',
      ...v,
      errorList: Object.entries(v.errors).map(([k, text]) => ({ text, href: `#${k}` })),
    });
  }

  @Post('sign-out')
  @Roles(...ROLES)
  async signOut(@Req() req: PageRequest, @Res() res: FastifyReply): Promise<void> {
    if (req.actor?.sessionId) await this.auth.logout(req.actor.sessionId);
    this.sessions.clearCookies(res);
    res.redirect('/sign-in?ended=signed-out', 303);
  }

  @Get()
  @Roles(...ROLES)
  async home(@Req() req: PageRequest, @Res() res: FastifyReply): Promise<void> {
    const actor = req.actor!;
    const forces =
      actor.forces === 'all'
        ? []
        : actor.forces.flatMap((id) => {
            const f = this.catalogue.force(id);
            return f
              ? [
                  {
                    id,
                    name: f.name,
                    region: this.catalogue.region(f.regionId)?.name ?? f.regionId,
                  },
                ]
              : [];
          });
    const recordsRole = actor.roles.some((r) => r === 'registrar' || r === 'force_crime_registrar');
    const recent = recordsRole
      ? (await this.crimes.recentWork(webContext(req), 10)).map((c) => [
          {
            html: `<a class="govuk-link" href="/records/${c.id}">${escapeHtml(c.crimeReference)}</a>`,
          },
          { text: this.catalogue.force(c.forceId)?.name ?? c.forceId },
          { text: c.offenceCode },
          { text: c.status },
          { text: ukDateTime(c.updatedAt) },
        ])
      : undefined;
    render(req, res, this.catalogue, 'home', {
      title: 'Home',
      forces,
      canRecord: recordsRole,
      recent,
    });
  }
}
