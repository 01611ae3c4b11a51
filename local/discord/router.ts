import type { IncomingHttpHeaders } from 'node:http';
import type { RouteResponse, UploadedFile } from './http';
import type { DiscordModel } from './model';

/** Which credentials a route accepts. */
export type RouteAuth =
  /** `Authorization: Bot <token>`. */
  | 'bot'
  /** `Authorization: Bearer <OAuth2 access token>`. */
  | 'bearer'
  /** Either of the two (e.g. `GET /users/@me`). */
  | 'bot-or-bearer'
  /** No credentials: webhook routes addressed by an interaction token, invites, OAuth2 token exchange, CDN. */
  | 'none';

/** Who made a request, resolved from its Authorization header. */
export interface RequestAuth {
  kind: 'bot' | 'bearer' | 'none' | 'invalid';
  /** The bot user for `bot`, the OAuth2 user for `bearer`. */
  userId?: string;
  scopes?: string[];
}

/** What a handler gets. */
export interface RouteContext {
  model: DiscordModel;
  method: string;
  /** Path without the `/api/v10` prefix. */
  path: string;
  /** The matched template, e.g. `/channels/{channel}/messages`. */
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  files: UploadedFile[];
  headers: IncomingHttpHeaders;
  auth: RequestAuth;
}

/** One entry of a route table. Templates use `{name}` for one path segment. */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  auth: RouteAuth;
  handler(ctx: RouteContext): RouteResponse | Promise<RouteResponse>;
}

interface CompiledRoute extends RouteDefinition {
  regex: RegExp;
  names: string[];
}

/** Turns `/channels/{channel}/messages` into a regex and the list of its parameter names. */
export function compileTemplate(template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const match = /^\{([^}]+)\}$/.exec(segment);
      if (match) {
        names.push(match[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), names };
}

/** Result of looking a request up in a {@link Router}. */
export type RouteMatch =
  | { kind: 'found'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

/** A route table matched in order; `@original`-style literal segments are listed before `{param}` ones. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(definitions: RouteDefinition[]) {
    this.routes = definitions.map((route) => ({ ...route, ...compileTemplate(route.path) }));
  }

  /** Matches a percent-decoded path (clients encode `@me` as `%40me`). */
  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.regex.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = match[i + 1]));
      return { kind: 'found', route, params };
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }

  get definitions(): readonly RouteDefinition[] {
    return this.routes;
  }
}
