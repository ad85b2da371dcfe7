# shellcheck shell=bash
# A fragment deploy.sh and deploy-stack.sh source (shellcheck -x follows it); the exporter puts
# it in their place, without this header (up to the blank line): `scripts::fill`.
# Needs DB_HOST, READ_HOST, DB_USER, DB_NAME, PARAM_PREFIX; defines put_secret_param for the
# script's later steps.

# printf is a shell builtin, so the value is in no process's arguments; the CLI reads the pipe
# once as `--value file:///dev/stdin`. (`--cli-input-json file:///dev/stdin` fails: the CLI
# does not read its JSON input from a pipe, aws-cli issue 5982.)
put_secret_param() {
  printf '%s' "$2" | aws ssm put-parameter --name "${PARAM_PREFIX}/$1" --type SecureString --overwrite \
    --value file:///dev/stdin >/dev/null
}
# The URLs carry no password: the tasks get it as PGPASSWORD from the secret RDS manages (the
# task definition's `secrets`), which node-postgres and libpq read when the URL has none. A URL
# with the password baked in would stop working at the secret's first rotation.
put_secret_param DATABASE_URL "postgresql://${DB_USER}@${DB_HOST}:5432/${DB_NAME}?sslmode=verify-full"
put_secret_param DATABASE_READ_URL "postgresql://${DB_USER}@${READ_HOST}:5432/${DB_NAME}?sslmode=verify-full"
