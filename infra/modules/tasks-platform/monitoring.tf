# Dead letters: a log-based metric on what functions/core/executor.ts logs when
# a task ends as FAILURE (and lifecycle.ts publishes it to task-dead-letter),
# and an alert on it and on events Pub/Sub gave up delivering.

resource "google_logging_metric" "dead_lettered_tasks" {
  project     = var.project_id
  name        = "${var.name_prefix}/dead_lettered_tasks"
  description = "Tasks that failed for good (attempts exhausted, not retryable, invalid), by task type"
  filter = join(" AND ", [
    "resource.type=\"cloud_run_revision\"",
    "resource.labels.service_name=(${join(" OR ", [for name, fn in local.manifest.functions : "\"${local.function_names[name]}\"" if fn.entryPoint == "worker"])})",
    "jsonPayload.message=${jsonencode(local.manifest.monitoring.deadLetterLog.message)}",
    "jsonPayload.status=${jsonencode(local.manifest.monitoring.deadLetterLog.status)}",
  ])

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "task_type"
      value_type  = "STRING"
      description = "The task's type, e.g. tts.generate"
    }
    labels {
      key         = "reason"
      value_type  = "STRING"
      description = "The error's type (NonRetryableError, ValidationError, WorkerLost, the handler's own…)"
    }
  }

  label_extractors = {
    task_type = "EXTRACT(jsonPayload.type)"
    reason    = "EXTRACT(jsonPayload.errorType)"
  }
}

resource "google_monitoring_alert_policy" "dead_letters" {
  project               = var.project_id
  display_name          = "${var.name_prefix}: dead letters"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "Tasks failed for good"
    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dead_lettered_tasks.name}\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.dead_letter_alert_threshold
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.task_type"]
      }
      trigger {
        count = 1
      }
    }
  }

  conditions {
    display_name = "Events dead-lettered"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/dead_letter_message_count\" AND resource.type=\"pubsub_subscription\" AND resource.label.subscription_id=one_of(${join(",", [for name in keys(local.push_subscriptions) : "\"${name}\""])})"
      comparison      = "COMPARISON_GT"
      threshold_value = var.dead_letter_alert_threshold
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.subscription_id"]
      }
      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Tasks failed for good: list them with `GET /v1/tasks?status=FAILURE`, redrive with `POST /v1/tasks/{id}/retry`; their lifecycle events wait in the `task-dead-letter-inspect` subscription. Dead-lettered events wait in `events-dead-letter-inspect`."
  }

  alert_strategy {
    auto_close = "1800s"
  }
}
