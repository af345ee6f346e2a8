// Ports as values. A port is a typed key: `port<SpeechSynthesizer>("speech")`,
// declared by whoever owns the interface (core for the platform's own, a domain
// beside its tasks). A task names the ports it uses in defineTask({ uses }),
// functions/composition.ts binds an adapter to each key, and a handler's ctx
// carries exactly the ports its task declared, built on first use.

declare const portType: unique symbol;

/** A key that an adapter of type T is bound to. The type is carried for the compiler only. */
export interface Port<T> {
  readonly key: string;
  readonly [portType]?: T;
}

export function port<T>(key: string): Port<T> {
  return { key };
}

/** What a task (or a service) uses: the name it reads each port by, and the port. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PortUses = Readonly<Record<string, Port<any>>>;

/** No ports. */
export type NoPorts = Readonly<Record<never, never>>;

/** The adapters behind `uses`, by the names it gives them. */
export type UsedPorts<U extends PortUses> = { readonly [K in keyof U]: U[K] extends Port<infer T> ? T : never };

/** Answers the adapter bound to a port, building it on first use. */
export interface PortResolver {
  get<T>(port: Port<T>): T;
}

/** The adapters of a deployment (or a test), by port key, each built once on first use. */
export class PortBindings implements PortResolver {
  private readonly builders = new Map<string, () => unknown>();
  private readonly built = new Map<string, unknown>();

  bind<T>(port: Port<T>, build: () => T): this {
    if (this.builders.has(port.key)) throw new Error(`port "${port.key}" is bound twice`);
    this.builders.set(port.key, build);
    return this;
  }

  has(port: Port<unknown>): boolean {
    return this.builders.has(port.key);
  }

  get<T>(port: Port<T>): T {
    if (this.built.has(port.key)) return this.built.get(port.key) as T;
    const build = this.builders.get(port.key);
    if (!build) throw new Error(`no adapter is bound to port "${port.key}" (functions/composition.ts binds them)`);
    const value = build();
    this.built.set(port.key, value);
    return value as T;
  }
}

/**
 * The ports `uses` names, as getters on `target`: reading one builds its adapter, and a port
 * not named is not there at all (not undefined: absent).
 */
export function attachPorts<U extends PortUses, O extends object>(target: O, uses: U, ports: PortResolver): O & UsedPorts<U> {
  for (const [name, used] of Object.entries(uses)) {
    Object.defineProperty(target, name, { get: () => ports.get(used), enumerable: true });
  }
  return target as O & UsedPorts<U>;
}

/** The ports `uses` names, as lazy getters on a new object: what a domain service outside a task (an api route) is given. */
export function usePorts<U extends PortUses>(uses: U, ports: PortResolver): UsedPorts<U> {
  return attachPorts({}, uses, ports);
}
