# The data bucket (GCS_BUCKET: TTS audio, media, documents) and the bucket the function source is uploaded to.

resource "google_storage_bucket" "data" {
  project                     = var.project_id
  name                        = local.bucket_name
  location                    = local.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = local.public_bucket ? "inherited" : "enforced"
  labels                      = var.labels

  # Audio written by tts.generate (tts/<task id>.mp3); the tts.cleanup_audio schedule deletes it sooner.
  lifecycle_rule {
    condition {
      age            = var.tts_retention_days
      matches_prefix = ["tts/"]
    }
    action {
      type = "Delete"
    }
  }
}

# GCS_PUBLIC_BUCKET=true: objects are read through public URLs instead of signed ones.
resource "google_storage_bucket_iam_member" "public_read" {
  count  = local.public_bucket ? 1 : 0
  bucket = google_storage_bucket.data.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket" "sources" {
  project                     = var.project_id
  name                        = "${local.bucket_name}-sources"
  location                    = local.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels
}

# Named by the zip's md5: a new build is a new object, which redeploys every function.
resource "google_storage_bucket_object" "source" {
  name   = "function-source-${filemd5(var.function_source_zip)}.zip"
  bucket = google_storage_bucket.sources.name
  source = var.function_source_zip

  lifecycle {
    create_before_destroy = true
  }
}
