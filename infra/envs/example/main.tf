# One environment of the task platform. Build first, from the repository root:
#   npm ci && npm run infra:package && npm run infra:manifest
module "tasks" {
  source = "../../modules/tasks-platform"

  project_id             = var.project_id
  region                 = var.region
  name_prefix            = var.name_prefix
  manifest_path          = "${path.module}/../../manifest.json"
  function_source_zip    = "${path.module}/../../../dist/function-source.zip"
  upstash_redis_rest_url = var.upstash_redis_rest_url

  settings                    = var.settings
  optional_secrets            = var.optional_secrets
  public_base_url             = var.public_base_url
  manage_schedules            = var.manage_schedules
  function_overrides          = var.function_overrides
  tts_retention_days          = var.tts_retention_days
  alert_notification_channels = var.alert_notification_channels
  labels                      = { app = "tasks-platform", env = var.name_prefix }
}
