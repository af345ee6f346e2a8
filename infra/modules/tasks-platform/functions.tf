# The manifest's functions (api, events, worker, worker-gpu), all built from one
# source zip, each with the entry point, resources, variables and secrets the
# manifest gives it. worker and events accept only internal traffic (Cloud Tasks
# and Pub/Sub in the project count as internal) and only their invoker's token;
# the api is public and checks X-API-Key itself.

resource "google_cloudfunctions2_function" "this" {
  for_each    = local.functions_config
  project     = var.project_id
  location    = var.region
  name        = local.function_names[each.key]
  description = each.value.description
  labels      = var.labels

  build_config {
    runtime         = "nodejs22"
    entry_point     = each.value.entryPoint
    service_account = google_service_account.this["build"].id
    # npm ci installs dependencies only; the zip's package.json has no scripts to run.
    environment_variables = { NODE_ENV = "production" }

    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory                 = coalesce(try(each.value.override.memory, null), each.value.memory)
    available_cpu                    = coalesce(try(each.value.override.cpu, null), each.value.cpu)
    timeout_seconds                  = coalesce(try(each.value.override.timeout_seconds, null), each.value.timeoutSeconds)
    min_instance_count               = coalesce(try(each.value.override.min_instances, null), each.value.minInstances)
    max_instance_count               = coalesce(try(each.value.override.max_instances, null), each.value.maxInstances)
    max_instance_request_concurrency = each.value.concurrency
    ingress_settings                 = each.value.ingress
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.this[each.value.serviceAccount].email

    # LOG_EXECUTION_ID: Cloud Functions sets it anyway; declaring it avoids a permanent diff.
    environment_variables = merge(
      { for name in each.value.env : name => local.env[name] if contains(keys(local.env), name) },
      { LOG_EXECUTION_ID = "true" },
    )

    dynamic "secret_environment_variables" {
      for_each = [for name in each.value.secrets : name if contains(keys(local.secrets), name)]
      content {
        key        = secret_environment_variables.value
        project_id = var.project_id
        secret     = google_secret_manager_secret.this[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  lifecycle {
    precondition {
      condition     = length(local.unknown_settings) == 0
      error_message = "settings names variables the functions do not read (or that Terraform sets itself): ${join(", ", local.unknown_settings)}. See the manifest's settings list."
    }
  }

  depends_on = [
    google_secret_manager_secret_iam_member.reader,
    google_project_iam_member.build,
  ]
}

locals {
  # Who may invoke each function, by key (service account emails are unknown until apply, so they cannot be keys).
  invokers = {
    public        = var.api_public ? ["allUsers"] : []
    tasks         = ["tasks"]
    "pubsub-push" = ["push"]
  }
  # Cloud Scheduler calls the api's trigger endpoint with its own token, public api or not.
  invocations = flatten([
    for name, fn in local.manifest.functions : [
      for who in concat(local.invokers[fn.invoker], name == "api" ? ["scheduler"] : []) : { function = name, who = who }
    ]
  ])
}

resource "google_cloud_run_service_iam_member" "invoker" {
  for_each = { for pair in local.invocations : "${pair.function}/${pair.who}" => pair }
  project  = var.project_id
  location = var.region
  service  = google_cloudfunctions2_function.this[each.value.function].name
  role     = "roles/run.invoker"
  member   = each.value.who == "allUsers" ? "allUsers" : "serviceAccount:${google_service_account.this[each.value.who].email}"
}
