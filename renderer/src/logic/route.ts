// Hash routes: Electron opens each window on one of these; the browser navigates between them.
export const routes = ['status', 'restore', 'history', 'settings', 'first-run'] as const;
export type Route = (typeof routes)[number];

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?&]/)[0] ?? '';
  return (routes as readonly string[]).includes(name) ? (name as Route) : 'status';
}

export function hrefOf(route: Route): string {
  return `#/${route}`;
}
