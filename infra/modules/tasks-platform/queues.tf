# One Cloud Tasks queue per declared queue and priority twin ("<name>-high").
# The retry config is the transport's (unbounded, short backoff): Cloud Tasks only
# redelivers what never reached a verdict; the platform schedules task retries.

resource "google_cloud_tasks_queue" "this" {
  for_each = local.manifest.queues
  project  = var.project_id
  location = var.region
  name     = each.key

  rate_limits {
    max_dispatches_per_second = each.value.maxDispatchesPerSecond
    max_concurrent_dispatches = each.value.maxConcurrentDispatches
  }

  retry_config {
    max_attempts  = each.value.retry.maxAttempts
    min_backoff   = "${each.value.retry.minBackoffSeconds}s"
    max_backoff   = "${each.value.retry.maxBackoffSeconds}s"
    max_doublings = each.value.retry.maxDoublings
  }
}
