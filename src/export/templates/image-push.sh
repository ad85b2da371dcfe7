# shellcheck shell=bash
# A fragment deploy.sh and deploy-stack.sh source (shellcheck -x follows it); the exporter puts
# it in their place, without this header (up to the blank line): `scripts::fill`. Needs REGISTRY, IMAGE, IMAGE_PLATFORM, BACKEND_DIR, HERE,
# DOCKERFILE_FILE. The exported Dockerfile is used only when the backend has none of its own.

aws ecr get-login-password | docker login --username AWS --password-stdin "$REGISTRY"
[ -f "${BACKEND_DIR}/Dockerfile" ] || cp "${HERE}/${DOCKERFILE_FILE}" "${BACKEND_DIR}/Dockerfile"
docker build --platform "$IMAGE_PLATFORM" -t "$IMAGE" "$BACKEND_DIR"
docker push "$IMAGE"
