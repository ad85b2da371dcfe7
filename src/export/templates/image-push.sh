# shellcheck shell=bash
# A fragment deploy.sh and deploy-stack.sh source (shellcheck -x follows it); the exporter puts
# it in their place, without this header (up to the blank line): `scripts::fill`. Needs REGISTRY, IMAGE, IMAGE_PLATFORM, BACKEND_DIR,
# DOCKERFILE (the exported Dockerfile unless set). Built with `-f` on every run, so a changed plan
# (cluster mode, the RDS CA bundle) reaches the image even when BACKEND_DIR has a Dockerfile.

aws ecr get-login-password | docker login --username AWS --password-stdin "$REGISTRY"
if [ -f "${BACKEND_DIR}/Dockerfile" ] && ! cmp -s "${BACKEND_DIR}/Dockerfile" "$DOCKERFILE"; then
  printf 'note: building with %s; %s differs and is not used (set DOCKERFILE=%s to use it)\n' \
    "$DOCKERFILE" "${BACKEND_DIR}/Dockerfile" "${BACKEND_DIR}/Dockerfile" >&2
fi
docker build --platform "$IMAGE_PLATFORM" -f "$DOCKERFILE" -t "$IMAGE" "$BACKEND_DIR"
docker push "$IMAGE"
