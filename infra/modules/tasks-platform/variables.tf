variable "project_id" {
  description = "Google Cloud project that runs the platform."
  type        = string
}

variable "region" {
  description = "Region of the functions, the Cloud Tasks queues and the Cloud Scheduler jobs (GCP_LOCATION)."
  type        = string
  default     = "us-central1"
}

variable "name_prefix" {
  description = "Prefix of the functions, service accounts, buckets and secrets this module names. Queues, topics and job ids keep the names the code uses."
  type        = string
  default     = "tasks"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix: 3-16 lowercase letters, digits and hyphens (service account ids are at most 30 characters)."
  }
}

variable "manifest_path" {
  description = "Path of infra/manifest.json (npm run infra:manifest)."
  type        = string
}

variable "function_source_zip" {
  description = "Path of dist/function-source.zip (npm run infra:package)."
  type        = string
}

variable "upstash_redis_rest_url" {
  description = "Upstash REST URL (UPSTASH_REDIS_REST_URL); its token goes to Secret Manager."
  type        = string
  validation {
    condition     = startswith(var.upstash_redis_rest_url, "https://")
    error_message = "upstash_redis_rest_url must be an https:// URL."
  }
}

variable "settings" {
  description = "Plain environment variables of the functions (functions/config.ts), e.g. NOTIFY_WEBHOOK_URL, QDRANT_URL. Only names in the manifest's settings list are accepted."
  type        = map(string)
  default     = {}
}

variable "optional_secrets" {
  description = "Optional secrets to create and wire (the manifest's secrets with required = false), e.g. [\"QDRANT_API_KEY\"]. Each needs a version before the functions deploy."
  type        = list(string)
  default     = []
}

variable "public_base_url" {
  description = "Public base URL of the api (PUBLIC_BASE_URL), e.g. a custom domain. Default: the api function's URL."
  type        = string
  default     = ""
}

variable "api_public" {
  description = "Let anyone invoke the api function (it checks X-API-Key itself). false: callers need run.invoker, e.g. behind a load balancer."
  type        = bool
  default     = true
}

variable "manage_schedules" {
  description = "Terraform owns the Cloud Scheduler jobs of functions/schedules.ts. Set false when `npm run schedules:apply` owns them: both use the same \"tq-\" job ids, and exactly one of them may."
  type        = bool
  default     = true
}

variable "function_overrides" {
  description = "Per function (api, events, worker, worker-gpu): memory, cpu, instance counts or timeout instead of the manifest's."
  type = map(object({
    memory          = optional(string)
    cpu             = optional(string)
    min_instances   = optional(number)
    max_instances   = optional(number)
    timeout_seconds = optional(number)
  }))
  default = {}
}

variable "bucket_name" {
  description = "Cloud Storage bucket for audio, images and documents (GCS_BUCKET). Default: <project>-<name_prefix>-data."
  type        = string
  default     = ""
}

variable "bucket_location" {
  description = "Location of the buckets. Default: the region."
  type        = string
  default     = ""
}

variable "tts_retention_days" {
  description = "Objects under tts/ are deleted after this many days (a backstop for the tts.cleanup_audio schedule)."
  type        = number
  default     = 7
}

variable "inspect_retention" {
  description = "How long the pull subscriptions on task-lifecycle, task-dead-letter and events-dead-letter keep unacknowledged messages."
  type        = string
  default     = "604800s"
}

variable "alert_notification_channels" {
  description = "Monitoring notification channel ids the dead-letter alert notifies."
  type        = list(string)
  default     = []
}

variable "dead_letter_alert_threshold" {
  description = "Alert when more tasks than this fail for good (or events are dead-lettered) within 5 minutes."
  type        = number
  default     = 0
}

variable "labels" {
  description = "Labels on the resources that take them."
  type        = map(string)
  default     = {}
}
