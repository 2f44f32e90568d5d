import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './actor.js';

export const ROLES_KEY = 'cyberflag:roles';
export const PUBLIC_KEY = 'cyberflag:public';

// Deny by default: a route is reachable only if it names the roles allowed, or is explicitly public.
// The roles are also written into the OpenAPI document.
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no valid access token' }),
    ApiForbiddenResponse({ description: `roles allowed: ${roles.join(', ')}` }),
  );
export const Public = () => SetMetadata(PUBLIC_KEY, true);

// A browser page: authenticated by the session cookies (WebSessions) instead of a bearer token, with the same
// roles check; failures become a sign-in redirect or an error page instead of JSON.
export const WebPage = () => SetMetadata('cyberflag:web-page', true);
