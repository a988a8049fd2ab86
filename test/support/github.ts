/**
 * A stand-in for GitHub's REST API on loopback (no GitHub API is reachable here): just the endpoints the
 * pull-request comment and the deployments call, answering with objects typed by GitHub's own OpenAPI
 * description (`@octokit/openapi-types`). A repository named `read-only` answers every write with the 403
 * a fork's token gets; a comment body over 65,536 characters gets GitHub's 422. Every request is recorded (`calls`: method, path, status), so a test can check
 * the calls against the token permissions of our workflows (test/support/github-api-permissions.ts).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';

type IssueComment = components['schemas']['issue-comment'];
type Deployment = components['schemas']['deployment'];

/** A stored deployment as the API shows it: without the request that created it (kept for the tests). */
function withoutRequest(d: Deployment): Deployment {
  const { request: _request, ...rest } = d as Deployment & { request?: unknown };
  return rest;
}
type DeploymentStatus = components['schemas']['deployment-status'];
type SimpleUser = components['schemas']['simple-user'];
type BasicError = components['schemas']['basic-error'];

/** The longest comment body GitHub accepts. */
export const COMMENT_BODY_MAX = 65_536;

/** One request the stand-in answered: the method, the path (no query) and the status it answered with. */
export interface RecordedGitHubCall {
  method: string;
  path: string;
  status: number;
}

/** An in-memory GitHub: just enough of the REST API for the comment and the deployments. */
export class FakeGitHub {
  comments: IssueComment[] = [];
  deployments: Deployment[] = [];
  statuses = new Map<number, DeploymentStatus[]>();
  requests: string[] = [];
  calls: RecordedGitHubCall[] = [];
  private nextId = 1000;
  private server = http.createServer((req, res) => void this.handle(req, res));
  baseUrl = '';

  private readonly bot: SimpleUser = {
    login: 'github-actions[bot]',
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url: 'https://api.github.com/users/github-actions%5Bbot%5D',
    html_url: 'https://github.com/apps/github-actions',
    followers_url: '',
    following_url: '',
    gists_url: '',
    starred_url: '',
    subscriptions_url: '',
    organizations_url: '',
    repos_url: '',
    events_url: '',
    received_events_url: '',
    type: 'Bot',
    site_admin: false,
  };

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const input = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = req.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}${url.search}`);
    const call: RecordedGitHubCall = { method, path: url.pathname, status: 0 };
    this.calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      call.status = status;
      this.send(res, status, body, headers);
    };
    const now = new Date().toISOString();
    const api = this.baseUrl;

    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (!repoMatch) return send(404, { message: 'Not Found', documentation_url: '' } satisfies BasicError);
    const [, owner, repo, rest] = repoMatch as unknown as [string, string, string, string];
    const repoUrl = `${api}/repos/${owner}/${repo}`;
    if (repo === 'read-only' && method !== 'GET') {
      // What GitHub answers a write with a fork's read-only GITHUB_TOKEN.
      return send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '403',
      } satisfies BasicError);
    }

    // GitHub refuses a comment body of more than 65,536 characters with a 422 ("body is too long (maximum
    // is 65536 characters)", https://docs.github.com/rest/issues/comments#create-an-issue-comment). Counted
    // here in UTF-16 code units, the stricter count (an emoji counts twice).
    if (/^\/issues\/(\d+\/comments|comments\/\d+)$/.test(rest) && method !== 'GET') {
      const body = String(input.body ?? '');
      if (body.length > COMMENT_BODY_MAX) {
        return send(422, {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `body is too long (maximum is ${COMMENT_BODY_MAX} characters)`,
            },
          ],
          documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
          status: '422',
        });
      }
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = Number(m[1]);
      const issueUrl = `${repoUrl}/issues/${issue}`;
      if (method === 'GET') {
        // Paginated like GitHub: per_page, page, and a Link header to the next page.
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = this.comments.filter((c) => c.issue_url === issueUrl);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(url.toString());
          next.searchParams.set('page', String(page + 1));
          headers.link = `<${next.toString()}>; rel="next"`;
        }
        return send(200, slice satisfies IssueComment[], headers);
      }
      if (method === 'POST') {
        const id = this.nextId++;
        const comment: IssueComment = {
          id,
          node_id: `IC_${id}`,
          url: `${repoUrl}/issues/comments/${id}`,
          html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
          body: String(input.body),
          user: this.bot,
          created_at: now,
          updated_at: now,
          issue_url: issueUrl,
          author_association: 'NONE',
        };
        this.comments.push(comment);
        return send(201, comment);
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const comment = this.comments.find((c) => Number(c.id) === Number(m![1]));
      if (!comment) return send(404, { message: 'Not Found' } satisfies BasicError);
      comment.body = String(input.body);
      comment.updated_at = now;
      return send(200, comment);
    }
    if (rest === '/deployments' && method === 'POST') {
      const id = this.nextId++;
      const deployment: Deployment = {
        url: `${repoUrl}/deployments/${id}`,
        id,
        node_id: `DE_${id}`,
        sha: String(input.ref),
        ref: String(input.ref),
        task: String(input.task ?? 'deploy'),
        payload: {},
        environment: String(input.environment ?? 'production'),
        description: (input.description as string | undefined) ?? null,
        creator: this.bot,
        created_at: now,
        updated_at: now,
        statuses_url: `${repoUrl}/deployments/${id}/statuses`,
        repository_url: repoUrl,
        transient_environment: Boolean(input.transient_environment),
        production_environment: Boolean(input.production_environment),
      };
      // Kept for the assertions: what the client asked for.
      (deployment as Deployment & { request?: unknown }).request = input;
      this.deployments.push(deployment);
      this.statuses.set(id, []);
      return send(201, deployment);
    }
    if (rest === '/deployments' && method === 'GET') {
      const environment = url.searchParams.get('environment');
      const list = this.deployments.filter((d) => environment === null || d.environment === environment).reverse();
      return send(200, list.map((d) => withoutRequest(d)) satisfies Deployment[]);
    }
    if ((m = /^\/deployments\/(\d+)\/statuses$/.exec(rest))) {
      const id = Number(m[1]);
      const list = this.statuses.get(id);
      if (!list) return send(404, { message: 'Not Found' } satisfies BasicError);
      if (method === 'GET') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        return send(200, [...list].reverse().slice(0, perPage) satisfies DeploymentStatus[]);
      }
      if (method === 'POST') {
        const statusId = this.nextId++;
        const deployment = this.deployments.find((d) => Number(d.id) === id)!;
        const status: DeploymentStatus = {
          url: `${repoUrl}/deployments/${id}/statuses/${statusId}`,
          id: statusId,
          node_id: `DES_${statusId}`,
          state: input.state as DeploymentStatus['state'],
          creator: this.bot,
          description: String(input.description ?? ''),
          environment: deployment.environment,
          target_url: String(input.log_url ?? ''),
          log_url: String(input.log_url ?? ''),
          environment_url: String(input.environment_url ?? ''),
          created_at: now,
          updated_at: now,
          deployment_url: deployment.url,
          repository_url: repoUrl,
        };
        list.push(status);
        return send(201, status);
      }
    }
    return send(404, { message: `Not Found: ${method} ${url.pathname}` } satisfies BasicError);
  }
}
