# Topics for the declared events and the platform's own (lifecycle, dead letters).
#
# Events reach the events function through a push subscription with an OIDC
# token, not an Eventarc trigger: the subscription is ours, so it carries the
# dead-letter policy (events-dead-letter after 5 attempts) and retry policy the
# code declares, exactly as `npm run dev` creates it (ensure-topology.ts). The
# push path /projects/P/topics/T makes functions-framework hand the events
# function a CloudEvent, as Eventarc would.

locals {
  push_subscriptions = { for name, sub in local.manifest.subscriptions : name => sub if sub.type == "push" }
  pull_subscriptions = { for name, sub in local.manifest.subscriptions : name => sub if sub.type == "pull" }
  dead_letter_topics = toset(distinct([for sub in values(local.push_subscriptions) : sub.deadLetterTopic]))
  topic_publishers = flatten([
    for topic, spec in local.manifest.topics : [for account in spec.publishers : { topic = topic, account = account }]
  ])
  # Pub/Sub's service agent: it moves undeliverable messages to the dead-letter topic and mints the push tokens.
  pubsub_agent = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_pubsub_topic" "this" {
  for_each = local.manifest.topics
  project  = var.project_id
  name     = each.key
  labels   = var.labels
}

resource "google_pubsub_subscription" "push" {
  for_each             = local.push_subscriptions
  project              = var.project_id
  name                 = each.key
  topic                = google_pubsub_topic.this[each.value.topic].id
  ack_deadline_seconds = each.value.ackDeadlineSeconds
  labels               = var.labels

  push_config {
    push_endpoint = "${local.function_urls[each.value.pushTo]}${replace(each.value.pushPath, "{project}", var.project_id)}"
    oidc_token {
      service_account_email = google_service_account.this["push"].email
      audience              = local.function_urls[each.value.pushTo]
    }
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.this[each.value.deadLetterTopic].id
    max_delivery_attempts = each.value.maxDeliveryAttempts
  }

  retry_policy {
    minimum_backoff = "${each.value.retryPolicy.minimumBackoffSeconds}s"
    maximum_backoff = "${each.value.retryPolicy.maximumBackoffSeconds}s"
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [google_cloudfunctions2_function.this]
}

# Pull subscriptions keep what lands on the platform topics (a topic with no subscription drops messages).
resource "google_pubsub_subscription" "pull" {
  for_each                   = local.pull_subscriptions
  project                    = var.project_id
  name                       = each.key
  topic                      = google_pubsub_topic.this[each.value.topic].id
  ack_deadline_seconds       = each.value.ackDeadlineSeconds
  message_retention_duration = var.inspect_retention
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = { for pair in local.topic_publishers : "${pair.topic}/${pair.account}" => pair }
  project  = var.project_id
  topic    = google_pubsub_topic.this[each.value.topic].name
  role     = "roles/pubsub.publisher"
  member   = "serviceAccount:${google_service_account.this[each.value.account].email}"
}

# Dead-lettering needs the service agent to publish to the dead-letter topic and subscribe to the source.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  for_each = local.dead_letter_topics
  project  = var.project_id
  topic    = google_pubsub_topic.this[each.key].name
  role     = "roles/pubsub.publisher"
  member   = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  for_each     = local.push_subscriptions
  project      = var.project_id
  subscription = google_pubsub_subscription.push[each.key].name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# Projects created before April 2021 need this for the agent to mint push tokens as the push account.
resource "google_service_account_iam_member" "push_token_creator" {
  service_account_id = google_service_account.this["push"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}
