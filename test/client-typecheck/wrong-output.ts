// Fails: notify.system's output has no field "audio_url".
import { createClient } from "cloud-tasks-platform/client";

const client = createClient({ url: "http://127.0.0.1:1", apiKey: "k" });
const { task_id } = await client.submit("notify.system", { notification_type: "info", title: "Hello", message: "hi" });
const output = await client.wait(task_id);
console.log(output.audio_url);
