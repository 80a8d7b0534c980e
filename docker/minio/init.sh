#!/bin/sh
# Runs once per `docker compose up` with the MinIO root credentials, which only this container and MinIO see.
# Creates the evidence bucket with Object Lock (it can only be enabled at creation), the application's own
# user with a policy limited to that bucket (read and write, no delete, no administration), and attaches it.
set -eu
mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing --with-lock "local/$EVIDENCE_BUCKET"
# (A bucket created earlier without Object Lock keeps none: see docs/security.md, "Object storage".)
sed "s/ecc-evidence/$EVIDENCE_BUCKET/g" /policies/ecc-app-policy.json > /tmp/ecc-app-policy.json
mc admin policy create local ecc-app /tmp/ecc-app-policy.json
mc admin user add local "$S3_APP_ACCESS_KEY" "$S3_APP_SECRET_KEY"
mc admin policy attach local ecc-app --user "$S3_APP_ACCESS_KEY" 2>/dev/null || true
echo "bucket $EVIDENCE_BUCKET (Object Lock) and user $S3_APP_ACCESS_KEY (policy ecc-app) ready"
