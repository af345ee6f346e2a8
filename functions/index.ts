// Entry point that functions-framework loads from the sources (npm run dev, the
// tests): the three functions, api (HTTP), worker (the Cloud Tasks target) and
// events (Pub/Sub, as CloudEvents), each registered by a tiny module of
// functions/serve/ that loads its wiring (functions/entries/) in the background
// once the server is up, so a cold instance answers /healthz at once. The
// deployed bundle (npm run infra:package) has one file per function instead,
// picked by FUNCTION_TARGET.
import "./serve/api.ts";
import "./serve/worker.ts";
import "./serve/events.ts";
