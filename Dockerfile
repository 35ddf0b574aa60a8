# The Lambda artefacts, built by the same commands CI runs (scripts/package-lambda), so the image
# and the zip hold the very bootstrap that CI checked:
#
#   docker build --target zip --output type=local,dest=out .   # out/swiftlet-lambda.zip
#   docker build -t swiftlet-lambda .                          # a provided:al2023 container image
#
# The build stage is Debian 12 (glibc 2.36), as on a developer's machine and in CI: there is no
# official Swift image for Amazon Linux 2023. package-lambda links everything but glibc statically
# and refuses a bootstrap that asks for a glibc symbol newer than al2023's 2.34, so what it
# writes runs on provided.al2023 as it is.
ARG SWIFT_VERSION=6.3
FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsqlite3-dev zlib1g-dev libssl-dev binutils python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/package-lambda /out/swiftlet-lambda.zip \
 && mkdir -p /out/task && cd /out/task && python3 -m zipfile -e /out/swiftlet-lambda.zip . && chmod 755 bootstrap

# `--target zip`: the zip alone, for `aws lambda create-function --zip-file`.
FROM scratch AS zip
COPY --from=build /out/swiftlet-lambda.zip /

# The container image: bootstrap where provided images look for it, the rest in the task root.
FROM public.ecr.aws/lambda/provided:al2023
COPY --from=build /out/task/bootstrap /var/runtime/bootstrap
COPY --from=build /out/task/Templates /var/task/Templates
COPY --from=build /out/task/public-export /var/task/public-export
CMD ["handler"]
