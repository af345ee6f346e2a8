// Starts a private PostgreSQL server (initdb into a temp dir, TCP on a loopback
// port, its socket in that dir) for the local stack and the tests: never the
// machine's own PostgreSQL on 5432 or its data.
//
// As root, PostgreSQL refuses to run, so the server runs as the `postgres`
// user (or `nobody`) through setpriv, else runuser; the data dir is chowned to it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, waitForPort } from "./ports.ts";
import { MissingPrerequisiteError } from "./redis-server.ts";
import { killWithParent } from "./parent-watchdog.ts";

export interface PostgresServer {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/DATABASE: the database created at start. */
  url: string;
  database: string;
  dataDir: string;
  process: ChildProcess;
  /** Creates another empty database on this server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  port?: number;
  /** The database created at start. Default "tasks". */
  database?: string;
  /** Server log lines. Default: dropped. */
  log?: (line: string) => void;
}

const INSTALL_HINT = "PostgreSQL's server binaries (initdb, postgres) are not installed. Install them with: apt-get install -y postgresql (or set POSTGRES_BIN_DIR to the directory holding initdb and postgres)";
const SUPERUSER = "postgres";
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The directory with initdb and postgres: POSTGRES_BIN_DIR, Debian's newest /usr/lib/postgresql/N/bin, or the PATH. */
function findPostgresBinDir(): string {
  const hasBoth = (dir: string) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "postgres"));
  const explicit = process.env.POSTGRES_BIN_DIR;
  if (explicit) {
    if (!hasBoth(explicit)) throw new MissingPrerequisiteError(`POSTGRES_BIN_DIR=${explicit} has no initdb and postgres. ${INSTALL_HINT}`);
    return explicit;
  }
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = path.join(debian, version, "bin");
      if (hasBoth(dir)) return dir;
    }
  }
  const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  if (onPath.status === 0) {
    const dir = path.dirname(onPath.stdout.trim());
    if (hasBoth(dir)) return dir;
  }
  throw new MissingPrerequisiteError(INSTALL_HINT);
}

interface RunAs {
  /** Prefix that runs a command as the unprivileged user; empty when not root. */
  prefix: string[];
  uid: number;
  gid: number;
}

/** How to run PostgreSQL from here: directly, or as an unprivileged user when we are root. */
function unprivileged(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ["postgres", "nobody"]) {
    const uid = spawnSync("id", ["-u", user], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", user], { encoding: "utf8" });
    if (uid.status !== 0 || gid.status !== 0) continue;
    const ids = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    // setpriv execs in place (the child's pid is postgres's own, so signals reach it);
    // runuser forwards signals to its child, which is the next best thing.
    if (spawnSync("sh", ["-c", "command -v setpriv"]).status === 0) {
      return { ...ids, prefix: ["setpriv", `--reuid=${ids.uid}`, `--regid=${ids.gid}`, "--init-groups", "--"] };
    }
    if (spawnSync("sh", ["-c", "command -v runuser"]).status === 0) return { ...ids, prefix: ["runuser", "-u", user, "--"] };
  }
  throw new MissingPrerequisiteError("running as root, PostgreSQL needs an unprivileged user (postgres or nobody) and setpriv or runuser (util-linux) to start as it");
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function waitUntilAccepting(port: number, exited: Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  let gone = false;
  void exited.then(() => { gone = true; });
  const deadline = Date.now() + timeoutMs;
  await waitForPort(port, timeoutMs);
  for (;;) {
    const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, database: "postgres" });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      // 57P03: the database system is starting up.
      if (gone || Date.now() > deadline) throw new Error(`postgres on port ${port} did not become ready: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const database = options.database ?? "tasks";
  if (!DATABASE_NAME.test(database)) throw new Error(`database name "${database}" must match ${DATABASE_NAME}`);
  const runAs = unprivileged();
  const root = mkdtempSync(path.join(os.tmpdir(), "pg-"));
  const dataDir = path.join(root, "data");
  const removeRoot = () => rmSync(root, { recursive: true, force: true });
  if (runAs) chownSync(root, runAs.uid, runAs.gid);
  const command = (binary: string, args: string[]) => {
    const full = [...(runAs?.prefix ?? []), path.join(binDir, binary), ...args];
    return { file: full[0] as string, args: full.slice(1) };
  };

  // Asynchronously: the local stack starts other things meanwhile.
  const init = command("initdb", ["-D", dataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);
  const initialised = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const initdb = spawn(init.file, init.args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    killWithParent(initdb, { removeOnDeath: root });
    let output = "";
    const collect = (chunk: Buffer) => { output += chunk.toString("utf8"); };
    initdb.stdout.on("data", collect);
    initdb.stderr.on("data", collect);
    initdb.once("error", (error) => resolve({ code: null, output: String(error) }));
    initdb.once("close", (code) => resolve({ code, output }));
  });
  if (initialised.code !== 0) {
    removeRoot();
    throw new Error(`initdb failed (${initialised.code}): ${initialised.output.trim().slice(-2000)}`);
  }

  const port = options.port ?? (await freePort());
  // Throwaway data: durability settings off, for speed.
  const server = command("postgres", [
    "-D", dataDir, "-p", String(port), "-h", "127.0.0.1", "-k", root,
    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
  ]);
  // A group of its own (the postmaster and its backends), killed with this process however it
  // ends, its data removed (parent-watchdog.ts).
  const child = spawn(server.file, server.args, { cwd: root, stdio: ["ignore", "ignore", "pipe"], detached: true });
  killWithParent(child, { removeOnDeath: root });
  child.stderr?.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) options.log?.(line);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A process that exits without stop() should leave neither a server nor its data behind.
  // (Only synchronous work runs in an exit handler: no clean shutdown, just kill and delete.)
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    try { removeRoot(); } catch { /* a backend may still be writing: the OS's tmp cleaning gets the rest */ }
  };
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      // SIGINT is the fast shutdown: SIGTERM would wait for every pooled client to leave.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    removeRoot();
  };

  const admin = () => new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, database: "postgres" });
  const urlOf = (name: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
  const createDatabase = async (name: string): Promise<string> => {
    if (!DATABASE_NAME.test(name)) throw new Error(`database name "${name}" must match ${DATABASE_NAME}`);
    const client = admin();
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } finally {
      await client.end();
    }
    return urlOf(name);
  };

  try {
    await waitUntilAccepting(port, exited);
    await createDatabase(database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: urlOf(database), database, dataDir, process: child, createDatabase, stop };
}
