// Fails: there is no task type "notify.sytsem".
import { createClient } from "cloud-tasks-platform/client";

const client = createClient({ url: "http://127.0.0.1:1", apiKey: "k" });
await client.submit("notify.sytsem", { notification_type: "info", title: "Hello", message: "hi" });
