import tseslint from "typescript-eslint";

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
    // The boundaries of DESIGN.md: the core sees no adapter and no SDK.
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
    files: ["functions/tasks/**/*.ts", "functions/api/**/*.ts", "functions/worker/**/*.ts", "functions/events/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["**/adapters/**"], message: "only functions/composition.ts picks adapters" }],
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
