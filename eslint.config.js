import tseslint from "typescript-eslint";

const noAdapters = { group: ["**/adapters/**"], message: "only functions/composition.ts picks adapters" };
const noSdks = { group: ["@google-cloud/*", "!@google-cloud/functions-framework", "@upstash/*", "@qdrant/*", "msedge-tts", "pg", "sharp"], message: "SDKs live in adapters, behind a port" };

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".dev/", "infra/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The boundaries of docs/architecture.md: the core sees no adapter and no SDK.
    files: ["functions/core/**/*.ts"],
    ignores: ["functions/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["**/adapters/**", "@google-cloud/*", "@upstash/*", "@qdrant/*", "msedge-tts", "pg", "sharp"], message: "core/ depends on ports only" },
        ],
      }],
    },
  },
  {
    files: ["functions/events/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [noAdapters] }] },
  },
  {
    // A task file imports the runtime from its one entry module; a domain's own ports sit beside its tasks.
    files: ["functions/tasks/**/*.ts"],
    ignores: ["functions/tasks/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [noAdapters, { group: ["**/core/*", "**/core/*/**", "!**/core/task-kit.ts"], message: "task files import the runtime from core/task-kit.ts" }],
      }],
    },
  },
  {
    // The HTTP functions reach outside systems through ports (rate limits included); the api reaches a domain
    // through what the domain exports (its index.ts: schemas, services) and its ports.
    files: ["functions/api/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          noAdapters, noSdks,
          { group: ["**/tasks/*/*", "!**/tasks/*/index.ts", "!**/tasks/*/ports.ts"], message: "call the domain through its index.ts (a service, a schema) or its ports.ts" },
        ],
      }],
    },
  },
  {
    // The worker and functions/http/ share only functions/http/ with the api.
    files: ["functions/worker/**/*.ts", "functions/http/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [noAdapters, noSdks, { group: ["**/api/**"], message: "what the api and the worker share lives in functions/http/" }],
      }],
    },
  },
  {
    // An adapter implements a port: from a domain it may know the port's definition, nothing else.
    files: ["functions/adapters/**/*.ts"],
    ignores: ["functions/adapters/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["**/tasks/*/*", "!**/tasks/*/ports.ts", "!**/tasks/media/imaging.ts", "!**/tasks/media/remote-files.ts"], message: "an adapter imports a domain's port definitions only (tasks/<domain>/ports.ts)" }],
      }],
    },
  },
  {
    // One way out for a URL a caller can influence: OutboundGuard (adapters/remote-files/outbound-guard.ts).
    // A bare request anywhere else is an SSRF waiting for a caller's URL to reach it; the files below
    // call only URLs from the operator's configuration, each named in its own file's header.
    files: ["functions/**/*.ts"],
    ignores: [
      "functions/**/*.test.ts",
      "functions/adapters/remote-files/outbound-guard.ts", // the guard itself
      "functions/adapters/webhook/direct-send.ts", // NOTIFY_WEBHOOK_URL
      "functions/adapters/http/json-request.ts", // INGEST_URL, EMBEDDING_URL
      "functions/adapters/game-api/client.ts", // GAME_API_BASE_URL
      "functions/adapters/imaging/http-imaging.ts", // MEDIA_PROVIDER_URL
      "functions/adapters/edge-tts/client-endpoint.ts", // EDGE_TTS_ENDPOINT
    ],
    rules: {
      "no-restricted-syntax": ["error",
        { selector: "CallExpression[callee.name='fetch']", message: "send through OutboundGuard (adapters/remote-files/outbound-guard.ts), or add the file to the operator-URL list in eslint.config.js" },
        { selector: "CallExpression[callee.property.name='fetch'][callee.object.name='globalThis']", message: "send through OutboundGuard" },
        { selector: "CallExpression[callee.object.name=/^(http|https|http2)$/][callee.property.name=/^(request|get|connect)$/]", message: "send through OutboundGuard" },
      ],
      // A rule of its own: the boundary rules above already use no-restricted-imports, and a later block would replace them.
      "@typescript-eslint/no-restricted-imports": ["error", {
        paths: ["undici", "node-fetch", "axios", "got", "node:http2"].map((name) => ({ name, message: "send through OutboundGuard" })),
      }],
    },
  },
  {
    // The typed client runs in other services: it may know the server's types, never load its code.
    files: ["client/**/*.ts"],
    ignores: ["client/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", {
        patterns: [{ group: ["**/functions/**"], allowTypeImports: true, message: "the client imports only types from functions/" }],
      }],
    },
  },
  // CommonJS on purpose: it runs before the project's own Node is installed.
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs", globals: { require: "readonly", __dirname: "readonly", process: "readonly" } }, rules: { "@typescript-eslint/no-require-imports": "off" } },
);
