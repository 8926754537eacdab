import httpSecurityHeaders from '@middy/http-security-headers';

/**
 * The HTML pages' generic security headers, middy's (helmet's) defaults. Each page keeps its own CSP in its headers:
 * the middleware merges its defaults (sandbox, upgrade-insecure-requests) into any policy it is given, which would
 * stop the forms. No Permissions-Policy: the pages run no script, and Chrome reports each feature it does not know
 * as a console error.
 */
export const securityHeaders = () =>
  httpSecurityHeaders({ contentSecurityPolicy: false, permissionsPolicy: false });
