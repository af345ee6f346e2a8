// npm run keys:new -- [--name NAME] [--scopes read,submit,admin] [--rate-limit 100/10s]
// Prints a new random API key (give it to the client; it is shown once) and the
// API_KEYS entry holding only its SHA-256 (add it to the api-keys secret).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { hashApiKey, parseApiKeys } from "../functions/api/auth.ts";

const { values } = parseArgs({
  options: { name: { type: "string", default: "client" }, scopes: { type: "string", default: "submit" }, "rate-limit": { type: "string" } },
});
const key = `tq_${randomBytes(32).toString("base64url")}`;
const entry = {
  name: values.name,
  sha256: hashApiKey(key),
  scopes: (values.scopes ?? "submit").split(",").map((scope) => scope.trim()),
  ...(values["rate-limit"] ? { rate_limit: values["rate-limit"] } : {}),
};
// The same check the api runs on API_KEYS at start: a bad scope or rate limit fails here, not in production.
try {
  parseApiKeys(JSON.stringify([entry]));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
process.stdout.write(`API key (X-API-Key; store it now, it is not kept anywhere):\n${key}\n\nAPI_KEYS entry:\n${JSON.stringify(entry)}\n`);
