# One identity per role. worker and worker-gpu run the same code and share the worker's.
locals {
  service_accounts = {
    api       = "api function: submits tasks, publishes events, manages schedules"
    events    = "events function: turns Pub/Sub events into tasks"
    worker    = "worker functions: run tasks, enqueue retries and children, publish lifecycle events"
    tasks     = "Cloud Tasks: the OIDC identity that invokes the workers"
    scheduler = "Cloud Scheduler: the OIDC identity that invokes the api's trigger endpoint"
    push      = "Pub/Sub push: the OIDC identity that invokes the events function"
    build     = "Cloud Build: builds the functions from the uploaded source"
  }
}

resource "google_service_account" "this" {
  for_each     = local.service_accounts
  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.key}"
  display_name = "${var.name_prefix} ${each.key}"
  description  = each.value
}
