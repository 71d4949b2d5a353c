// The services' APIs, called with the bearer token the tab was opened with (?token=, then kept in the
// tab's session storage and taken out of the address bar).
const KEY = "huifang-token";

export function adoptToken(url: URL = new URL(location.href)): string {
  const given = url.searchParams.get("token");
  if (given) {
    sessionStorage.setItem(KEY, given);
    url.searchParams.delete("token");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(KEY) ?? "";
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly path: string) {
    super(`${status}`);
  }
}

export async function getJson<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const url = query.size ? `${path}?${query}` : path;
  const answer = await fetch(url, { headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ""}` } });
  if (!answer.ok) throw new ApiError(answer.status, path);
  return (await answer.json()) as T;
}

export async function download(path: string, filename: string): Promise<void> {
  const answer = await fetch(path, { headers: { Authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ""}` } });
  if (!answer.ok) throw new ApiError(answer.status, path);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await answer.blob());
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}
