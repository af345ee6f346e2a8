// Fails: platform.callback is internal; no caller may submit it.
import { createClient } from "cloud-tasks-platform/client";

const client = createClient({ url: "http://127.0.0.1:1", apiKey: "k" });
await client.submit("platform.callback", { url: "https://example.com", body: {} });
