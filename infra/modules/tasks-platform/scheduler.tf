# Cloud Scheduler jobs for the schedules declared in functions/schedules.ts,
# identical to what `npm run schedules:apply` creates (same "tq-" ids, URI,
# body bytes, OIDC audience and retry), so exactly one of the two should own
# them: this module when manage_schedules is true, the npm script otherwise.
# Schedules created at run time through the API are never touched here.

locals {
  scheduler_retry_count = tonumber(lookup(var.settings, "SCHEDULER_RETRY_COUNT", local.manifest.scheduler.retry.retryCount))
}

resource "google_cloud_scheduler_job" "this" {
  for_each         = { for name, job in local.manifest.schedules : name => job if var.manage_schedules }
  project          = var.project_id
  region           = var.region
  name             = each.value.jobId
  description      = each.value.description
  schedule         = each.value.cron
  time_zone        = each.value.timeZone
  attempt_deadline = "${local.manifest.scheduler.attemptDeadlineSeconds}s"

  retry_config {
    retry_count          = local.scheduler_retry_count
    min_backoff_duration = "${local.manifest.scheduler.retry.minBackoffSeconds}s"
    max_backoff_duration = "${local.manifest.scheduler.retry.maxBackoffSeconds}s"
    max_doublings        = local.manifest.scheduler.retry.maxDoublings
  }

  http_target {
    http_method = "POST"
    uri         = "${local.api_url}${each.value.path}"
    # The manifest holds the body's exact JSON; re-encoding it here could reorder keys and make the npm script see a change.
    body    = base64encode(each.value.body)
    headers = { "Content-Type" = "application/json" }

    oidc_token {
      service_account_email = google_service_account.this["scheduler"].email
      audience              = local.api_url
    }
  }

  depends_on = [google_cloudfunctions2_function.this]
}
