// The events function's registration (Pub/Sub push, as CloudEvents); its wiring is functions/entries/events.ts.
import { cloudEvent } from "@google-cloud/functions-framework";
import { lazyWiring } from "./lazy.ts";

const wiring = lazyWiring("events", () => import("../entries/events.ts"));

cloudEvent("events", async (event: { data?: unknown; source?: string }) => (await wiring()).eventsHandler(event));
