# The task platform on Google Cloud, generated from the registry: every queue,
# topic, subscription, scheduler job, function and secret below comes from
# infra/manifest.json (npm run infra:manifest), never from a list kept here.

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  manifest       = jsondecode(file(var.manifest_path))
  project_number = data.google_project.this.number

  # Cloud Run names each function's service after it, and its deterministic URL is known before it
  # exists: each function can be told its own URL (the worker re-enqueues retries to itself) and its
  # peers' without a dependency cycle. The same strings are the OIDC audiences everywhere.
  function_names = { for name, fn in local.manifest.functions : name => "${var.name_prefix}-${name}" }
  function_urls  = { for name, service in local.function_names : name => "https://${service}-${local.project_number}.${var.region}.run.app" }
  api_url        = local.function_urls["api"]

  bucket_name     = var.bucket_name != "" ? var.bucket_name : "${var.project_id}-${var.name_prefix}-data"
  bucket_location = var.bucket_location != "" ? var.bucket_location : upper(var.region)
  public_bucket   = lower(lookup(var.settings, "GCS_PUBLIC_BUCKET", "false")) == "true" || lookup(var.settings, "GCS_PUBLIC_BUCKET", "false") == "1"

  # The variables Terraform fills itself: exactly the manifest's wiredVariables (a unit test checks).
  wired_env = {
    GCP_PROJECT               = var.project_id
    GCP_LOCATION              = var.region
    UPSTASH_REDIS_REST_URL    = var.upstash_redis_rest_url
    WORKER_URL                = local.function_urls["worker"]
    WORKER_GPU_URL            = local.function_urls["worker-gpu"]
    TASKS_SERVICE_ACCOUNT     = google_service_account.this["tasks"].email
    GCS_BUCKET                = google_storage_bucket.data.name
    PUBLIC_BASE_URL           = var.public_base_url != "" ? var.public_base_url : local.api_url
    SCHEDULER_TARGET_URL      = local.api_url
    SCHEDULER_SERVICE_ACCOUNT = google_service_account.this["scheduler"].email
    SCHEDULER_JOB_PREFIX      = local.manifest.scheduler.jobPrefix
  }
  env              = merge(var.settings, local.wired_env)
  unknown_settings = [for name in keys(var.settings) : name if !contains(local.manifest.settings, name)]

  secrets          = { for name, secret in local.manifest.secrets : name => secret if secret.required || contains(var.optional_secrets, name) }
  unknown_secrets  = [for name in var.optional_secrets : name if !contains(keys(local.manifest.secrets), name)]
  functions_config = { for name, fn in local.manifest.functions : name => merge(fn, { override = lookup(var.function_overrides, name, null) }) }
}
