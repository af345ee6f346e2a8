// Fails: notify.system has no field "body" and needs "message".
import { createClient } from "cloud-tasks-platform/client";

const client = createClient({ url: "http://127.0.0.1:1", apiKey: "k" });
await client.submit("notify.system", { notification_type: "info", title: "Hello", body: "oops" });
