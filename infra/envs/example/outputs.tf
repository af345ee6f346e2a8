output "api_url" {
  value = module.tasks.api_url
}

output "function_urls" {
  value = module.tasks.function_urls
}

output "secret_ids" {
  value = module.tasks.secret_ids
}

output "bucket" {
  value = module.tasks.bucket
}

output "scheduler_jobs" {
  value = module.tasks.scheduler_jobs
}

output "service_accounts" {
  value = module.tasks.service_accounts
}
