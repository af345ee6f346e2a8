terraform {
  required_version = ">= 1.5"
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
  }

  # Keep the state in a bucket of its own (docs/deploy.md creates it), then run
  # terraform init -backend-config="bucket=<your-state-bucket>".
  # backend "gcs" {
  #   prefix = "tasks-platform/example"
  # }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
