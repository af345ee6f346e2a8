# Least privilege: each identity gets what its code calls, on the narrowest
# resource that takes it. Invokers are in functions.tf, topic publishers and
# Pub/Sub's agent in pubsub.tf, secret readers in secrets.tf.

# What the api does on Cloud Tasks and Cloud Scheduler besides enqueueing:
# cancel (delete a queued task), queue state, pause and resume; schedules
# created, changed, paused, run and deleted at run time.
resource "google_project_iam_custom_role" "api" {
  project     = var.project_id
  role_id     = "${replace(var.name_prefix, "-", "_")}_api"
  title       = "${var.name_prefix} api"
  description = "Task platform api: cancel tasks, pause queues, manage run-time schedules"
  permissions = [
    "cloudtasks.tasks.delete",
    "cloudtasks.queues.get",
    "cloudtasks.queues.list",
    "cloudtasks.queues.pause",
    "cloudtasks.queues.resume",
    "cloudscheduler.jobs.create",
    "cloudscheduler.jobs.delete",
    "cloudscheduler.jobs.enable",
    "cloudscheduler.jobs.fullView",
    "cloudscheduler.jobs.get",
    "cloudscheduler.jobs.list",
    "cloudscheduler.jobs.pause",
    "cloudscheduler.jobs.run",
    "cloudscheduler.jobs.update",
  ]
}

locals {
  project_roles = {
    "api/enqueuer"    = { account = "api", role = "roles/cloudtasks.enqueuer" }
    "api/custom"      = { account = "api", role = google_project_iam_custom_role.api.name }
    "events/enqueuer" = { account = "events", role = "roles/cloudtasks.enqueuer" }
    "worker/enqueuer" = { account = "worker", role = "roles/cloudtasks.enqueuer" }
  }
  # Creating a task (or job) that carries an OIDC token for an account requires acting as it.
  act_as = {
    "api/tasks"     = { account = "api", as = "tasks" }
    "events/tasks"  = { account = "events", as = "tasks" }
    "worker/tasks"  = { account = "worker", as = "tasks" }
    "api/scheduler" = { account = "api", as = "scheduler" }
  }
}

resource "google_project_iam_member" "runtime" {
  for_each = local.project_roles
  project  = var.project_id
  role     = each.value.role
  member   = "serviceAccount:${google_service_account.this[each.value.account].email}"
}

resource "google_service_account_iam_member" "act_as" {
  for_each           = local.act_as
  service_account_id = google_service_account.this[each.value.as].name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.this[each.value.account].email}"
}

# Signed URLs without a key file (GCS_SIGNING_CREDENTIALS unset) are signed by the runtime account itself (signBlob).
resource "google_service_account_iam_member" "sign_own_urls" {
  for_each           = toset(["api", "worker"])
  service_account_id = google_service_account.this[each.key].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = "serviceAccount:${google_service_account.this[each.key].email}"
}

# Objects only, on the data bucket only: the api writes uploads, the worker audio, images and documents.
resource "google_storage_bucket_iam_member" "objects" {
  for_each = toset(["api", "worker"])
  bucket   = google_storage_bucket.data.name
  role     = "roles/storage.objectUser"
  member   = "serviceAccount:${google_service_account.this[each.key].email}"
}

# Cloud Build builds the functions as this account instead of the project's default compute account.
resource "google_project_iam_member" "build" {
  project = var.project_id
  role    = "roles/cloudbuild.builds.builder"
  member  = "serviceAccount:${google_service_account.this["build"].email}"
}
