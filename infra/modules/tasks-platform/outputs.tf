output "api_url" {
  description = "The api's URL: the base of every HTTP call."
  value       = local.api_url
}

output "function_urls" {
  description = "Each function's URL (deterministic Cloud Run URLs)."
  value       = local.function_urls
}

output "service_accounts" {
  description = "Service account email by role."
  value       = { for key, account in google_service_account.this : key => account.email }
}

output "bucket" {
  description = "The data bucket (GCS_BUCKET)."
  value       = google_storage_bucket.data.name
}

output "queues" {
  description = "Cloud Tasks queue ids."
  value       = sort(keys(google_cloud_tasks_queue.this))
}

output "secret_ids" {
  description = "Secret Manager secret id by variable: add a version to each before the functions deploy."
  value       = { for name, secret in google_secret_manager_secret.this : name => secret.secret_id }
}

output "scheduler_jobs" {
  description = "Cloud Scheduler job ids Terraform owns (empty when manage_schedules is false)."
  value       = sort([for job in google_cloud_scheduler_job.this : job.name])
}
