# Secret Manager secrets for the manifest's secret variables. Terraform creates
# them empty; values are added outside it (gcloud secrets versions add), so they
# never enter the state. Each function reads the latest version at start.

resource "google_secret_manager_secret" "this" {
  for_each  = local.secrets
  project   = var.project_id
  secret_id = "${var.name_prefix}-${each.value.secretId}"
  labels    = var.labels

  replication {
    auto {}
  }

  lifecycle {
    precondition {
      condition     = length(local.unknown_secrets) == 0
      error_message = "optional_secrets names secrets the manifest does not know: ${join(", ", local.unknown_secrets)}."
    }
  }
}

locals {
  # Each service account may read only the secrets of the functions that run as it.
  secret_readers = distinct(flatten([
    for name, fn in local.manifest.functions : [
      for secret in fn.secrets : { secret = secret, account = fn.serviceAccount } if contains(keys(local.secrets), secret)
    ]
  ]))
}

resource "google_secret_manager_secret_iam_member" "reader" {
  for_each  = { for pair in local.secret_readers : "${pair.secret}/${pair.account}" => pair }
  project   = var.project_id
  secret_id = google_secret_manager_secret.this[each.value.secret].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.this[each.value.account].email}"
}
