# shellcheck shell=bash
# A fragment deploy.sh and deploy-stack.sh source (shellcheck -x follows it); the exporter puts
# it in their place, without this header (up to the blank line): `scripts::fill`. Needs DB_SECRET_ARN, DB_HOST, READ_HOST, DB_USER, DB_NAME,
# PARAM_PREFIX; defines db_password and put_secret_param for the script's later steps.

# The password stays in Secrets Manager and in memory: never on a command line or in a file.
db_password() {
  aws secretsmanager get-secret-value --secret-id "$DB_SECRET_ARN" --query SecretString --output text | jq -r .password
}
# Values travel through the environment and pipes, never through a process's arguments.
url_encode() { V="$1" jq -rn 'env.V | @uri'; }
# printf is a shell builtin, so the value is in no process's arguments; the CLI reads the pipe
# once as `--value file:///dev/stdin`. (`--cli-input-json file:///dev/stdin` fails: the CLI
# does not read its JSON input from a pipe, aws-cli issue 5982.)
put_secret_param() {
  printf '%s' "$2" | aws ssm put-parameter --name "${PARAM_PREFIX}/$1" --type SecureString --overwrite \
    --value file:///dev/stdin >/dev/null
}
DB_PASSWORD_ENC="$(url_encode "$(db_password)")"
put_secret_param DATABASE_URL "postgresql://${DB_USER}:${DB_PASSWORD_ENC}@${DB_HOST}:5432/${DB_NAME}?sslmode=require"
put_secret_param DATABASE_READ_URL "postgresql://${DB_USER}:${DB_PASSWORD_ENC}@${READ_HOST}:5432/${DB_NAME}?sslmode=require"
unset DB_PASSWORD_ENC
