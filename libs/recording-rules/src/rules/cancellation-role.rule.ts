import type { CancellationRule } from '../rule.js';

// R16: the FCR is the final arbiter of recording decisions (PQ 33648), so only configured roles
// (the FCR; an authorised DDM if a force adds one) may cancel or transfer a record.
export const cancellationRoleRule: CancellationRule = {
  code: 'CF-CANCEL-002',
  subject: 'cancellation',
  severity: 'block',
  message:
    'Only the Force Crime Registrar (or a configured decision maker) may cancel or transfer a record',
  reference: 'PQ 33648 (FCR final arbiter); domain.md §14 R16, §3.2',
  basis: 'INFERRED',
  fromYear: null,
  toYear: null,
  check: (request, ctx) =>
    request.decisionMakerRoles.some((role) => ctx.config.cancellationRoles.includes(role))
      ? null
      : {
          details: {
            decisionMakerRoles: request.decisionMakerRoles,
            allowedRoles: ctx.config.cancellationRoles,
          },
        },
};
