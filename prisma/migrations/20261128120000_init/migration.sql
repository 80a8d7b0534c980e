-- CreateEnum
CREATE TYPE "device_kind" AS ENUM ('wim', 'camera');

-- CreateEnum
CREATE TYPE "plate_colour" AS ENUM ('blue', 'yellow', 'green', 'yellow_green', 'white', 'black');

-- CreateEnum
CREATE TYPE "detection_status" AS ENUM ('accepted', 'screened');

-- CreateEnum
CREATE TYPE "detection_outcome" AS ENUM ('no_violation', 'invalid', 'lead', 'duplicate');

-- CreateEnum
CREATE TYPE "evidence_kind" AS ENUM ('front_plate', 'rear_plate', 'side_view', 'video', 'document_scan', 'other');

-- CreateEnum
CREATE TYPE "integrity_status" AS ENUM ('unverified', 'intact', 'mismatch', 'missing');

-- CreateEnum
CREATE TYPE "lead_status" AS ENUM ('pending_review', 'confirmed', 'rejected', 'notified', 'fenced', 'filed');

-- CreateEnum
CREATE TYPE "penalty_kind" AS ENUM ('warning', 'fine', 'order_correct', 'order_stop', 'suspend', 'revoke');

-- CreateEnum
CREATE TYPE "party_kind" AS ENUM ('person', 'organisation');

-- CreateEnum
CREATE TYPE "case_state" AS ENUM ('pending_filing', 'not_filed', 'filed', 'investigating', 'notified', 'under_review', 'decided', 'served', 'compulsory_execution', 'closed', 'archived');

-- CreateEnum
CREATE TYPE "case_type" AS ENUM ('vehicle', 'driver', 'enterprise', 'source_unit', 'vehicle_certificate');

-- CreateEnum
CREATE TYPE "case_party_role" AS ENUM ('owner', 'driver', 'enterprise', 'source_unit', 'agent');

-- CreateEnum
CREATE TYPE "approval_stage" AS ENUM ('filing', 'decision', 'closing');

-- CreateEnum
CREATE TYPE "approval_outcome" AS ENUM ('approved', 'rejected');

-- CreateEnum
CREATE TYPE "document_kind" AS ENUM ('filing_approval', 'inquiry_record', 'evidence_list', 'pre_penalty_notice', 'hearing_notice', 'hearing_record', 'statement_record', 'legal_review_opinion', 'decision', 'service_proof', 'payment_record', 'closing_report', 'home_authority_report', 'other');

-- CreateEnum
CREATE TYPE "document_status" AS ENUM ('draft', 'final', 'void');

-- CreateEnum
CREATE TYPE "investigation_kind" AS ENUM ('inquiry', 'document_check', 'site_inspection', 'other');

-- CreateEnum
CREATE TYPE "notice_channel" AS ENUM ('sms', 'push');

-- CreateEnum
CREATE TYPE "notice_status" AS ENUM ('pending', 'sent', 'delivered', 'failed');

-- CreateEnum
CREATE TYPE "delivery_status" AS ENUM ('sent', 'delivered', 'failed');

-- CreateEnum
CREATE TYPE "statement_kind" AS ENUM ('statement', 'defence', 'hearing_request', 'hearing', 'waiver');

-- CreateEnum
CREATE TYPE "legal_review_outcome" AS ENUM ('passed', 'returned');

-- CreateEnum
CREATE TYPE "service_method" AS ENUM ('direct', 'post', 'electronic', 'announcement');

-- CreateEnum
CREATE TYPE "deadline_kind" AS ENUM ('response_window', 'hearing_request', 'statement', 'decision', 'service', 'payment', 'home_authority_report', 'publicity');

-- CreateEnum
CREATE TYPE "deadline_status" AS ENUM ('open', 'met', 'missed', 'cancelled');

-- CreateEnum
CREATE TYPE "fence_status" AS ENUM ('active', 'lifted');

-- CreateEnum
CREATE TYPE "alert_status" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateEnum
CREATE TYPE "violation_type" AS ENUM ('overload_gross', 'overload_dimension', 'overload_axle', 'repeat_overload_vehicle', 'repeat_overload_driver', 'enterprise_overload_fleet', 'instructing_overload');

-- CreateEnum
CREATE TYPE "provision_role" AS ENUM ('definition', 'penalty', 'procedure', 'remedy');

-- CreateEnum
CREATE TYPE "evaluation_kind" AS ENUM ('precheck', 'review');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('officer', 'legal_reviewer', 'approver', 'auditor', 'admin');

-- CreateEnum
CREATE TYPE "actor_kind" AS ENUM ('user', 'station', 'system');

-- CreateTable
CREATE TABLE "stations" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "location" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "devices" (
    "id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "serial_no" TEXT NOT NULL,
    "kind" "device_kind" NOT NULL,
    "manufacturer" TEXT,
    "model" TEXT,
    "accuracy_class" TEXT,
    "tolerance_percent" DECIMAL(5,2),
    "legal_review_date" DATE,
    "technical_review_date" DATE,
    "published_date" DATE,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "calibration_certificates" (
    "id" UUID NOT NULL,
    "device_id" UUID NOT NULL,
    "certificate_no" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calibration_certificates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "station_secrets" (
    "id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "key_id" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "secret_ciphertext" BYTEA NOT NULL,
    "active_from" TIMESTAMPTZ(3) NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "station_secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "detections" (
    "id" UUID NOT NULL,
    "station_id" UUID NOT NULL,
    "device_id" UUID,
    "station_detection_id" TEXT NOT NULL,
    "body_digest" CHAR(64) NOT NULL,
    "status" "detection_status" NOT NULL DEFAULT 'accepted',
    "outcome" "detection_outcome",
    "reasons" JSONB,
    "plate" TEXT NOT NULL,
    "plate_colour" "plate_colour",
    "detected_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "screened_at" TIMESTAMPTZ(3),
    "lane_no" INTEGER,
    "speed_kmh" DECIMAL(5,1),
    "vehicle_type" TEXT,
    "axle_count" INTEGER NOT NULL,
    "gross_mass_kg" INTEGER NOT NULL,
    "axle_loads_kg" INTEGER[],
    "length_mm" INTEGER,
    "width_mm" INTEGER,
    "height_mm" INTEGER,
    "raw" JSONB NOT NULL,
    "duplicate_of_id" UUID,

    CONSTRAINT "detections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "intake_outbox" (
    "id" UUID NOT NULL,
    "detection_id" UUID NOT NULL,
    "enqueued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "intake_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evidence_objects" (
    "id" UUID NOT NULL,
    "bucket" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "size_bytes" BIGINT NOT NULL,
    "content_type" TEXT NOT NULL,
    "kind" "evidence_kind" NOT NULL,
    "integrity_status" "integrity_status" NOT NULL DEFAULT 'unverified',
    "last_verified_at" TIMESTAMPTZ(3),
    "detection_id" UUID,
    "case_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "evidence_objects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leads" (
    "id" UUID NOT NULL,
    "status" "lead_status" NOT NULL DEFAULT 'pending_review',
    "station_id" UUID NOT NULL,
    "vehicle_id" UUID,
    "plate" TEXT NOT NULL,
    "plate_colour" "plate_colour",
    "violation_at" TIMESTAMPTZ(3) NOT NULL,
    "axle_count" INTEGER NOT NULL,
    "gross_mass_kg" INTEGER NOT NULL,
    "limit_kg" INTEGER NOT NULL,
    "tolerance_kg" INTEGER NOT NULL,
    "excess_kg" INTEGER NOT NULL,
    "proposed_penalty_kind" "penalty_kind" NOT NULL,
    "proposed_amount" DECIMAL(12,2),
    "proposed_basis" JSONB NOT NULL,
    "rules" JSONB NOT NULL,
    "owner_unknown" BOOLEAN NOT NULL DEFAULT false,
    "reviewed_by_id" UUID,
    "reviewed_at" TIMESTAMPTZ(3),
    "reject_reason" TEXT,
    "review_note" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "leads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_detections" (
    "lead_id" UUID NOT NULL,
    "detection_id" UUID NOT NULL,

    CONSTRAINT "lead_detections_pkey" PRIMARY KEY ("lead_id", "detection_id")
);

-- CreateTable
CREATE TABLE "parties" (
    "id" UUID NOT NULL,
    "kind" "party_kind" NOT NULL,
    "name" TEXT NOT NULL,
    "id_number" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "parties_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "road_transport_enterprises" (
    "id" UUID NOT NULL,
    "party_id" UUID NOT NULL,
    "licence_no" TEXT NOT NULL,
    "fleet_size" INTEGER NOT NULL,
    "home_authority" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "road_transport_enterprises_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enterprise_fleet_sizes" (
    "id" UUID NOT NULL,
    "enterprise_id" UUID NOT NULL,
    "fleet_size" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enterprise_fleet_sizes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicles" (
    "id" UUID NOT NULL,
    "plate" TEXT NOT NULL,
    "plate_colour" "plate_colour" NOT NULL,
    "owner_party_id" UUID,
    "enterprise_id" UUID,
    "transport_certificate_no" TEXT,
    "vehicle_type" TEXT,
    "axle_count" INTEGER,
    "licensed_total_mass_kg" INTEGER,
    "home_authority" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vehicles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drivers" (
    "id" UUID NOT NULL,
    "party_id" UUID NOT NULL,
    "id_no" TEXT NOT NULL,
    "qualification_certificate_no" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "drivers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cargo_source_units" (
    "id" UUID NOT NULL,
    "party_id" UUID NOT NULL,
    "unit_type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cargo_source_units_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oversize_permits" (
    "id" UUID NOT NULL,
    "permit_no" TEXT NOT NULL,
    "vehicle_id" UUID,
    "plate" TEXT NOT NULL,
    "plate_colour" "plate_colour",
    "valid_from" DATE NOT NULL,
    "valid_to" DATE NOT NULL,
    "route" TEXT,
    "max_gross_mass_kg" INTEGER,
    "issuer" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oversize_permits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_number_sequences" (
    "year" INTEGER NOT NULL,
    "pattern" TEXT NOT NULL,
    "last_value" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_number_sequences_pkey" PRIMARY KEY ("year", "pattern")
);

-- CreateTable
CREATE TABLE "cases" (
    "id" UUID NOT NULL,
    "case_number" TEXT,
    "state" "case_state" NOT NULL DEFAULT 'pending_filing',
    "type" "case_type" NOT NULL,
    "parent_case_id" UUID,
    "lead_id" UUID,
    "vehicle_id" UUID,
    "driver_id" UUID,
    "enterprise_id" UUID,
    "source_unit_id" UUID,
    "loading_slip_no" TEXT,
    "violation_date" DATE NOT NULL,
    "facts" TEXT,
    "filed_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "served_at" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_parties" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "party_id" UUID NOT NULL,
    "role" "case_party_role" NOT NULL,

    CONSTRAINT "case_parties_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_officers" (
    "case_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "is_lead" BOOLEAN NOT NULL DEFAULT false,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_officers_pkey" PRIMARY KEY ("case_id", "user_id")
);

-- CreateTable
CREATE TABLE "case_approvals" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "stage" "approval_stage" NOT NULL,
    "approver_id" UUID NOT NULL,
    "outcome" "approval_outcome" NOT NULL,
    "comment" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_approvals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_documents" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" "document_kind" NOT NULL,
    "document_number" TEXT,
    "title" TEXT NOT NULL,
    "status" "document_status" NOT NULL DEFAULT 'draft',
    "current_version" INTEGER NOT NULL DEFAULT 1,
    "issued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_document_versions" (
    "id" UUID NOT NULL,
    "document_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "content_text" TEXT,
    "content_html" TEXT,
    "content_sha256" CHAR(64) NOT NULL,
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_document_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "investigation_records" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" "investigation_kind" NOT NULL,
    "document_id" UUID,
    "conducted_at" TIMESTAMPTZ(3) NOT NULL,
    "location" TEXT,
    "summary" TEXT NOT NULL,
    "documents_checked" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "investigation_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "lead_id" UUID,
    "case_id" UUID,
    "channel" "notice_channel" NOT NULL,
    "recipient_party_id" UUID,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "notice_status" NOT NULL DEFAULT 'pending',
    "respond_by" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice_delivery_attempts" (
    "id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "attempt_no" INTEGER NOT NULL,
    "status" "delivery_status" NOT NULL,
    "provider_message_id" TEXT,
    "error" TEXT,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notice_delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statement_records" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" "statement_kind" NOT NULL,
    "party_id" UUID,
    "document_id" UUID,
    "received_at" TIMESTAMPTZ(3),
    "notified_at" TIMESTAMPTZ(3),
    "scheduled_at" TIMESTAMPTZ(3),
    "held_at" TIMESTAMPTZ(3),
    "content" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "statement_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "legal_reviews" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "reviewer_id" UUID NOT NULL,
    "outcome" "legal_review_outcome",
    "opinions" JSONB NOT NULL DEFAULT '{}',
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewed_at" TIMESTAMPTZ(3),

    CONSTRAINT "legal_reviews_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decisions" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "document_id" UUID,
    "penalty_kinds" "penalty_kind"[],
    "fine_amount" DECIMAL(12,2),
    "basis" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_records" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "document_id" UUID,
    "method" "service_method" NOT NULL,
    "recipient" TEXT NOT NULL,
    "served_at" TIMESTAMPTZ(3) NOT NULL,
    "consent_reference" TEXT,
    "proof_object_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "late_fee" DECIMAL(12,2) NOT NULL DEFAULT 0,
    "receipt_no" TEXT NOT NULL,
    "paid_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadlines" (
    "id" UUID NOT NULL,
    "case_id" UUID,
    "lead_id" UUID,
    "kind" "deadline_kind" NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "deadline_status" NOT NULL DEFAULT 'open',
    "alerted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deadlines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fences" (
    "id" UUID NOT NULL,
    "plate" TEXT NOT NULL,
    "plate_colour" "plate_colour",
    "vehicle_id" UUID,
    "lead_id" UUID,
    "case_id" UUID,
    "status" "fence_status" NOT NULL DEFAULT 'active',
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lifted_at" TIMESTAMPTZ(3),
    "lift_reason" TEXT,

    CONSTRAINT "fences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interception_alerts" (
    "id" UUID NOT NULL,
    "fence_id" UUID NOT NULL,
    "detection_id" UUID NOT NULL,
    "status" "alert_status" NOT NULL DEFAULT 'open',
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_by_id" UUID,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "resolution" TEXT,

    CONSTRAINT "interception_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "penalties" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "rule_code" TEXT NOT NULL,
    "penalty_kind" "penalty_kind",
    "counts" JSONB NOT NULL,
    "threshold" DECIMAL(12,4),
    "amount" DECIMAL(12,2),
    "legal_basis_code" TEXT,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "penalties_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_evaluations" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" "evaluation_kind" NOT NULL,
    "evaluator_id" UUID,
    "score" INTEGER,
    "findings" JSONB NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_evaluations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "legal_bases" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "instrument" TEXT NOT NULL,
    "article" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,
    "role" "provision_role" NOT NULL,
    "violation_types" "violation_type"[],
    "penalty_kinds" "penalty_kind"[],
    "min_amount" DECIMAL(12,2),
    "max_amount" DECIMAL(12,2),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "legal_bases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policies" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "valid_to" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "enforcement_certificate_no" TEXT,
    "legal_qualification_no" TEXT,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_roles" (
    "user_id" UUID NOT NULL,
    "role" "user_role" NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_roles_pkey" PRIMARY KEY ("user_id", "role")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_kind" "actor_kind" NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "request_id" TEXT,
    "digest" CHAR(64) NOT NULL,
    "payload" JSONB,
    "prev_hash" CHAR(64),
    "hash" CHAR(64),

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stations_code_key" ON "stations"("code");

-- CreateIndex
CREATE UNIQUE INDEX "devices_serial_no_key" ON "devices"("serial_no");

-- CreateIndex
CREATE INDEX "devices_station_id_idx" ON "devices"("station_id");

-- CreateIndex
CREATE INDEX "calibration_certificates_device_id_valid_from_idx" ON "calibration_certificates"("device_id", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "calibration_certificates_device_id_certificate_no_key" ON "calibration_certificates"("device_id", "certificate_no");

-- CreateIndex
CREATE UNIQUE INDEX "station_secrets_station_id_key_id_key" ON "station_secrets"("station_id", "key_id");

-- CreateIndex
CREATE INDEX "detections_plate_detected_at_idx" ON "detections"("plate", "detected_at");

-- CreateIndex
CREATE INDEX "detections_station_id_detected_at_idx" ON "detections"("station_id", "detected_at");

-- CreateIndex
CREATE INDEX "detections_status_received_at_idx" ON "detections"("status", "received_at");

-- CreateIndex
CREATE UNIQUE INDEX "detections_station_id_station_detection_id_key" ON "detections"("station_id", "station_detection_id");

-- CreateIndex
CREATE UNIQUE INDEX "intake_outbox_detection_id_key" ON "intake_outbox"("detection_id");

-- CreateIndex
CREATE INDEX "intake_outbox_processed_at_enqueued_at_idx" ON "intake_outbox"("processed_at", "enqueued_at");

-- CreateIndex
CREATE UNIQUE INDEX "evidence_objects_key_key" ON "evidence_objects"("key");

-- CreateIndex
CREATE INDEX "evidence_objects_detection_id_idx" ON "evidence_objects"("detection_id");

-- CreateIndex
CREATE INDEX "evidence_objects_case_id_idx" ON "evidence_objects"("case_id");

-- CreateIndex
CREATE INDEX "leads_status_violation_at_idx" ON "leads"("status", "violation_at");

-- CreateIndex
CREATE INDEX "leads_station_id_violation_at_idx" ON "leads"("station_id", "violation_at");

-- CreateIndex
CREATE INDEX "leads_plate_violation_at_idx" ON "leads"("plate", "violation_at");

-- CreateIndex
CREATE UNIQUE INDEX "lead_detections_detection_id_key" ON "lead_detections"("detection_id");

-- CreateIndex
CREATE UNIQUE INDEX "parties_id_number_key" ON "parties"("id_number");

-- CreateIndex
CREATE UNIQUE INDEX "road_transport_enterprises_party_id_key" ON "road_transport_enterprises"("party_id");

-- CreateIndex
CREATE UNIQUE INDEX "road_transport_enterprises_licence_no_key" ON "road_transport_enterprises"("licence_no");

-- CreateIndex
CREATE UNIQUE INDEX "enterprise_fleet_sizes_enterprise_id_effective_from_key" ON "enterprise_fleet_sizes"("enterprise_id", "effective_from");

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_transport_certificate_no_key" ON "vehicles"("transport_certificate_no");

-- CreateIndex
CREATE INDEX "vehicles_owner_party_id_idx" ON "vehicles"("owner_party_id");

-- CreateIndex
CREATE INDEX "vehicles_enterprise_id_idx" ON "vehicles"("enterprise_id");

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_plate_plate_colour_key" ON "vehicles"("plate", "plate_colour");

-- CreateIndex
CREATE UNIQUE INDEX "drivers_party_id_key" ON "drivers"("party_id");

-- CreateIndex
CREATE UNIQUE INDEX "drivers_id_no_key" ON "drivers"("id_no");

-- CreateIndex
CREATE UNIQUE INDEX "drivers_qualification_certificate_no_key" ON "drivers"("qualification_certificate_no");

-- CreateIndex
CREATE UNIQUE INDEX "cargo_source_units_party_id_key" ON "cargo_source_units"("party_id");

-- CreateIndex
CREATE UNIQUE INDEX "oversize_permits_permit_no_key" ON "oversize_permits"("permit_no");

-- CreateIndex
CREATE INDEX "oversize_permits_plate_valid_from_idx" ON "oversize_permits"("plate", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "cases_case_number_key" ON "cases"("case_number");

-- CreateIndex
CREATE INDEX "cases_state_created_at_idx" ON "cases"("state", "created_at");

-- CreateIndex
CREATE INDEX "cases_type_state_idx" ON "cases"("type", "state");

-- CreateIndex
CREATE INDEX "cases_parent_case_id_idx" ON "cases"("parent_case_id");

-- CreateIndex
CREATE INDEX "cases_lead_id_idx" ON "cases"("lead_id");

-- CreateIndex
CREATE INDEX "cases_vehicle_id_violation_date_idx" ON "cases"("vehicle_id", "violation_date");

-- CreateIndex
CREATE INDEX "case_parties_party_id_idx" ON "case_parties"("party_id");

-- CreateIndex
CREATE UNIQUE INDEX "case_parties_case_id_party_id_role_key" ON "case_parties"("case_id", "party_id", "role");

-- CreateIndex
CREATE INDEX "case_officers_user_id_idx" ON "case_officers"("user_id");

-- CreateIndex
CREATE INDEX "case_approvals_case_id_stage_idx" ON "case_approvals"("case_id", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "case_documents_document_number_key" ON "case_documents"("document_number");

-- CreateIndex
CREATE INDEX "case_documents_case_id_kind_idx" ON "case_documents"("case_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "case_document_versions_document_id_version_key" ON "case_document_versions"("document_id", "version");

-- CreateIndex
CREATE INDEX "investigation_records_case_id_idx" ON "investigation_records"("case_id");

-- CreateIndex
CREATE INDEX "notices_lead_id_idx" ON "notices"("lead_id");

-- CreateIndex
CREATE INDEX "notices_case_id_idx" ON "notices"("case_id");

-- CreateIndex
CREATE INDEX "notices_status_created_at_idx" ON "notices"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notice_delivery_attempts_notice_id_attempt_no_key" ON "notice_delivery_attempts"("notice_id", "attempt_no");

-- CreateIndex
CREATE INDEX "statement_records_case_id_idx" ON "statement_records"("case_id");

-- CreateIndex
CREATE INDEX "legal_reviews_case_id_idx" ON "legal_reviews"("case_id");

-- CreateIndex
CREATE INDEX "legal_reviews_reviewer_id_outcome_idx" ON "legal_reviews"("reviewer_id", "outcome");

-- CreateIndex
CREATE UNIQUE INDEX "decisions_case_id_key" ON "decisions"("case_id");

-- CreateIndex
CREATE INDEX "service_records_case_id_idx" ON "service_records"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_receipt_no_key" ON "payments"("receipt_no");

-- CreateIndex
CREATE INDEX "payments_case_id_idx" ON "payments"("case_id");

-- CreateIndex
CREATE INDEX "deadlines_status_due_at_idx" ON "deadlines"("status", "due_at");

-- CreateIndex
CREATE INDEX "deadlines_case_id_idx" ON "deadlines"("case_id");

-- CreateIndex
CREATE INDEX "deadlines_lead_id_idx" ON "deadlines"("lead_id");

-- CreateIndex
CREATE INDEX "fences_plate_status_idx" ON "fences"("plate", "status");

-- CreateIndex
CREATE INDEX "fences_lead_id_idx" ON "fences"("lead_id");

-- CreateIndex
CREATE INDEX "fences_case_id_idx" ON "fences"("case_id");

-- CreateIndex
CREATE INDEX "interception_alerts_status_raised_at_idx" ON "interception_alerts"("status", "raised_at");

-- CreateIndex
CREATE INDEX "interception_alerts_detection_id_idx" ON "interception_alerts"("detection_id");

-- CreateIndex
CREATE UNIQUE INDEX "interception_alerts_fence_id_detection_id_key" ON "interception_alerts"("fence_id", "detection_id");

-- CreateIndex
CREATE INDEX "penalties_case_id_idx" ON "penalties"("case_id");

-- CreateIndex
CREATE INDEX "case_evaluations_case_id_evaluated_at_idx" ON "case_evaluations"("case_id", "evaluated_at");

-- CreateIndex
CREATE UNIQUE INDEX "legal_bases_code_valid_from_key" ON "legal_bases"("code", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "policies_key_valid_from_key" ON "policies"("key", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "users_enforcement_certificate_no_key" ON "users"("enforcement_certificate_no");

-- CreateIndex
CREATE UNIQUE INDEX "users_legal_qualification_no_key" ON "users"("legal_qualification_no");

-- CreateIndex
CREATE INDEX "user_roles_role_idx" ON "user_roles"("role");

-- CreateIndex
CREATE INDEX "audit_events_entity_type_entity_id_occurred_at_idx" ON "audit_events"("entity_type", "entity_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_actor_id_occurred_at_idx" ON "audit_events"("actor_id", "occurred_at");

-- CreateIndex
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events"("occurred_at");

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calibration_certificates" ADD CONSTRAINT "calibration_certificates_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "station_secrets" ADD CONSTRAINT "station_secrets_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "devices"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "detections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "intake_outbox" ADD CONSTRAINT "intake_outbox_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_objects" ADD CONSTRAINT "evidence_objects_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evidence_objects" ADD CONSTRAINT "evidence_objects_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leads" ADD CONSTRAINT "leads_station_id_fkey" FOREIGN KEY ("station_id") REFERENCES "stations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leads" ADD CONSTRAINT "leads_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "leads" ADD CONSTRAINT "leads_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_detections" ADD CONSTRAINT "lead_detections_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_detections" ADD CONSTRAINT "lead_detections_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "road_transport_enterprises" ADD CONSTRAINT "road_transport_enterprises_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enterprise_fleet_sizes" ADD CONSTRAINT "enterprise_fleet_sizes_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "road_transport_enterprises"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_owner_party_id_fkey" FOREIGN KEY ("owner_party_id") REFERENCES "parties"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "road_transport_enterprises"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "drivers" ADD CONSTRAINT "drivers_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cargo_source_units" ADD CONSTRAINT "cargo_source_units_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "oversize_permits" ADD CONSTRAINT "oversize_permits_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases" ADD CONSTRAINT "cases_parent_case_id_fkey" FOREIGN KEY ("parent_case_id") REFERENCES "cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases" ADD CONSTRAINT "cases_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases" ADD CONSTRAINT "cases_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases" ADD CONSTRAINT "cases_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "drivers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases" ADD CONSTRAINT "cases_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "road_transport_enterprises"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cases" ADD CONSTRAINT "cases_source_unit_id_fkey" FOREIGN KEY ("source_unit_id") REFERENCES "cargo_source_units"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_parties" ADD CONSTRAINT "case_parties_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_officers" ADD CONSTRAINT "case_officers_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_officers" ADD CONSTRAINT "case_officers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_approvals" ADD CONSTRAINT "case_approvals_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_approvals" ADD CONSTRAINT "case_approvals_approver_id_fkey" FOREIGN KEY ("approver_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_documents" ADD CONSTRAINT "case_documents_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_document_versions" ADD CONSTRAINT "case_document_versions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "case_documents"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_document_versions" ADD CONSTRAINT "case_document_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "investigation_records" ADD CONSTRAINT "investigation_records_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "investigation_records" ADD CONSTRAINT "investigation_records_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "case_documents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_recipient_party_id_fkey" FOREIGN KEY ("recipient_party_id") REFERENCES "parties"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notice_delivery_attempts" ADD CONSTRAINT "notice_delivery_attempts_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_records" ADD CONSTRAINT "statement_records_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_records" ADD CONSTRAINT "statement_records_party_id_fkey" FOREIGN KEY ("party_id") REFERENCES "parties"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "statement_records" ADD CONSTRAINT "statement_records_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "case_documents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_reviews" ADD CONSTRAINT "legal_reviews_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "legal_reviews" ADD CONSTRAINT "legal_reviews_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "case_documents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "case_documents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_proof_object_id_fkey" FOREIGN KEY ("proof_object_id") REFERENCES "evidence_objects"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fences" ADD CONSTRAINT "fences_vehicle_id_fkey" FOREIGN KEY ("vehicle_id") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fences" ADD CONSTRAINT "fences_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "leads"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fences" ADD CONSTRAINT "fences_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interception_alerts" ADD CONSTRAINT "interception_alerts_fence_id_fkey" FOREIGN KEY ("fence_id") REFERENCES "fences"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interception_alerts" ADD CONSTRAINT "interception_alerts_detection_id_fkey" FOREIGN KEY ("detection_id") REFERENCES "detections"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interception_alerts" ADD CONSTRAINT "interception_alerts_acknowledged_by_id_fkey" FOREIGN KEY ("acknowledged_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "penalties" ADD CONSTRAINT "penalties_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_evaluations" ADD CONSTRAINT "case_evaluations_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_evaluations" ADD CONSTRAINT "case_evaluations_evaluator_id_fkey" FOREIGN KEY ("evaluator_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
