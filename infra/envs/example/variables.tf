variable "project_id" {
  description = "Google Cloud project id."
  type        = string
}

variable "region" {
  description = "Region of the functions, queues and scheduler jobs."
  type        = string
  default     = "us-central1"
}

variable "name_prefix" {
  description = "Prefix of the functions, service accounts, buckets and secrets."
  type        = string
  default     = "tasks"
}

variable "upstash_redis_rest_url" {
  description = "Upstash REST URL, https://<name>.upstash.io."
  type        = string
}

variable "settings" {
  description = "Plain environment variables of the functions (see infra/manifest.json \"settings\")."
  type        = map(string)
  default     = {}
}

variable "optional_secrets" {
  description = "Optional secrets to create and wire, e.g. [\"QDRANT_API_KEY\"]."
  type        = list(string)
  default     = []
}

variable "public_base_url" {
  description = "Public base URL of the api; default its function URL."
  type        = string
  default     = ""
}

variable "manage_schedules" {
  description = "Terraform owns the declared Cloud Scheduler jobs; false when `npm run schedules:apply` does."
  type        = bool
  default     = true
}

variable "function_overrides" {
  description = "Per function: memory, cpu, min_instances, max_instances, timeout_seconds."
  type = map(object({
    memory          = optional(string)
    cpu             = optional(string)
    min_instances   = optional(number)
    max_instances   = optional(number)
    timeout_seconds = optional(number)
  }))
  default = {}
}

variable "tts_retention_days" {
  description = "Days before tts/ objects are deleted."
  type        = number
  default     = 7
}

variable "alert_notification_channels" {
  description = "Notification channel ids for the dead-letter alert."
  type        = list(string)
  default     = []
}
