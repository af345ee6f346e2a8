// Raw Redis commands through the Upstash REST bridge, for tests that seed data
// other systems would write (caches, conversations) or look at what is stored.
export function redisBridge(url: string, token: string) {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const answer = (await response.json()) as T;
    if (!response.ok) throw new Error(`bridge ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  return {
    async command<T = unknown>(...args: (string | number)[]): Promise<T> {
      const answer = await post<{ result?: T; error?: string }>("", args.map(String));
      if (answer.error) throw new Error(answer.error);
      return answer.result as T;
    },
    /** Many commands in one request, in chunks (a bridge request has a size limit). */
    async pipeline(commands: (string | number)[][], chunk = 500): Promise<unknown[]> {
      const results: unknown[] = [];
      for (let i = 0; i < commands.length; i += chunk) {
        const answers = await post<{ result?: unknown; error?: string }[]>("/pipeline", commands.slice(i, i + chunk).map((c) => c.map(String)));
        for (const answer of answers) {
          if (answer.error) throw new Error(answer.error);
          results.push(answer.result);
        }
      }
      return results;
    },
  };
}
